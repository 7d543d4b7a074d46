using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;

using FastScim.Core.Patch;

namespace FastScim.Core.Tests.Patch;

/// <summary>
/// <see cref="PatchRequest.Parse"/> as it was before it walked a <c>JsonDocument</c> (a <c>JsonNode</c>
/// tree, each value deep-cloned out of it), kept unchanged so that <see cref="PatchRequestParseTests"/>
/// can check that the new parse answers every body as this one did.
/// </summary>
internal static class ReferencePatchRequest
{
    /// <summary>More operations than this in one request are refused (400 invalidSyntax).</summary>
    public const int MaxOperations = 1000;

    private const int MaxDepth = 64;

    /// <summary>
    /// Parses and checks a PatchOp body. Member names and "op" values match case-insensitively,
    /// because Entra sends <c>"Operations"</c> and <c>"Replace"</c> and OneLogin <c>"add"</c>
    /// (IDP-BEHAVIOUR.md). Errors are <see cref="ScimException"/>s: malformed → invalidSyntax,
    /// a bad path → invalidPath (or invalidFilter inside brackets), remove without path → noTarget.
    /// </summary>
    public static PatchOperation[] Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw Syntax($"The PATCH body is not valid JSON: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses duplicate member names with an ArgumentException.
            throw Syntax($"The PATCH body is not valid JSON: {e.Message}");
        }

        if (root is not JsonObject body)
        {
            throw Syntax("The PATCH body must be a JSON object.");
        }

        CheckSchemas(Member(body, "schemas"));
        if (Member(body, "Operations") is not JsonArray array)
        {
            throw Syntax("The PATCH body must have an \"Operations\" array (RFC 7644 §3.5.2).");
        }

        // RFC 7644 §3.5.2: "Operations" holds "one or more" operations. Microsoft's validator has
        // sent an empty array (scimmy#59); it is still refused, with a detail that says why.
        if (array.Count == 0)
        {
            throw Syntax("\"Operations\" is empty; a PATCH request must contain one or more operations (RFC 7644 §3.5.2).");
        }

        if (array.Count > MaxOperations)
        {
            throw Syntax($"\"Operations\" has {array.Count} operations; at most {MaxOperations} are accepted.");
        }

        var operations = new PatchOperation[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            operations[i] = ParseOperation(array[i], i);
        }

        return operations;
    }

    private static void CheckSchemas(JsonNode? schemas)
    {
        // A missing "schemas" is accepted: Entra's default PATCH shape omits it (IDP-BEHAVIOUR.md).
        if (schemas is null)
        {
            Tolerance.Use(ToleranceRule.PatchWithoutSchemas);
            return;
        }

        if (schemas is not JsonArray list)
        {
            throw Syntax("\"schemas\" must be an array of schema URNs.");
        }

        foreach (var item in list)
        {
            if (item is JsonValue value && value.TryGetValue(out string? urn) && string.Equals(urn, SchemaUrns.PatchOp, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        if (list.Count > 0)
        {
            throw Syntax($"\"schemas\" must contain \"{SchemaUrns.PatchOp}\".");
        }
    }

    private static PatchOperation ParseOperation(JsonNode? node, int index)
    {
        var where = $"Operations[{index}]";
        if (node is not JsonObject operation)
        {
            throw Syntax($"{where} must be a JSON object.");
        }

        var op = Member(operation, "op") is JsonValue opValue && opValue.TryGetValue(out string? opText)
            ? ParseOp(opText, where)
            : throw Syntax($"{where} has no \"op\" string (add, remove or replace).");

        PatchPath? path = null;
        switch (Member(operation, "path"))
        {
            case null:
                break;
            case JsonValue pathValue when pathValue.TryGetValue(out string? pathText):
                path = PatchPathParser.Parse(pathText);
                break;
            default:
                throw Syntax($"{where}: \"path\" must be a string.");
        }

        var hasValue = TryMember(operation, "value", out var value);
        if (op != PatchOperationType.Remove && !hasValue)
        {
            throw Syntax($"{where}: \"{ToWire(op)}\" requires a \"value\" (RFC 7644 §3.5.2.1, §3.5.2.3).");
        }

        // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code
        // 400 and a "scimType" error code of "noTarget"."
        if (op == PatchOperationType.Remove && path is null)
        {
            throw new ScimException(400, ScimType.NoTarget, $"{where}: \"remove\" requires a \"path\" (RFC 7644 §3.5.2.2).");
        }

        // Detach the value so the engine can insert it into a resource (a node has one parent).
        return new PatchOperation(op, path, value?.DeepClone());
    }

    private static PatchOperationType ParseOp(string? text, string where)
    {
        PatchOperationType? op =
            string.Equals(text, "add", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Add
            : string.Equals(text, "remove", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Remove
            : string.Equals(text, "replace", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Replace
            : null;
        if (op is not { } known)
        {
            throw Syntax($"{where}: unknown op \"{text}\"; expected add, remove or replace.");
        }

        // Entra's default shape sends "Add", "Replace", "Remove" (IDP-BEHAVIOUR.md).
        if (!string.Equals(text, ToWire(known), StringComparison.Ordinal))
        {
            Tolerance.Use(ToleranceRule.CapitalisedOp);
        }

        return known;
    }

    private static string ToWire(PatchOperationType op) => op switch
    {
        PatchOperationType.Add => "add",
        PatchOperationType.Remove => "remove",
        _ => "replace",
    };

    private static JsonNode? Member(JsonObject obj, string name) => TryMember(obj, name, out var node) ? node : null;

    private static bool TryMember(JsonObject obj, string name, out JsonNode? node)
    {
        foreach (var pair in obj)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                node = pair.Value;
                return true;
            }
        }

        node = null;
        return false;
    }

    private static ScimException Syntax(string detail) => new(400, ScimType.InvalidSyntax, detail);
}
