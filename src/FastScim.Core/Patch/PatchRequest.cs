using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;

namespace FastScim.Core.Patch;

/// <summary>The body of a PATCH request, RFC 7644 §3.5.2 (<c>urn:…:api:messages:2.0:PatchOp</c>).</summary>
public sealed class PatchRequest
{
    /// <summary>More operations than this in one request are refused (400 invalidSyntax).</summary>
    public const int MaxOperations = 1000;

    private PatchRequest(IReadOnlyList<PatchOperation> operations) => Operations = operations;

    public IReadOnlyList<PatchOperation> Operations { get; }

    /// <summary>
    /// Parses and checks a PatchOp body. Member names and "op" values match case-insensitively,
    /// because Entra sends <c>"Operations"</c> and <c>"Replace"</c> and OneLogin <c>"add"</c>
    /// (IDP-BEHAVIOUR.md). Errors are <see cref="ScimException"/>s: malformed → invalidSyntax,
    /// a bad path → invalidPath (or invalidFilter inside brackets), remove without path → noTarget.
    /// </summary>
    public static PatchRequest Parse(ReadOnlySpan<byte> utf8Json) => Parse(new ReadOnlyMemory<byte>(utf8Json.ToArray()));

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    /// <remarks>The body is read in place, not copied: it must outlive the call only.</remarks>
    public static PatchRequest Parse(ReadOnlyMemory<byte> utf8Json)
    {
        // One JsonDocument, walked in place: the operations' values are cloned out of it, nothing
        // else is materialised. A member name given twice, at any depth, is refused as malformed
        // (JsonText.ParseUnique). The JsonNode parse before it refused such a name only where it
        // built the object at once; elsewhere it failed later with a 500, or let the name through.
        // Past the parse no name is decoded that was not already.
        JsonDocument document;
        try
        {
            document = JsonText.ParseUnique(utf8Json, "The PATCH body is not valid JSON: a member name");
        }
        catch (JsonException e)
        {
            throw Syntax($"The PATCH body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                throw Syntax("The PATCH body must be a JSON object.");
            }

            CheckSchemas(Member(body, "schemas"));
            if (Member(body, "Operations") is not { ValueKind: JsonValueKind.Array } array)
            {
                throw Syntax("The PATCH body must have an \"Operations\" array (RFC 7644 §3.5.2).");
            }

            // RFC 7644 §3.5.2: "Operations" holds "one or more" operations. Microsoft's validator has
            // sent an empty array (scimmy#59); it is still refused, with a detail that says why.
            int count = array.GetArrayLength();
            if (count == 0)
            {
                throw Syntax("\"Operations\" is empty; a PATCH request must contain one or more operations (RFC 7644 §3.5.2).");
            }

            if (count > MaxOperations)
            {
                throw Syntax($"\"Operations\" has {count} operations; at most {MaxOperations} are accepted.");
            }

            var operations = new PatchOperation[count];
            var values = new JsonElement?[count];
            int i = 0;
            foreach (var element in array.EnumerateArray())
            {
                operations[i] = ParseOperation(element, i, out values[i]);
                i++;
            }

            // Once every operation is well formed: the values' strings, which the engine reads as
            // text wherever it needs them, must have text.
            for (i = 0; i < count; i++)
            {
                if (values[i] is { } given && !JsonText.HasText(given))
                {
                    throw JsonText.NotText($"{Where(i)}: \"value\"", ScimType.InvalidValue); // as JsonText.Check, named only when it fails
                }
            }

            return new PatchRequest(operations);
        }
    }

    private static void CheckSchemas(JsonElement? schemas)
    {
        // A missing "schemas" is accepted: Entra's default PATCH shape omits it (IDP-BEHAVIOUR.md).
        if (schemas is not { } list)
        {
            Tolerance.Use(ToleranceRule.PatchWithoutSchemas);
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Syntax("\"schemas\" must be an array of schema URNs.");
        }

        foreach (var item in list.EnumerateArray())
        {
            // Not ValueEquals: comparing an escaped entry decodes it, and one with no text throws.
            if (item.ValueKind == JsonValueKind.String && JsonText.TryRead(item) is { } urn && string.Equals(urn, SchemaUrns.PatchOp, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        if (list.GetArrayLength() > 0)
        {
            throw Syntax($"\"schemas\" must contain \"{SchemaUrns.PatchOp}\".");
        }
    }

    /// <param name="value">The operation's "value" member as given, for the caller's check of its text.</param>
    private static PatchOperation ParseOperation(JsonElement operation, int index, out JsonElement? value)
    {
        if (operation.ValueKind != JsonValueKind.Object)
        {
            throw Syntax($"{Where(index)} must be a JSON object.");
        }

        var op = Member(operation, "op") is { ValueKind: JsonValueKind.String } opValue
            ? ParseOp(Text(opValue, index, "op"), index)
            : throw Syntax($"{Where(index)} has no \"op\" string (add, remove or replace).");

        PatchPath? path = null;
        switch (Member(operation, "path"))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.String } pathValue:
                path = PatchPathParser.Parse(Text(pathValue, index, "path"));
                break;
            default:
                throw Syntax($"{Where(index)}: \"path\" must be a string.");
        }

        var hasValue = TryMember(operation, "value", out value);
        if (op != PatchOperationType.Remove && !hasValue)
        {
            throw Syntax($"{Where(index)}: \"{ToWire(op)}\" requires a \"value\" (RFC 7644 §3.5.2.1, §3.5.2.3).");
        }

        // RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code
        // 400 and a "scimType" error code of "noTarget"."
        if (op == PatchOperationType.Remove && path is null)
        {
            throw new ScimException(400, ScimType.NoTarget, $"{Where(index)}: \"remove\" requires a \"path\" (RFC 7644 §3.5.2.2).");
        }

        return new PatchOperation(op, path, value is { } given ? JsonDom.Detached(given) : null);
    }

    private static string Where(int index) => $"Operations[{index}]";

    /// <summary>A string member's text; one that has none (a lone-surrogate escape) makes the request malformed (<see cref="JsonText"/>).</summary>
    private static string Text(JsonElement value, int index, string member) =>
        JsonText.TryRead(value) ?? throw JsonText.NotText($"{Where(index)}: \"{member}\"", ScimType.InvalidSyntax);

    private static PatchOperationType ParseOp(string? text, int index)
    {
        PatchOperationType? op =
            string.Equals(text, "add", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Add
            : string.Equals(text, "remove", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Remove
            : string.Equals(text, "replace", StringComparison.OrdinalIgnoreCase) ? PatchOperationType.Replace
            : null;
        if (op is not { } known)
        {
            throw Syntax($"{Where(index)}: unknown op \"{text}\"; expected add, remove or replace.");
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

    /// <summary>The member named <paramref name="name"/> ignoring case (the first such), or null when absent or JSON null.</summary>
    private static JsonElement? Member(JsonElement obj, string name) =>
        TryMember(obj, name, out var member) && member is { ValueKind: not JsonValueKind.Null } ? member : null;

    private static bool TryMember(JsonElement obj, string name, out JsonElement? member)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                member = property.Value;
                return true;
            }
        }

        member = null;
        return false;
    }

    private static ScimException Syntax(string detail) => new(400, ScimType.InvalidSyntax, detail);
}
