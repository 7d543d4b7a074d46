using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>What a request body says about the resource itself, besides its attributes.</summary>
public static class ResourceBody
{
    /// <summary>
    /// The top-level "id" of a resource body (matched case-insensitively, RFC 7643 §2.1), or null.
    /// The generated readers drop it (readOnly); PUT still has to refuse an id that names
    /// another resource, while accepting the resource's own (Okta sends it).
    /// </summary>
    public static string? ReadId(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueSpan.Length == 2 && (reader.ValueSpan[0] | 0x20) == 'i' && (reader.ValueSpan[1] | 0x20) == 'd';
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                return reader.GetString();
            }

            reader.Skip();
        }

        return null;
    }
}
