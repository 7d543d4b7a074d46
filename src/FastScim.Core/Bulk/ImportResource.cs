using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;

namespace FastScim.Core.Bulk;

/// <summary>
/// One resource of an import file (an element of a ListResponse's <c>Resources</c>, or of a JSON
/// array), read on its own and classified. Its kind comes from <c>schemas</c>, which names the
/// core schema of its resource type (RFC 7643 §3), else from <c>meta.resourceType</c> (§3.1).
/// </summary>
public sealed class ImportResource
{
    private ImportResource(string position, ImportKind kind, string? id, string? name, JsonObject? body, string? problem)
    {
        Position = position;
        Kind = kind;
        Id = id;
        Name = name;
        Body = body;
        Problem = problem;
    }

    /// <summary>Where it stands in the file, for messages (e.g. <c>Resources[3], line 12</c>).</summary>
    public string Position { get; }

    public ImportKind Kind { get; }

    /// <summary>Its <c>id</c> in the system it comes from (RFC 7643 §3.1); the import maps it to the new one.</summary>
    public string? Id { get; }

    /// <summary>Its userName or displayName, for messages.</summary>
    public string? Name { get; }

    /// <summary>Why it cannot be imported at all (null when it can).</summary>
    public string? Problem { get; }

    internal JsonObject? Body { get; }

    /// <summary>Reads one resource; never throws for its content (a problem is kept in <see cref="Problem"/>).</summary>
    public static ImportResource Read(ReadOnlySpan<byte> utf8Json, string position)
    {
        JsonObject body;
        try
        {
            if (JsonNode.Parse(utf8Json) is not JsonObject parsed)
            {
                return new(position, ImportKind.Unknown, null, null, null, "it is not a JSON object");
            }

            // JsonObject fills its dictionary lazily; a member named twice only fails here.
            _ = parsed.Count;
            body = parsed;
        }
        catch (Exception error) when (error is JsonException or ArgumentException)
        {
            return new(position, ImportKind.Unknown, null, null, null, "it cannot be read: " + error.Message);
        }

        var kind = KindOf(body);
        var id = JsonDom.Get(body, "id") is { } idNode ? JsonDom.Text(idNode) : null;
        var name = JsonDom.Get(body, kind == ImportKind.Group ? "displayName" : "userName") is { } nameNode ? JsonDom.Text(nameNode) : null;
        var problem = kind == ImportKind.Unknown
            ? $"it is neither a User nor a Group (schemas: {SchemasText(body)})"
            : null;
        return new(position, kind, id, name, body, problem);
    }

    public override string ToString()
    {
        var what = Kind == ImportKind.Unknown ? "Resource" : Kind.ToString();
        var name = Name is null ? "" : $" '{Name}'";
        var id = Id is null ? "" : $", id {Id}";
        return $"{what}{name} ({Position}{id})";
    }

    private static ImportKind KindOf(JsonObject body)
    {
        if (JsonDom.Get(body, "schemas") is JsonArray schemas)
        {
            foreach (var urn in schemas)
            {
                var text = urn is null ? null : JsonDom.Text(urn);
                if (string.Equals(text, ResourceSchema.User.Core.Id, StringComparison.OrdinalIgnoreCase))
                {
                    return ImportKind.User;
                }

                if (string.Equals(text, ResourceSchema.Group.Core.Id, StringComparison.OrdinalIgnoreCase))
                {
                    return ImportKind.Group;
                }
            }
        }

        var resourceType = JsonDom.Get(body, "meta") is JsonObject meta && JsonDom.Get(meta, "resourceType") is { } type ? JsonDom.Text(type) : null;
        return resourceType switch
        {
            _ when string.Equals(resourceType, "User", StringComparison.OrdinalIgnoreCase) => ImportKind.User,
            _ when string.Equals(resourceType, "Group", StringComparison.OrdinalIgnoreCase) => ImportKind.Group,
            _ => ImportKind.Unknown,
        };
    }

    private static string SchemasText(JsonObject body) =>
        JsonDom.Get(body, "schemas") is JsonArray { Count: > 0 } schemas ? string.Join(", ", schemas.Select(s => s?.ToJsonString())) : "none";
}
