using System;
using System.Collections.Generic;
using FastScim.Core.Schema;
using FastScim.Generators.Diagnostics;
using FastScim.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Parsing;

/// <summary>
/// Turns one schema file into an equatable <see cref="ParsedFile"/>: a schema object
/// (RFC 7643 §8.7.1) or an array of ResourceType objects (§8.6). Pure: no Roslyn state kept.
/// Anything invalid becomes a diagnostic and is left out of the model, so one bad attribute
/// does not stop the rest from being generated.
/// </summary>
internal sealed class SchemaParser
{
    private readonly string _path;
    private readonly SourceText _text;
    private readonly List<DiagnosticInfo> _diagnostics = new();

    private SchemaParser(string path, SourceText text)
    {
        _path = path;
        _text = text;
    }

    public static ParsedFile Parse(string path, SourceText? text)
    {
        if (text is null)
        {
            return new ParsedFile(path, null, EquatableArray<ResourceTypeSpec>.Empty, null, EquatableArray<LocatedName>.Empty,
                new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSchemaJson, null, "the file could not be read") }));
        }

        return new SchemaParser(path, text).Parse();
    }

    private ParsedFile Parse()
    {
        JsonNode root;
        try
        {
            root = SchemaJsonReader.Parse(_text.ToString());
        }
        catch (JsonSyntaxException ex)
        {
            var start = Math.Min(ex.Position, _text.Length);
            var span = new TextSpan(start, start < _text.Length ? 1 : 0);
            Report(DiagnosticDescriptors.InvalidSchemaJson, span, ex.Message);
            return Result(null, EquatableArray<ResourceTypeSpec>.Empty, null, new List<LocatedName>());
        }

        if (root.Kind == JsonKind.Object && root.Find("attributes") is not null)
        {
            var (schema, id) = ReadSchema(root);
            return Result(schema, EquatableArray<ResourceTypeSpec>.Empty, id, new List<LocatedName>());
        }

        if (root.Kind == JsonKind.Array)
        {
            var references = new List<LocatedName>();
            var resourceTypes = new List<ResourceTypeSpec>();
            foreach (var item in root.Items!)
            {
                var resourceType = ReadResourceType(item, references);
                if (resourceType is not null)
                {
                    resourceTypes.Add(resourceType);
                }
            }

            return Result(null, resourceTypes.ToEquatableArray(), null, references);
        }

        Report(DiagnosticDescriptors.UnrecognizedSchemaFile, Start(root));
        return Result(null, EquatableArray<ResourceTypeSpec>.Empty, null, new List<LocatedName>());
    }

    private ParsedFile Result(SchemaSpec? schema, EquatableArray<ResourceTypeSpec> resourceTypes, LocatedName? id, List<LocatedName> references)
        => new(_path, schema, resourceTypes, id, references.ToEquatableArray(), _diagnostics.ToEquatableArray());

    private (SchemaSpec? Schema, LocatedName? Id) ReadSchema(JsonNode node)
    {
        var idNode = RequiredString(node, "id", "The schema");
        var name = RequiredString(node, "name", "The schema");
        var description = OptionalString(node, "description", "the schema") ?? string.Empty;
        var attributesNode = node.Find("attributes")!.Value;
        if (idNode is null || name is null)
        {
            return (null, null);
        }

        var id = idNode.Text!;
        var attributes = ReadAttributes(attributesNode, name, isSub: false, owner: "schema '" + name + "'");
        var location = Location(idNode.Span);
        return (new SchemaSpec(id, name.Text!, description, attributes), new LocatedName(id, name.Text!, location));
    }

    private EquatableArray<AttributeSpec> ReadAttributes(JsonNode node, JsonNode? ownerName, bool isSub, string owner)
        => ReadAttributes(node, ownerName?.Text ?? string.Empty, isSub, owner);

    private EquatableArray<AttributeSpec> ReadAttributes(JsonNode node, string prefix, bool isSub, string owner)
    {
        if (node.Kind != JsonKind.Array)
        {
            Report(DiagnosticDescriptors.InvalidFieldValue, node.Span, isSub ? "subAttributes" : "attributes", owner, "an array of attribute objects");
            return EquatableArray<AttributeSpec>.Empty;
        }

        var result = new List<AttributeSpec>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in node.Items!)
        {
            var attribute = ReadAttribute(item, isSub, owner, out var nameNode);
            if (attribute is null)
            {
                continue;
            }

            if (!seen.Add(attribute.Name))
            {
                Report(DiagnosticDescriptors.DuplicateAttribute, nameNode!.Span, attribute.Name, prefix);
                continue;
            }

            result.Add(attribute);
        }

        return result.ToEquatableArray();
    }

    private AttributeSpec? ReadAttribute(JsonNode node, bool isSub, string owner, out JsonNode? nameNode)
    {
        nameNode = null;
        if (node.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.InvalidFieldValue, node.Span, isSub ? "subAttributes" : "attributes", owner, "an array of attribute objects");
            return null;
        }

        nameNode = RequiredString(node, "name", "An attribute of " + owner);
        if (nameNode is null)
        {
            return null;
        }

        var name = nameNode.Text!;
        var what = "attribute '" + name + "'";
        var ok = true;
        if (!IsAttributeName(name))
        {
            Report(DiagnosticDescriptors.InvalidAttributeName, nameNode.Span, name);
            ok = false;
        }

        var typeNode = RequiredString(node, "type", "Attribute '" + name + "'");
        var type = AttributeType.String;
        if (typeNode is null)
        {
            ok = false;
        }
        else if (!TryParseType(typeNode.Text!, out type))
        {
            Report(DiagnosticDescriptors.UnknownAttributeType, typeNode.Span, name, typeNode.Text!);
            ok = false;
        }
        else if (isSub && type == AttributeType.Complex)
        {
            Report(DiagnosticDescriptors.NestedComplexAttribute, typeNode.Span, name);
            ok = false;
        }

        var multiValued = OptionalBool(node, "multiValued", what, ref ok);
        var description = OptionalString(node, "description", what) ?? string.Empty;
        var required = OptionalBool(node, "required", what, ref ok);
        var caseExact = OptionalBool(node, "caseExact", what, ref ok);
        var mutability = OptionalEnum(node, "mutability", what, MutabilityNames, Mutability.ReadWrite, ref ok);
        var returned = OptionalEnum(node, "returned", what, ReturnedNames, Returned.Default, ref ok);
        var uniqueness = OptionalEnum(node, "uniqueness", what, UniquenessNames, Uniqueness.None, ref ok);
        var canonicalValues = OptionalStrings(node, "canonicalValues", what, ref ok);
        var referenceTypes = OptionalStrings(node, "referenceTypes", what, ref ok);
        var subAttributes = EquatableArray<AttributeSpec>.Empty;
        var subNode = node.Find("subAttributes");
        if (subNode is not null && type == AttributeType.Complex && !isSub)
        {
            subAttributes = ReadAttributes(subNode.Value, name, isSub: true, owner: what);
        }

        if (!ok)
        {
            return null;
        }

        return new AttributeSpec(name, type, multiValued, description, required, caseExact, mutability, returned, uniqueness,
            canonicalValues, referenceTypes, subAttributes);
    }

    private ResourceTypeSpec? ReadResourceType(JsonNode node, List<LocatedName> references)
    {
        if (node.Kind != JsonKind.Object)
        {
            Report(DiagnosticDescriptors.InvalidFieldValue, node.Span, "resource type", "the resource type array", "a ResourceType object");
            return null;
        }

        var name = RequiredString(node, "name", "A resource type");
        var endpoint = RequiredString(node, "endpoint", "A resource type");
        var schema = RequiredString(node, "schema", "A resource type");
        var what = "resource type '" + (name?.Text ?? "?") + "'";
        var id = OptionalString(node, "id", what) ?? name?.Text;
        var description = OptionalString(node, "description", what) ?? string.Empty;
        if (name is null || endpoint is null || schema is null)
        {
            return null;
        }

        references.Add(new LocatedName(schema.Text!, name.Text!, Location(schema.Span)));
        var extensions = new List<SchemaExtensionSpec>();
        var extensionsNode = node.Find("schemaExtensions");
        if (extensionsNode is not null)
        {
            if (extensionsNode.Value.Kind != JsonKind.Array)
            {
                Report(DiagnosticDescriptors.InvalidFieldValue, extensionsNode.Value.Span, "schemaExtensions", what, "an array");
                return null;
            }

            foreach (var item in extensionsNode.Value.Items!)
            {
                if (item.Kind != JsonKind.Object)
                {
                    Report(DiagnosticDescriptors.InvalidFieldValue, item.Span, "schemaExtensions", what, "an object");
                    continue;
                }

                var extensionSchema = RequiredString(item, "schema", "A schema extension of " + what);
                var ok = true;
                var required = OptionalBool(item, "required", what, ref ok);
                if (extensionSchema is null || !ok)
                {
                    continue;
                }

                references.Add(new LocatedName(extensionSchema.Text!, name.Text!, Location(extensionSchema.Span)));
                extensions.Add(new SchemaExtensionSpec(extensionSchema.Text!, required));
            }
        }

        return new ResourceTypeSpec(id!, name.Text!, endpoint.Text!, description, schema.Text!, extensions.ToEquatableArray());
    }

    private JsonNode? RequiredString(JsonNode node, string field, string what)
    {
        var property = node.Find(field);
        if (property is null)
        {
            Report(DiagnosticDescriptors.MissingRequiredField, Start(node), what, field);
            return null;
        }

        if (property.Value.Kind != JsonKind.String || property.Value.Text!.Length == 0)
        {
            Report(DiagnosticDescriptors.InvalidFieldValue, property.Value.Span, field, what, "a non-empty string");
            return null;
        }

        return property.Value;
    }

    private string? OptionalString(JsonNode node, string field, string what)
    {
        var property = node.Find(field);
        if (property is null || property.Value.Kind == JsonKind.Null)
        {
            return null;
        }

        if (property.Value.Kind != JsonKind.String)
        {
            Report(DiagnosticDescriptors.InvalidFieldValue, property.Value.Span, field, what, "a string");
            return null;
        }

        return property.Value.Text;
    }

    private bool OptionalBool(JsonNode node, string field, string what, ref bool ok)
    {
        var property = node.Find(field);
        if (property is null)
        {
            return false;
        }

        switch (property.Value.Kind)
        {
            case JsonKind.True:
                return true;
            case JsonKind.False:
                return false;
            default:
                Report(DiagnosticDescriptors.InvalidFieldValue, property.Value.Span, field, what, "true or false");
                ok = false;
                return false;
        }
    }

    private T OptionalEnum<T>(JsonNode node, string field, string what, (string Name, T Value)[] names, T defaultValue, ref bool ok)
    {
        var property = node.Find(field);
        if (property is null)
        {
            return defaultValue;
        }

        if (property.Value.Kind == JsonKind.String)
        {
            foreach (var (name, value) in names)
            {
                if (name == property.Value.Text)
                {
                    return value;
                }
            }
        }

        var expected = string.Empty;
        foreach (var (name, _) in names)
        {
            expected += (expected.Length == 0 ? "one of \"" : ", \"") + name + "\"";
        }

        Report(DiagnosticDescriptors.InvalidFieldValue, property.Value.Span, field, what, expected);
        ok = false;
        return defaultValue;
    }

    private EquatableArray<string> OptionalStrings(JsonNode node, string field, string what, ref bool ok)
    {
        var property = node.Find(field);
        if (property is null)
        {
            return EquatableArray<string>.Empty;
        }

        var values = new List<string>();
        if (property.Value.Kind == JsonKind.Array)
        {
            foreach (var item in property.Value.Items!)
            {
                if (item.Kind != JsonKind.String)
                {
                    values = null;
                    break;
                }

                values.Add(item.Text!);
            }

            if (values is not null)
            {
                return values.ToEquatableArray();
            }
        }

        Report(DiagnosticDescriptors.InvalidFieldValue, property.Value.Span, field, what, "an array of strings");
        ok = false;
        return EquatableArray<string>.Empty;
    }

    private static readonly (string, AttributeType)[] TypeNames =
    {
        ("string", AttributeType.String), ("boolean", AttributeType.Boolean), ("decimal", AttributeType.Decimal),
        ("integer", AttributeType.Integer), ("dateTime", AttributeType.DateTime), ("binary", AttributeType.Binary),
        ("reference", AttributeType.Reference), ("complex", AttributeType.Complex),
    };

    private static readonly (string, Mutability)[] MutabilityNames =
    {
        ("readOnly", Mutability.ReadOnly), ("readWrite", Mutability.ReadWrite), ("immutable", Mutability.Immutable), ("writeOnly", Mutability.WriteOnly),
    };

    private static readonly (string, Returned)[] ReturnedNames =
    {
        ("always", Returned.Always), ("never", Returned.Never), ("default", Returned.Default), ("request", Returned.Request),
    };

    private static readonly (string, Uniqueness)[] UniquenessNames =
    {
        ("none", Uniqueness.None), ("server", Uniqueness.Server), ("global", Uniqueness.Global),
    };

    private static bool TryParseType(string text, out AttributeType type)
    {
        foreach (var (name, value) in TypeNames)
        {
            if (name == text)
            {
                type = value;
                return true;
            }
        }

        type = AttributeType.String;
        return false;
    }

    /// <summary>ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA; plus "$ref" (RFC 7643 §2.1, §2.3.7).</summary>
    internal static bool IsAttributeName(string name)
    {
        if (name == "$ref")
        {
            return true;
        }

        if (name.Length == 0 || !IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static TextSpan Start(JsonNode node) => new(node.Span.Start, Math.Min(1, node.Span.Length));

    private LocationInfo Location(TextSpan span) => new(_path, span, _text.Lines.GetLinePositionSpan(span));

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, Location(span), arguments));
}
