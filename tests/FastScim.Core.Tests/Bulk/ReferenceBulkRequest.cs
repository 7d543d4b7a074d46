using System.Globalization;
using System.Text.Json;
using FastScim.Core.Bulk;
using FastScim.Core.Discovery;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Bulk;

/// <summary>
/// <see cref="BulkRequest.Parse"/> as it was when it built a JsonDocument of the body (before issue 7's
/// streaming parse): the reference <c>BulkRequestParseTests</c> holds the streaming parse to.
/// </summary>
internal static class ReferenceBulkRequest
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Parses a BulkRequest. Member names match case-insensitively, as for PatchOp. A malformed
    /// request is 400 invalidSyntax; more than <paramref name="maxOperations"/> operations is 413
    /// naming the limit (§3.7.4). What is wrong with a single operation (its method, path or
    /// data) is left for that operation to fail with, so the others still run.
    /// </summary>
    public static (int? FailOnErrors, BulkOperation[] Operations) Parse(ReadOnlySpan<byte> utf8Json, int maxOperations = ServiceProviderConfig.BulkMaxOperations)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw Syntax($"The BulkRequest is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Syntax("The BulkRequest must be a JSON object.");
            }

            CheckSchemas(Member(root, "schemas"));
            var failOnErrors = ReadFailOnErrors(Member(root, "failOnErrors"));
            if (Member(root, "Operations") is not { ValueKind: JsonValueKind.Array } array)
            {
                throw Syntax("The BulkRequest must have an \"Operations\" array (RFC 7644 §3.7).");
            }

            var count = array.GetArrayLength();
            if (count > maxOperations)
            {
                throw new ScimException(413, ScimType.None, Invariant($"The BulkRequest has {count} operations, more than maxOperations ({maxOperations}) (RFC 7644 §3.7.4)."));
            }

            var operations = new BulkOperation[count];
            var bulkIds = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var operation = ParseOperation(element, index);
                if (operation.BulkId is { } bulkId && !bulkIds.Add(bulkId))
                {
                    throw Syntax($"The bulkId '{bulkId}' is used by more than one operation; each must be unique within the request (RFC 7644 §3.7).");
                }

                operations[index++] = operation;
            }

            return (failOnErrors, operations);
        }
    }

    private static BulkOperation ParseOperation(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Syntax(Invariant($"Operations[{index}] must be a JSON object."));
        }

        var data = Member(element, "data") is { ValueKind: not JsonValueKind.Null } value
            ? System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).ToArray()
            : [];
        return new BulkOperation(
            index,
            String(element, "method", index),
            String(element, "bulkId", index),
            String(element, "version", index),
            String(element, "path", index),
            data);
    }

    private static string? String(JsonElement element, string name, int index) => Member(element, name) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Syntax(Invariant($"Operations[{index}].{name} must be a string.")),
    };

    private static int? ReadFailOnErrors(JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var n) && n >= 1 => n,
        _ => throw Syntax("\"failOnErrors\" must be an integer of at least 1 (RFC 7644 §3.7)."),
    };

    private static void CheckSchemas(JsonElement? schemas)
    {
        if (schemas is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Syntax($"The BulkRequest must have \"schemas\": [\"{SchemaUrns.BulkRequest}\"] (RFC 7644 §3.7).");
        }

        foreach (var urn in array.EnumerateArray())
        {
            if (urn.ValueKind == JsonValueKind.String && string.Equals(urn.GetString(), SchemaUrns.BulkRequest, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        throw Syntax($"\"schemas\" must contain \"{SchemaUrns.BulkRequest}\" (RFC 7644 §3.7).");
    }

    /// <summary>A member by name, case-insensitively (RFC 7643 §2.1); exact match first.</summary>
    internal static JsonElement? Member(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static ScimException Syntax(string detail) => ScimException.BadRequest(ScimType.InvalidSyntax, detail);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
