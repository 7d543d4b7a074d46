using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Discovery;

/// <summary>Writes a ResourceType resource (RFC 7643 §6) as served at /ResourceTypes (RFC 7644 §4).</summary>
public static class ResourceTypeDocument
{
    public static void Write(Utf8JsonWriter writer, ResourceTypeDefinition resourceType, string baseUrl)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas"u8);
        writer.WriteStringValue(SchemaUrns.ResourceType);
        writer.WriteEndArray();
        writer.WriteString("id"u8, resourceType.Id);
        writer.WriteString("name"u8, resourceType.Name);
        writer.WriteString("endpoint"u8, resourceType.Endpoint);
        writer.WriteString("description"u8, resourceType.Description);
        writer.WriteString("schema"u8, resourceType.Schema);
        writer.WriteStartArray("schemaExtensions"u8);
        foreach (var extension in resourceType.SchemaExtensions)
        {
            writer.WriteStartObject();
            writer.WriteString("schema"u8, extension.Schema);
            writer.WriteBoolean("required"u8, extension.Required);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("meta"u8);
        writer.WriteString("resourceType"u8, "ResourceType"u8);
        writer.WriteString("location"u8, baseUrl + "/ResourceTypes/" + resourceType.Id);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The resource type with this id (case-insensitive), or null.</summary>
    public static ResourceTypeDefinition? Find(IReadOnlyList<ResourceTypeDefinition> all, ReadOnlySpan<char> id)
    {
        foreach (var resourceType in all)
        {
            if (id.Equals(resourceType.Id, StringComparison.OrdinalIgnoreCase))
            {
                return resourceType;
            }
        }

        return null;
    }
}
