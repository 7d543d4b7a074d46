using System.Globalization;
using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>Writes the SCIM error response body (RFC 7644 §3.12).</summary>
public static class ScimError
{
    private static readonly JsonEncodedText Schemas = JsonEncodedText.Encode("schemas");
    private static readonly JsonEncodedText ErrorUrn = JsonEncodedText.Encode(SchemaUrns.Error);
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText ScimTypeName = JsonEncodedText.Encode("scimType");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");

    public static void Write(Utf8JsonWriter writer, int status, ScimType scimType, string detail)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Schemas);
        writer.WriteStringValue(ErrorUrn);
        writer.WriteEndArray();

        // RFC 7644 §3.12: "status" is the HTTP status code expressed as a JSON string.
        writer.WriteString(Status, status.ToString(CultureInfo.InvariantCulture));
        var keyword = scimType.ToWire();
        if (keyword is not null)
        {
            writer.WriteString(ScimTypeName, keyword);
        }

        writer.WriteString(Detail, detail);
        writer.WriteEndObject();
    }
}
