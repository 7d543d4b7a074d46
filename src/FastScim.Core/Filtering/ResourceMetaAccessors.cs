using FastScim.Core.Resources;
using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>
/// Accessors of the common <c>meta</c> attribute (RFC 7643 §3.1), hand-written because
/// <see cref="ResourceMeta"/> is not generated; the generated resource accessors delegate
/// <c>meta.*</c> paths here exactly as they delegate <c>name.*</c> to <c>NameAccessors</c>.
/// </summary>
public sealed class ResourceMetaAccessors : IScimAccessors<ResourceMeta>
{
    private ResourceMetaAccessors()
    {
    }

    public static AttributeDefinition? Definition(AttributePath path) =>
        path.SchemaUrn is null && path.SubAttribute is null ? CommonAttributes.Meta.FindSubAttribute(path.Name) : null;

    public static Func<ResourceMeta, bool>? Match(AttributePath path, ValueTest test)
    {
        if (path.SchemaUrn is not null || path.SubAttribute is not null)
        {
            return null;
        }

        var name = path.Name;
        if (AccessorHelpers.Is(name, "resourceType"))
        {
            return v => test.Test(AccessorHelpers.Text(v.ResourceType));
        }

        if (AccessorHelpers.Is(name, "created"))
        {
            return v => test.Test(v.Created);
        }

        if (AccessorHelpers.Is(name, "lastModified"))
        {
            return v => test.Test(v.LastModified);
        }

        if (AccessorHelpers.Is(name, "location"))
        {
            return v => test.Test(AccessorHelpers.Text(v.Location));
        }

        if (AccessorHelpers.Is(name, "version"))
        {
            return v => test.Test(AccessorHelpers.Text(v.Version));
        }

        return null;
    }

    public static Func<ResourceMeta, bool>? Present(AttributePath path)
    {
        if (path.SchemaUrn is not null || path.SubAttribute is not null)
        {
            return null;
        }

        var name = path.Name;
        if (AccessorHelpers.Is(name, "resourceType"))
        {
            return static v => !string.IsNullOrEmpty(v.ResourceType);
        }

        if (AccessorHelpers.Is(name, "created"))
        {
            return static v => v.Created.HasValue;
        }

        if (AccessorHelpers.Is(name, "lastModified"))
        {
            return static v => v.LastModified.HasValue;
        }

        if (AccessorHelpers.Is(name, "location"))
        {
            return static v => !string.IsNullOrEmpty(v.Location);
        }

        if (AccessorHelpers.Is(name, "version"))
        {
            return static v => !string.IsNullOrEmpty(v.Version);
        }

        return null;
    }

    public static Func<ResourceMeta, bool>? MatchElements(AttributePath path, IElementPredicateFactory factory) => null;

    public static Comparison<ResourceMeta>? Compare(AttributePath path)
    {
        if (path.SchemaUrn is not null || path.SubAttribute is not null)
        {
            return null;
        }

        var name = path.Name;
        if (AccessorHelpers.Is(name, "resourceType"))
        {
            return static (a, b) => SortHelpers.Compare(a.ResourceType, b.ResourceType, caseExact: true);
        }

        if (AccessorHelpers.Is(name, "created"))
        {
            return static (a, b) => SortHelpers.Compare(a.Created, b.Created);
        }

        if (AccessorHelpers.Is(name, "lastModified"))
        {
            return static (a, b) => SortHelpers.Compare(a.LastModified, b.LastModified);
        }

        if (AccessorHelpers.Is(name, "location"))
        {
            return static (a, b) => SortHelpers.Compare(a.Location, b.Location, caseExact: true);
        }

        if (AccessorHelpers.Is(name, "version"))
        {
            return static (a, b) => SortHelpers.Compare(a.Version, b.Version, caseExact: true);
        }

        return null;
    }

    /// <summary>True when any sub-attribute of <paramref name="value"/> is set.</summary>
    public static bool IsPresent(ResourceMeta? value) =>
        value is not null
        && (!string.IsNullOrEmpty(value.ResourceType) || value.Created.HasValue || value.LastModified.HasValue
            || !string.IsNullOrEmpty(value.Location) || !string.IsNullOrEmpty(value.Version));
}
