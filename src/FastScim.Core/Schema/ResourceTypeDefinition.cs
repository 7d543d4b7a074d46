namespace FastScim.Core.Schema;

/// <summary>A ResourceType resource (RFC 7643 §6).</summary>
public sealed class ResourceTypeDefinition
{
    public ResourceTypeDefinition(string id, string name, string endpoint, string description, string schema, SchemaExtension[] schemaExtensions)
    {
        Id = id;
        Name = name;
        Endpoint = endpoint;
        Description = description;
        Schema = schema;
        SchemaExtensions = schemaExtensions;
    }

    public string Id { get; }
    public string Name { get; }

    /// <summary>The endpoint relative to the base URL, e.g. <c>/Users</c>.</summary>
    public string Endpoint { get; }
    public string Description { get; }

    /// <summary>The URN of the resource type's core schema.</summary>
    public string Schema { get; }
    public IReadOnlyList<SchemaExtension> SchemaExtensions { get; }
}

/// <summary>A schema extension of a resource type (RFC 7643 §6, "schemaExtensions").</summary>
public sealed record SchemaExtension(string Schema, bool Required);
