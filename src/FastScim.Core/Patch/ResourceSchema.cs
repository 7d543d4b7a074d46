using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// The schemas of one resource type (RFC 7643 §6): its core schema, its extensions and the common
/// attributes of §3.1. Resolves attribute paths case-insensitively (RFC 7643 §2.1).
/// </summary>
public sealed class ResourceSchema
{
    // RFC 7643 §3.1 and §3: the same definitions the filters use.
    private static readonly AttributeDefinition[] Common =
        [Filtering.CommonAttributes.Id, Filtering.CommonAttributes.ExternalId, Filtering.CommonAttributes.Meta, Filtering.CommonAttributes.Schemas];

    private static ResourceSchema? user;
    private static ResourceSchema? group;

    public ResourceSchema(SchemaDefinition core, IReadOnlyList<SchemaDefinition> extensions)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(extensions);
        Core = core;
        Extensions = extensions;
    }

    public SchemaDefinition Core { get; }

    public IReadOnlyList<SchemaDefinition> Extensions { get; }

    /// <summary>The User resource type of the generated tables (core User + enterprise extension).</summary>
    public static ResourceSchema User => user ??= ForResourceType("User");

    /// <summary>The Group resource type of the generated tables.</summary>
    public static ResourceSchema Group => group ??= ForResourceType("Group");

    /// <summary>Builds the schema of a resource type named in <see cref="ScimSchemas.ResourceTypes"/>.</summary>
    public static ResourceSchema ForResourceType(string name)
    {
        foreach (var type in ScimSchemas.ResourceTypes)
        {
            if (string.Equals(type.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return From(type, ScimSchemas.All);
            }
        }

        throw new ArgumentException($"No resource type named '{name}'.", nameof(name));
    }

    /// <summary>Builds the schema of <paramref name="type"/> from the schema definitions it names.</summary>
    public static ResourceSchema From(ResourceTypeDefinition type, IReadOnlyList<SchemaDefinition> schemas)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(schemas);
        var core = FindSchema(schemas, type.Schema) ?? throw new ArgumentException($"Schema '{type.Schema}' is not defined.", nameof(schemas));
        var extensions = new List<SchemaDefinition>();
        foreach (var extension in type.SchemaExtensions)
        {
            extensions.Add(FindSchema(schemas, extension.Schema) ?? throw new ArgumentException($"Schema '{extension.Schema}' is not defined.", nameof(schemas)));
        }

        return new ResourceSchema(core, extensions);
    }

    /// <summary>The extension whose URN is <paramref name="urn"/> (case-insensitive), or null.</summary>
    public SchemaDefinition? FindExtension(string urn)
    {
        // By index: a foreach over the interface would box its enumerator, and every POST or PUT
        // that names an extension in "schemas" asks, as do PATCH paths into one.
        for (int i = 0; i < Extensions.Count; i++)
        {
            if (string.Equals(Extensions[i].Id, urn, StringComparison.OrdinalIgnoreCase))
            {
                return Extensions[i];
            }
        }

        return null;
    }

    /// <summary>Resolves <paramref name="path"/> or throws 400 invalidPath naming it.</summary>
    public ResolvedPath Resolve(AttributePath path) =>
        TryResolve(path) ?? throw new ScimException(400, ScimType.InvalidPath, $"The attribute '{path}' is not defined for {Core.Name} resources.");

    /// <summary>
    /// Resolves a plain (<c>userName</c>), dotted (<c>name.givenName</c>) or URN-qualified
    /// (<c>urn:…:enterprise:2.0:User:employeeNumber</c>, <c>urn:…:core:2.0:User:userName</c>) path,
    /// or the URN of an extension itself; null when the schema has no such attribute.
    /// </summary>
    public ResolvedPath? TryResolve(AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SchemaDefinition? extension = null;
        if (path.SchemaUrn is not null)
        {
            // The parser splits at the last ':', so the bare extension URN "…:2.0:User" arrives
            // as SchemaUrn "…:2.0" and Name "User".
            if (path.SubAttribute is null && FindExtension(path.SchemaUrn + ":" + path.Name) is { } whole)
            {
                return new ResolvedPath(whole, null, null);
            }

            if (!string.Equals(path.SchemaUrn, Core.Id, StringComparison.OrdinalIgnoreCase))
            {
                extension = FindExtension(path.SchemaUrn);
                if (extension is null)
                {
                    return null;
                }
            }
        }

        var attribute = extension is null
            ? Core.FindAttribute(path.Name) ?? FindCommon(path.Name)
            : extension.FindAttribute(path.Name);
        if (attribute is null && path.SchemaUrn is null && FindInOneExtension(path.Name) is var (owner, found))
        {
            // Entra's tutorial PATCHes "manager" without the enterprise URN (RFC 7644 §3.10 wants it).
            Tolerance.Use(ToleranceRule.UnqualifiedExtensionAttribute);
            (extension, attribute) = (owner, found);
        }

        if (attribute is null)
        {
            return null;
        }

        if (path.SubAttribute is null)
        {
            return new ResolvedPath(extension, attribute, null);
        }

        var sub = attribute.FindSubAttribute(path.SubAttribute);
        return sub is null ? null : new ResolvedPath(extension, attribute, sub);
    }

    /// <summary>The attribute of that name in exactly one extension, or null (none, or ambiguous).</summary>
    private (SchemaDefinition Extension, AttributeDefinition Attribute)? FindInOneExtension(string name)
    {
        (SchemaDefinition, AttributeDefinition)? found = null;
        foreach (var extension in Extensions)
        {
            if (extension.FindAttribute(name) is { } attribute)
            {
                if (found is not null)
                {
                    return null;
                }

                found = (extension, attribute);
            }
        }

        return found;
    }

    private static AttributeDefinition? FindCommon(string name)
    {
        foreach (var attribute in Common)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute;
            }
        }

        return null;
    }

    private static SchemaDefinition? FindSchema(IReadOnlyList<SchemaDefinition> schemas, string id)
    {
        foreach (var schema in schemas)
        {
            if (string.Equals(schema.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return schema;
            }
        }

        return null;
    }
}
