using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>
/// The text of a JSON string or member name read from a request. RFC 8259 §8.2: a string may
/// escape a lone surrogate (<c>"\ud800"</c>), which is no Unicode character, so such a string has
/// no text; .NET throws <see cref="InvalidOperationException"/> when asked for it. Read from a
/// request, that is malformed input (400), never a server error.
/// </summary>
public static class JsonText
{
    /// <summary>The current string or name; a 400 <paramref name="scimType"/> naming <paramref name="what"/> when it has no text.</summary>
    public static string Read(ref Utf8JsonReader reader, string what, ScimType scimType = ScimType.InvalidValue) =>
        TryRead(ref reader) ?? throw NotText(what, scimType);

    /// <summary>The current string or name, or null when it has no text; short texts repeated across bodies are one string (<see cref="JsonStringPool"/>).</summary>
    public static string? TryRead(ref Utf8JsonReader reader) => JsonStringPool.TryRead(ref reader);

    /// <summary>The current string or name, or null when it has no text; a string of its own, never shared (for secrets, and what the pool does not keep).</summary>
    public static string? TryReadPrivate(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The string's text, or null when it has none.</summary>
    public static string? TryRead(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Throws when a string or member name anywhere in <paramref name="element"/> has no text.
    /// Only escaped ones are decoded: the reader has already checked every other byte as UTF-8.
    /// </summary>
    public static void Check(JsonElement element, string what, ScimType scimType = ScimType.InvalidValue)
    {
        if (!HasText(element))
        {
            throw NotText(what, scimType);
        }
    }

    /// <summary>Whether every string and member name in <paramref name="element"/> has text (what <see cref="Check"/> requires), for a caller that names the value only when it has none.</summary>
    public static bool HasText(JsonElement element)
    {
        if (element.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array))
        {
            return true;
        }

        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && TryRead(ref reader) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="utf8Json"/> as one document in which no object names a member twice (RFC
    /// 8259 §4: the names "SHOULD be unique"; which one wins would otherwise be up to the reader).
    /// JSON that does not parse, or repeats a name, throws <see cref="JsonException"/>; an escaped
    /// name with no text, which the parse decodes to compare it, the 400 of <see cref="NotText"/>
    /// naming <paramref name="what"/>. The document reads <paramref name="utf8Json"/> in place, at
    /// most 64 levels deep (the reader's default).
    /// </summary>
    public static JsonDocument ParseUnique(ReadOnlyMemory<byte> utf8Json, string what)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (InvalidOperationException)
        {
            throw NotText(what, ScimType.InvalidSyntax);
        }
    }

    /// <summary>The 400 for <paramref name="what"/> (a name or string, or what holds one) having no text.</summary>
    public static ScimException NotText(string what, ScimType scimType = ScimType.InvalidValue) =>
        new(400, scimType, $"{what} holds an escape, such as a lone surrogate, that is no Unicode character (RFC 8259 §8.2).");
}
