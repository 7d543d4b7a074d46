namespace FastScim.Core.Schema;

/// <summary>A schema resource (RFC 7643 §7): its URN, name, description and attributes.</summary>
public sealed class SchemaDefinition
{
    public SchemaDefinition(string id, string name, string description, AttributeDefinition[] attributes)
    {
        Id = id;
        Name = name;
        Description = description;
        Attributes = attributes;
    }

    /// <summary>The schema URN, e.g. <c>urn:ietf:params:scim:schemas:core:2.0:User</c>.</summary>
    public string Id { get; }
    public string Name { get; }
    public string Description { get; }
    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>Finds a top-level attribute by name, case-insensitively (RFC 7643 §2.1).</summary>
    public AttributeDefinition? FindAttribute(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute;
            }
        }

        return null;
    }
}
