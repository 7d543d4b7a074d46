using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Discovery;

/// <summary>Writes a schema resource (RFC 7643 §7) as served at /Schemas (RFC 7644 §4).</summary>
public static class SchemaDocument
{
    public static void Write(Utf8JsonWriter writer, SchemaDefinition schema, string baseUrl)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas"u8);
        writer.WriteStringValue(SchemaUrns.Schema);
        writer.WriteEndArray();
        writer.WriteString("id"u8, schema.Id);
        writer.WriteString("name"u8, schema.Name);
        writer.WriteString("description"u8, schema.Description);
        WriteAttributes(writer, schema.Attributes);
        writer.WriteStartObject("meta"u8);
        writer.WriteString("resourceType"u8, "Schema"u8);
        writer.WriteString("location"u8, baseUrl + "/Schemas/" + schema.Id);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The schema with this URN (case-insensitive, RFC 7643 §2.1), or null.</summary>
    public static SchemaDefinition? Find(IReadOnlyList<SchemaDefinition> all, ReadOnlySpan<char> id)
    {
        foreach (var schema in all)
        {
            if (id.Equals(schema.Id, StringComparison.OrdinalIgnoreCase))
            {
                return schema;
            }
        }

        return null;
    }

    private static void WriteAttributes(Utf8JsonWriter writer, IReadOnlyList<AttributeDefinition> attributes)
    {
        writer.WriteStartArray("attributes"u8);
        foreach (var attribute in attributes)
        {
            WriteAttribute(writer, attribute);
        }

        writer.WriteEndArray();
    }

    // RFC 7643 §7: every characteristic is written, so that a client need not know the defaults.
    private static void WriteAttribute(Utf8JsonWriter writer, AttributeDefinition attribute)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, attribute.Name);
        writer.WriteString("type"u8, TypeName(attribute.Type));
        writer.WriteBoolean("multiValued"u8, attribute.MultiValued);
        writer.WriteString("description"u8, attribute.Description);
        writer.WriteBoolean("required"u8, attribute.Required);
        if (attribute.Type != AttributeType.Complex)
        {
            writer.WriteBoolean("caseExact"u8, attribute.CaseExact);
        }

        if (attribute.CanonicalValues.Count > 0)
        {
            writer.WriteStartArray("canonicalValues"u8);
            foreach (var value in attribute.CanonicalValues)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        if (attribute.ReferenceTypes.Count > 0)
        {
            writer.WriteStartArray("referenceTypes"u8);
            foreach (var value in attribute.ReferenceTypes)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteString("mutability"u8, MutabilityName(attribute.Mutability));
        writer.WriteString("returned"u8, ReturnedName(attribute.Returned));
        writer.WriteString("uniqueness"u8, UniquenessName(attribute.Uniqueness));
        if (attribute.Type == AttributeType.Complex)
        {
            writer.WriteStartArray("subAttributes"u8);
            foreach (var sub in attribute.SubAttributes)
            {
                WriteAttribute(writer, sub);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public static string TypeName(AttributeType type) => type switch
    {
        AttributeType.String => "string",
        AttributeType.Boolean => "boolean",
        AttributeType.Decimal => "decimal",
        AttributeType.Integer => "integer",
        AttributeType.DateTime => "dateTime",
        AttributeType.Binary => "binary",
        AttributeType.Reference => "reference",
        _ => "complex",
    };

    public static string MutabilityName(Mutability mutability) => mutability switch
    {
        Mutability.ReadOnly => "readOnly",
        Mutability.Immutable => "immutable",
        Mutability.WriteOnly => "writeOnly",
        _ => "readWrite",
    };

    public static string ReturnedName(Returned returned) => returned switch
    {
        Returned.Always => "always",
        Returned.Never => "never",
        Returned.Request => "request",
        _ => "default",
    };

    public static string UniquenessName(Uniqueness uniqueness) => uniqueness switch
    {
        Uniqueness.Server => "server",
        Uniqueness.Global => "global",
        _ => "none",
    };
}
