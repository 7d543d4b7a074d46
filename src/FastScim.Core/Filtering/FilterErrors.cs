using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>Throw helpers (STYLE §3.9): the parsers' hot paths stay small.</summary>
internal static class FilterErrors
{
    private const int MaxShown = 24;

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(ScimType type, string detail) =>
        throw ScimException.BadRequest(type, detail);

    /// <summary>"Expected {expected} at position {n}, found {what}." with a 1-based position.</summary>
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Expected(ScimType type, string expected, int offset, string found) =>
        throw ScimException.BadRequest(type, $"Expected {expected} at position {offset + 1}, found {found}.");

    /// <summary>How a token is named in a message: its text in quotes, or "end of …".</summary>
    public static string Describe(ReadOnlySpan<char> input, FilterToken token, string endName)
    {
        if (token.Kind == FilterTokenKind.End)
        {
            return endName;
        }

        // A string token already carries its quotes.
        var text = input.Slice(token.Start, token.Length);
        var shown = text.Length <= MaxShown ? text.ToString() : text[..MaxShown].ToString() + "…";
        return token.Kind == FilterTokenKind.String ? "the string " + shown : $"\"{shown}\"";
    }
}
