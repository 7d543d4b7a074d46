using System;
using System.Collections.Generic;
using System.Text;
using FastScim.Core.Schema;
using FastScim.Generators.Model;

namespace FastScim.Generators.Emitting;

/// <summary>What <c>FastScimGeneratorOutputs</c> asked this compilation for.</summary>
internal enum GeneratorOutputs
{
    None,
    Model,
    Bson,
}

internal static class GeneratorOutputsParser
{
    public static GeneratorOutputs Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || string.Equals(value, "Model", StringComparison.OrdinalIgnoreCase))
        {
            return GeneratorOutputs.Model;
        }

        return string.Equals(value, "Bson", StringComparison.OrdinalIgnoreCase) ? GeneratorOutputs.Bson : GeneratorOutputs.None;
    }
}

/// <summary>A class the emitters write: a resource type, an extension, or a complex attribute's type.</summary>
internal sealed class ObjectPlan
{
    public ObjectPlan(string className, string pathPrefix)
    {
        ClassName = className;
        PathPrefix = pathPrefix;
    }

    public string ClassName { get; }

    /// <summary>Prefix of attribute paths in error messages: "", "emails.", or "urn:…:User:".</summary>
    public string PathPrefix { get; }

    public List<MemberPlan> Members { get; } = new();

    /// <summary>The schema the attributes belong to (for a complex type: its owner's schema).</summary>
    public string SchemaId { get; set; } = string.Empty;

    /// <summary>For a complex type: the attribute whose values it holds (<c>emails</c>); null otherwise.</summary>
    public string? ParentAttribute { get; set; }

    public string FullName => Names.ResourcesNamespace + "." + ClassName;
}

internal sealed class MemberPlan
{
    public MemberPlan(AttributeSpec attribute, string propertyName, ObjectPlan? complex, string path)
    {
        Attribute = attribute;
        PropertyName = propertyName;
        Complex = complex;
        Path = path;
    }

    public AttributeSpec Attribute { get; }

    public string PropertyName { get; }

    public ObjectPlan? Complex { get; }

    /// <summary>The attribute path used in error details, e.g. <c>emails.primary</c>.</summary>
    public string Path { get; }

    public string ElementType => Complex is not null ? "global::" + Complex.FullName : Names.ClrType(Attribute.Type);

    public string PropertyType => Attribute.MultiValued
        ? "global::System.Collections.Generic.List<" + ElementType + ">?"
        : ElementType + "?";
}

internal sealed class ExtensionPlan
{
    public ExtensionPlan(SchemaSpec schema, ObjectPlan obj, bool required)
    {
        Schema = schema;
        Object = obj;
        Required = required;
    }

    public SchemaSpec Schema { get; }

    public ObjectPlan Object { get; }

    public bool Required { get; }
}

internal sealed class ResourcePlan
{
    public ResourcePlan(ResourceTypeSpec resourceType, SchemaSpec schema, ObjectPlan obj)
    {
        ResourceType = resourceType;
        Schema = schema;
        Object = obj;
    }

    public ResourceTypeSpec ResourceType { get; }

    public SchemaSpec Schema { get; }

    public ObjectPlan Object { get; }

    public List<ExtensionPlan> Extensions { get; } = new();
}

/// <summary>
/// Class and property names for a <see cref="SchemaSet"/>, decided once per emission and in a
/// fixed order (docs/generated-code.md, "Names") so every emitter agrees.
/// </summary>
internal sealed class GenerationPlan
{
    private GenerationPlan(SchemaSet set)
    {
        Set = set;
    }

    public SchemaSet Set { get; }

    public List<ResourcePlan> Resources { get; } = new();

    /// <summary>Extension classes, by schema id ordinal.</summary>
    public List<ExtensionPlan> Extensions { get; } = new();

    /// <summary>Complex attribute classes, in naming order; each with the schema that owns it.</summary>
    public List<(ObjectPlan Object, string OwnerClass)> ComplexTypes { get; } = new();

    public static GenerationPlan Build(SchemaSet set)
    {
        var plan = new GenerationPlan(set);
        var schemasById = new Dictionary<string, SchemaSpec>(StringComparer.Ordinal);
        foreach (var schema in set.Schemas)
        {
            schemasById[schema.Id] = schema;
        }

        // Owner class of each schema: the resource type for a core schema, the schema name for an extension.
        var owners = new Dictionary<string, (string ClassName, bool IsExtension)>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resourceType in set.ResourceTypes)
        {
            if (!owners.ContainsKey(resourceType.Schema))
            {
                owners[resourceType.Schema] = (Names.Identifier(resourceType.Name), false);
            }

            taken.Add(Names.Identifier(resourceType.Name));
        }

        foreach (var resourceType in set.ResourceTypes)
        {
            foreach (var extension in resourceType.SchemaExtensions)
            {
                if (!owners.ContainsKey(extension.Schema))
                {
                    var name = Names.Identifier(schemasById[extension.Schema].Name);
                    owners[extension.Schema] = (name, true);
                    taken.Add(name);
                }
            }
        }

        // Complex classes named in ordinal schema-id order; objects for every owned schema.
        var objects = new Dictionary<string, ObjectPlan>(StringComparer.Ordinal);
        foreach (var schema in set.Schemas)
        {
            if (!owners.TryGetValue(schema.Id, out var owner))
            {
                continue;
            }

            var obj = new ObjectPlan(owner.ClassName, owner.IsExtension ? schema.Id + ":" : string.Empty) { SchemaId = schema.Id };
            objects[schema.Id] = obj;
            var used = new HashSet<string>(StringComparer.Ordinal) { owner.ClassName };
            if (!owner.IsExtension)
            {
                used.Add("Id");
                used.Add("ExternalId");
                used.Add("Meta");
            }

            foreach (var attribute in schema.Attributes)
            {
                if (!owner.IsExtension && IsCommonAttribute(attribute.Name))
                {
                    continue;
                }

                ObjectPlan? complex = null;
                var path = obj.PathPrefix + attribute.Name;
                if (attribute.Type == AttributeType.Complex)
                {
                    var className = Names.Singular(Names.Pascal(attribute.Name));
                    if (taken.Contains(className))
                    {
                        className = owner.ClassName + className;
                    }

                    className = Unique(className, taken);
                    taken.Add(className);
                    complex = new ObjectPlan(className, path + ".") { SchemaId = schema.Id, ParentAttribute = attribute.Name };
                    var subUsed = new HashSet<string>(StringComparer.Ordinal) { className };
                    foreach (var sub in attribute.SubAttributes)
                    {
                        complex.Members.Add(new MemberPlan(sub, Unique(Names.Pascal(sub.Name), subUsed), null, path + "." + sub.Name));
                    }

                    plan.ComplexTypes.Add((complex, owner.ClassName));
                }

                obj.Members.Add(new MemberPlan(attribute, Unique(Names.Pascal(attribute.Name), used), complex, path));
            }

            if (owner.IsExtension)
            {
                plan.Extensions.Add(new ExtensionPlan(schema, obj, required: false));
            }
        }

        foreach (var resourceType in set.ResourceTypes)
        {
            var schema = schemasById[resourceType.Schema];
            var obj = objects[resourceType.Schema];
            if (obj.ClassName != Names.Identifier(resourceType.Name))
            {
                // a second resource type over the same core schema shares the first one's class
                continue;
            }

            var resource = new ResourcePlan(resourceType, schema, obj);
            foreach (var extension in resourceType.SchemaExtensions)
            {
                if (objects.TryGetValue(extension.Schema, out var extensionObject) && extension.Schema != resourceType.Schema)
                {
                    resource.Extensions.Add(new ExtensionPlan(schemasById[extension.Schema], extensionObject, extension.Required));
                }
            }

            plan.Resources.Add(resource);
        }

        return plan;
    }

    internal static bool IsCommonAttribute(string name)
        => string.Equals(name, "id", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "externalId", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "meta", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "schemas", StringComparison.OrdinalIgnoreCase);

    private static string Unique(string name, HashSet<string> used)
    {
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}

internal static class Names
{
    public const string ResourcesNamespace = "FastScim.Core.Resources";
    public const string SchemaNamespace = "FastScim.Core.Schema";
    public const string BsonNamespace = "FastScim.Storage.Bson";

    public static string ClrType(AttributeType type) => type switch
    {
        AttributeType.Boolean => "bool",
        AttributeType.Integer => "long",
        AttributeType.Decimal => "decimal",
        AttributeType.DateTime => "global::System.DateTimeOffset",
        _ => "string",
    };

    /// <summary>PascalCase of an attribute name: <c>userName</c> → <c>UserName</c>, <c>$ref</c> → <c>Ref</c>.</summary>
    public static string Pascal(string name)
    {
        var builder = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '$' || c == '-' || c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.Length == 0 ? "Value" : builder.ToString();
    }

    /// <summary>Singular of a PascalCase name: <c>Addresses</c> → <c>Address</c>, <c>Emails</c> → <c>Email</c>.</summary>
    public static string Singular(string name)
    {
        if (name.EndsWith("sses", StringComparison.Ordinal))
        {
            return name.Substring(0, name.Length - 2);
        }

        if (name.Length > 1 && name.EndsWith("s", StringComparison.Ordinal))
        {
            return name.Substring(0, name.Length - 1);
        }

        return name;
    }

    /// <summary>A C# identifier from a schema or resource type name.</summary>
    public static string Identifier(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                builder.Append(c);
            }
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>lowerCamel of a class name, for BSON sub-document keys (<c>EnterpriseUser</c> → <c>enterpriseUser</c>).</summary>
    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
