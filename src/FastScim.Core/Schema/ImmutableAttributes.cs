using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;

namespace FastScim.Core.Schema;

/// <summary>
/// RFC 7643 §7 "immutable": an attribute that may be set once and never changed. A PUT (RFC 7644
/// §3.5.1) whose value for an assigned immutable attribute differs is refused with 400
/// mutability; setting it while unassigned, or sending the same value, is allowed.
/// </summary>
public static class ImmutableAttributes
{
    /// <summary>Whether the resource type has any top-level immutable attribute (else there is nothing to check).</summary>
    public static bool Any(ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Immutable(schema).Any();
    }

    /// <summary>Throws 400 mutability when <paramref name="replacement"/> changes an assigned immutable attribute of <paramref name="current"/>.</summary>
    public static void Check(JsonObject current, JsonObject replacement, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        foreach (var (container, attribute) in Immutable(schema))
        {
            var before = ValueOf(current, container, attribute.Name);
            if (before is null)
            {
                continue;
            }

            var after = ValueOf(replacement, container, attribute.Name);
            if (!JsonNode.DeepEquals(before, after))
            {
                throw ScimException.BadRequest(ScimType.Mutability, $"The attribute '{attribute.Name}' is immutable: it cannot change once set.");
            }
        }
    }

    private static IEnumerable<(string? Container, AttributeDefinition Attribute)> Immutable(ResourceSchema schema)
    {
        foreach (var attribute in schema.Core.Attributes)
        {
            if (attribute.Mutability == Mutability.Immutable)
            {
                yield return (null, attribute);
            }
        }

        foreach (var extension in schema.Extensions)
        {
            foreach (var attribute in extension.Attributes)
            {
                if (attribute.Mutability == Mutability.Immutable)
                {
                    yield return (extension.Id, attribute);
                }
            }
        }
    }

    // The generated writer writes schema spelling, so keys match exactly.
    private static JsonNode? ValueOf(JsonObject resource, string? container, string name) =>
        container is null
            ? resource[name]
            : resource[container] is JsonObject extension ? extension[name] : null;
}
