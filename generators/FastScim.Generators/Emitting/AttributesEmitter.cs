using System.Collections.Generic;
using FastScim.Generators.Model;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Emitting;

/// <summary>Emits <c>ScimSchemas</c>: every schema's attribute table and the resource types, for /Schemas, validation and planning.</summary>
internal static class AttributesEmitter
{
    private const string Ns = "global::FastScim.Core.Schema.";

    public static void Emit(SourceProductionContext context, GenerationPlan plan)
    {
        var writer = new SourceWriter().Header(Names.SchemaNamespace);
        writer.Line("/// <summary>The schemas and resource types this server was generated from (RFC 7643 §6, §7).</summary>");
        writer.Line(SourceWriter.GeneratedCodeAttribute);
        writer.Open("public static partial class ScimSchemas");
        var properties = new List<string>();
        var used = new HashSet<string>(System.StringComparer.Ordinal) { "All", "ResourceTypes", "ScimSchemas" };
        foreach (var schema in plan.Set.Schemas)
        {
            var property = Names.Identifier(schema.Name);
            for (var i = 2; !used.Add(property); i++)
            {
                property = Names.Identifier(schema.Name) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            properties.Add(property);
            writer.Line("/// <summary>The <c>" + ResourceEmitter.Xml(schema.Id) + "</c> schema.</summary>");
            writer.Line("public static " + Ns + "SchemaDefinition " + property + " { get; } = new " + Ns + "SchemaDefinition(");
            writer.Indent();
            writer.Line(SourceWriter.Literal(schema.Id) + ",");
            writer.Line(SourceWriter.Literal(schema.Name) + ",");
            writer.Line(SourceWriter.Literal(schema.Description) + ",");
            WriteAttributes(writer, schema.Attributes, ");");
            writer.Unindent();
            writer.Line();
        }

        writer.Line("/// <summary>Every schema, ordinal by id.</summary>");
        writer.Line("public static global::System.Collections.Generic.IReadOnlyList<" + Ns + "SchemaDefinition> All { get; } = new " + Ns + "SchemaDefinition[]");
        writer.Line("{");
        writer.Indent();
        foreach (var property in properties)
        {
            writer.Line(property + ",");
        }

        writer.Unindent();
        writer.Line("};");
        writer.Line();
        writer.Line("/// <summary>The resource types, in file order.</summary>");
        writer.Line("public static global::System.Collections.Generic.IReadOnlyList<" + Ns + "ResourceTypeDefinition> ResourceTypes { get; } = new " + Ns + "ResourceTypeDefinition[]");
        writer.Line("{");
        writer.Indent();
        foreach (var resourceType in plan.Set.ResourceTypes)
        {
            writer.Line("new " + Ns + "ResourceTypeDefinition(");
            writer.Indent();
            writer.Line(SourceWriter.Literal(resourceType.Id) + ",");
            writer.Line(SourceWriter.Literal(resourceType.Name) + ",");
            writer.Line(SourceWriter.Literal(resourceType.Endpoint) + ",");
            writer.Line(SourceWriter.Literal(resourceType.Description) + ",");
            writer.Line(SourceWriter.Literal(resourceType.Schema) + ",");
            if (resourceType.SchemaExtensions.Count == 0)
            {
                writer.Line("global::System.Array.Empty<" + Ns + "SchemaExtension>()),");
            }
            else
            {
                writer.Line("new " + Ns + "SchemaExtension[]");
                writer.Line("{");
                writer.Indent();
                foreach (var extension in resourceType.SchemaExtensions)
                {
                    writer.Line("new " + Ns + "SchemaExtension(" + SourceWriter.Literal(extension.Schema) + ", " + Bool(extension.Required) + "),");
                }

                writer.Unindent();
                writer.Line("}),");
            }

            writer.Unindent();
        }

        writer.Unindent();
        writer.Line("};");
        writer.Close();
        context.AddSource("ScimSchemas.g.cs", writer.ToSourceText());
    }

    private static void WriteAttributes(SourceWriter writer, EquatableArray<AttributeSpec> attributes, string terminator)
    {
        if (attributes.Count == 0)
        {
            writer.Line("global::System.Array.Empty<" + Ns + "AttributeDefinition>()" + terminator);
            return;
        }

        writer.Line("new " + Ns + "AttributeDefinition[]");
        writer.Line("{");
        writer.Indent();
        foreach (var attribute in attributes)
        {
            writer.Line("new " + Ns + "AttributeDefinition(");
            writer.Indent();
            writer.Line(SourceWriter.Literal(attribute.Name) + ",");
            writer.Line(Ns + "AttributeType." + attribute.Type + ",");
            writer.Line("multiValued: " + Bool(attribute.MultiValued) + ",");
            writer.Line(SourceWriter.Literal(attribute.Description) + ",");
            writer.Line("required: " + Bool(attribute.Required) + ",");
            writer.Line("caseExact: " + Bool(attribute.CaseExact) + ",");
            writer.Line(Ns + "Mutability." + attribute.Mutability + ",");
            writer.Line(Ns + "Returned." + attribute.Returned + ",");
            writer.Line(Ns + "Uniqueness." + attribute.Uniqueness + ",");
            writer.Line(Strings(attribute.CanonicalValues) + ",");
            writer.Line(Strings(attribute.ReferenceTypes) + ",");
            WriteAttributes(writer, attribute.SubAttributes, "),");
            writer.Unindent();
        }

        writer.Unindent();
        writer.Line("}" + terminator);
    }

    private static string Strings(EquatableArray<string> values)
    {
        if (values.Count == 0)
        {
            return "global::System.Array.Empty<string>()";
        }

        var parts = new List<string>();
        foreach (var value in values)
        {
            parts.Add(SourceWriter.Literal(value));
        }

        return "new string[] { " + string.Join(", ", parts) + " }";
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
