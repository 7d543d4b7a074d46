using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>sortBy / sortOrder (RFC 7644 §3.4.2.3) over the generated accessors.</summary>
public static class ScimSort
{
    /// <summary>
    /// The comparison for <paramref name="sortBy"/>: ascending puts resources without the value last,
    /// descending is its reverse. A multi-valued attribute sorts by its primary value, else its first.
    /// </summary>
    /// <exception cref="ScimException">400 invalidValue when no schema defines the attribute or it cannot be sorted.</exception>
    public static Comparison<T> Create<T, TAccessors>(AttributePath sortBy, bool descending = false)
        where TAccessors : IScimAccessors<T>
    {
        ArgumentNullException.ThrowIfNull(sortBy);
        var ascending = TAccessors.Compare(sortBy)
            ?? throw new ScimException(400, ScimType.InvalidValue, $"The attribute '{sortBy}' cannot be used to sort.");
        return descending ? (a, b) => ascending(b, a) : ascending;
    }
}
