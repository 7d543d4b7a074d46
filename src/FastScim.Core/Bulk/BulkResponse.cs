using System.Globalization;
using System.Text.Json;
using FastScim.Core.Protocol;

namespace FastScim.Core.Bulk;

/// <summary>
/// One entry of a BulkResponse's <c>Operations</c> (RFC 7644 §3.7.3): <c>status</c> is the HTTP
/// status as a string; <c>location</c> names the created resource; a failure carries its SCIM
/// error (§3.12) as <c>response</c>, whose scimType and detail are kept here.
/// </summary>
public sealed record BulkResponseOperation(string? Method, string? BulkId, string? Location, string? Version, int Status, string? ScimType, string? Detail)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The created resource's id: the last segment of <see cref="Location"/> (§3.7.3, as in §3.3).</summary>
    public string? CreatedId => Location is { Length: > 0 } location ? location[(location.LastIndexOf('/') + 1)..] : null;
}

/// <summary>Reads a BulkResponse (<c>urn:ietf:params:scim:api:messages:2.0:BulkResponse</c>, RFC 7644 §3.7.3).</summary>
public static class BulkResponse
{
    /// <summary>Its operations, in the order the response lists them. Throws <see cref="FormatException"/> when it is not a BulkResponse.</summary>
    public static IReadOnlyList<BulkResponseOperation> Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (Member(document.RootElement, "Operations") is not { ValueKind: JsonValueKind.Array } operations)
            {
                throw new FormatException($"The answer is not a BulkResponse ({SchemaUrns.BulkResponse}): it has no \"Operations\" array.");
            }

            var result = new List<BulkResponseOperation>(operations.GetArrayLength());
            foreach (var operation in operations.EnumerateArray())
            {
                var error = Member(operation, "response");
                result.Add(new BulkResponseOperation(
                    Text(operation, "method"),
                    Text(operation, "bulkId"),
                    Text(operation, "location"),
                    Text(operation, "version"),
                    Status(Member(operation, "status")),
                    error is { ValueKind: JsonValueKind.Object } e ? Text(e, "scimType") : null,
                    error is { ValueKind: JsonValueKind.Object } d ? Text(d, "detail") : null));
            }

            return result;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            throw new FormatException("The answer is not a BulkResponse: " + error.Message, error);
        }
    }

    // §3.7.3 sends the status as a string ("201"); a number is read as well.
    private static int Status(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } text when int.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) => status,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var status) => status,
        _ => throw new FormatException("A BulkResponse operation has no valid \"status\"."),
    };

    private static string? Text(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static JsonElement? Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object ? BulkRequest.Member(element, name) : null;
}
