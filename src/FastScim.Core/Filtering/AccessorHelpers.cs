using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>Small helpers the generated accessors call; public because generated code may live in another assembly.</summary>
public static class AccessorHelpers
{
    public static bool Is(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Any element of <paramref name="list"/> satisfies <paramref name="predicate"/>; null elements are skipped.</summary>
    public static bool Any<T>(List<T>? list, Func<T, bool> predicate)
    {
        if (list is null)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (item is not null && predicate(item))
            {
                return true;
            }
        }

        return false;
    }

    public static bool AnyString(List<string>? list, ValueTest test)
    {
        if (list is null)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (!string.IsNullOrEmpty(item) && test.Test(item))
            {
                return true;
            }
        }

        return false;
    }

    public static bool AnyPresentString(List<string>? list)
    {
        if (list is null)
        {
            return false;
        }

        foreach (var item in list)
        {
            if (!string.IsNullOrEmpty(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A string handed to a <see cref="ValueTest"/>: "" is unassigned.</summary>
    public static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The definition of <paramref name="name"/>(.<paramref name="sub"/>) in the schema <paramref name="schemaId"/> of <paramref name="schemas"/>.</summary>
    public static AttributeDefinition? Find(IReadOnlyList<SchemaDefinition> schemas, string schemaId, string name, string? sub)
    {
        foreach (var schema in schemas)
        {
            if (string.Equals(schema.Id, schemaId, StringComparison.Ordinal))
            {
                var attribute = schema.FindAttribute(name);
                return sub is null ? attribute : attribute?.FindSubAttribute(sub);
            }
        }

        return null;
    }

    /// <summary>The path without its schema URN (what an extension's accessors take).</summary>
    public static AttributePath Unqualified(AttributePath path) => path.SchemaUrn is null ? path : new AttributePath(null, path.Name, path.SubAttribute);

    /// <summary>The path of sub-attribute <paramref name="name"/> relative to its complex value.</summary>
    public static AttributePath Relative(string name) => new(null, name, null);

    public static bool Any(List<bool>? list, ValueTest test)
    {
        if (list is not null)
        {
            foreach (var item in list)
            {
                if (test.Test((bool?)item))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool Any(List<long>? list, ValueTest test)
    {
        if (list is not null)
        {
            foreach (var item in list)
            {
                if (test.Test((long?)item))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool Any(List<decimal>? list, ValueTest test)
    {
        if (list is not null)
        {
            foreach (var item in list)
            {
                if (test.Test((decimal?)item))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool Any(List<DateTimeOffset>? list, ValueTest test)
    {
        if (list is not null)
        {
            foreach (var item in list)
            {
                if (test.Test((DateTimeOffset?)item))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
