using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FastScim.Core.Protocol;

namespace FastScim.Core.Bulk;

/// <summary>
/// <c>"bulkId:qwerty"</c> references (RFC 7644 §3.7.2): finding them in an operation's data and
/// path, and substituting the ids the referenced POSTs created. A string value that starts with
/// <c>bulkId:</c> refers to the whole rest of it; inside a longer string (a PATCH filter
/// <c>members[value eq "bulkId:q"]</c>, a path <c>/Groups/bulkId:q</c>) the id runs up to the next
/// quote, slash, bracket, parenthesis, comma, question mark, ampersand or white space.
/// </summary>
public static class BulkReferences
{
    public const string Prefix = "bulkId:";

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The bulkIds a text refers to, in order of appearance (repeats included).</summary>
    public static void Collect(string? text, ICollection<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (text is null)
        {
            return;
        }

        var at = text.IndexOf(Prefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var (start, end) = Span(text, at);
            into.Add(text[start..end]);
            at = text.IndexOf(Prefix, end, StringComparison.Ordinal);
        }
    }

    /// <summary>The bulkIds referenced by string values (not member names) of a JSON document.</summary>
    public static void Collect(ReadOnlySpan<byte> json, ICollection<string> into)
    {
        if (json.IndexOf("bulkId:"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                Collect(JsonText.TryRead(ref reader), into); // a string with no text holds no reference
            }
        }
    }

    /// <summary>The text with each reference replaced by its id; a reference not in <paramref name="ids"/> is left as it is.</summary>
    public static string? Substitute(string? text, IReadOnlyDictionary<string, string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (text is null || !text.Contains(Prefix, StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var copied = 0;
        var at = text.IndexOf(Prefix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var (start, end) = Span(text, at);
            if (ids.TryGetValue(text[start..end], out var id))
            {
                result.Append(text, copied, at - copied).Append(id);
                copied = end;
            }

            at = text.IndexOf(Prefix, end, StringComparison.Ordinal);
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// The JSON document with references in its string values replaced, re-encoded properly (an
    /// id is written as a JSON string, never spliced into raw bytes). Unchanged input is returned as is.
    /// </summary>
    public static ReadOnlyMemory<byte> Substitute(ReadOnlyMemory<byte> json, IReadOnlyDictionary<string, string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0 || json.Span.IndexOf("bulkId:"u8) < 0)
        {
            return json;
        }

        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            var reader = new Utf8JsonReader(json.Span);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(JsonText.Read(ref reader, "A member name of the operation's data", ScimType.InvalidSyntax));
                        break;
                    case JsonTokenType.String when JsonText.TryRead(ref reader) is { } text:
                        writer.WriteStringValue(Substitute(text, ids));
                        break;
                    case JsonTokenType.String:
                        // No text (a lone-surrogate escape), so no reference: kept as sent, for the
                        // reader of the data to refuse with the attribute's name.
                        writer.WriteRawValue([(byte)'"', .. reader.ValueSpan, (byte)'"'], skipInputValidation: true);
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(false);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                    default:
                        break;
                }
            }
        }

        return output.WrittenMemory;
    }

    private static (int Start, int End) Span(string text, int at)
    {
        var start = at + Prefix.Length;
        if (at == 0)
        {
            return (start, text.Length);
        }

        var end = start;
        while (end < text.Length && !IsTerminator(text[end]))
        {
            end++;
        }

        return (start, end);
    }

    private static bool IsTerminator(char c) =>
        c is '"' or '\'' or '/' or '[' or ']' or '(' or ')' or ',' or '?' or '&' or '\\' || char.IsWhiteSpace(c);
}
