namespace FastScim.Core.Filtering;

internal enum FilterTokenKind
{
    End,

    /// <summary>A run of characters up to whitespace, a bracket, a parenthesis or a quote:
    /// attribute paths, operators, keywords, numbers and (lenient) unquoted values.</summary>
    Word,

    /// <summary>A JSON string (RFC 8259 §7); <see cref="FilterToken.Text"/> holds it decoded.</summary>
    String,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
}

/// <param name="Kind">What the token is.</param>
/// <param name="Start">0-based offset of its first character in the whole input.</param>
/// <param name="Length">Its length in the input, quotes included.</param>
/// <param name="Text">The decoded value of a string token; null otherwise.</param>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Start, int Length, string? Text)
{
    public int End => Start + Length;
}
