namespace FastScim.Core.Filtering;

/// <summary>
/// Comparisons the generated <c>…Accessors.Compare</c> use for sortBy (RFC 7644 §3.4.2.3):
/// ascending order, unassigned values (null, "") last; strings ordinal, case-insensitive unless
/// caseExact; dateTime by instant. Descending order is the reverse (unassigned first), as the RFC says.
/// </summary>
public static class SortHelpers
{
    public static int Compare(string? a, string? b, bool caseExact)
    {
        var hasA = !string.IsNullOrEmpty(a);
        var hasB = !string.IsNullOrEmpty(b);
        if (!hasA || !hasB)
        {
            return hasA == hasB ? 0 : hasA ? -1 : 1;
        }

        return string.Compare(a, b, caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    public static int Compare<TValue>(TValue? a, TValue? b)
        where TValue : struct, IComparable<TValue>
    {
        if (!a.HasValue || !b.HasValue)
        {
            return a.HasValue == b.HasValue ? 0 : a.HasValue ? -1 : 1;
        }

        return a.Value.CompareTo(b.Value);
    }

    /// <summary>Two complex values by <paramref name="inner"/>; a missing value sorts last.</summary>
    public static int Compare<TValue>(TValue? a, TValue? b, Comparison<TValue> inner)
        where TValue : class
    {
        if (a is null || b is null)
        {
            return a is null == b is null ? 0 : a is null ? 1 : -1;
        }

        return inner(a, b);
    }

    /// <summary>The value a multi-valued attribute sorts by: the one marked primary, else the first (RFC 7644 §3.4.2.3).</summary>
    public static TValue? Primary<TValue>(List<TValue>? values, Func<TValue, bool> isPrimary)
        where TValue : class
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        foreach (var value in values)
        {
            if (value is not null && isPrimary(value))
            {
                return value;
            }
        }

        foreach (var value in values)
        {
            if (value is not null)
            {
                return value;
            }
        }

        return null;
    }

    public static string? First(List<string>? values) => values is { Count: > 0 } ? values[0] : null;

    public static TValue? First<TValue>(List<TValue>? values)
        where TValue : struct => values is { Count: > 0 } ? values[0] : null;
}
