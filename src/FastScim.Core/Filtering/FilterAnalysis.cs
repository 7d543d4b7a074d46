namespace FastScim.Core.Filtering;

/// <summary>Questions about a filter's syntax tree that decide how it is run, not what it means.</summary>
public static class FilterAnalysis
{
    /// <summary>Whether the filter reads the top-level attribute <paramref name="name"/> anywhere (case-insensitive).</summary>
    public static bool Mentions(FilterNode filter, string name) => filter switch
    {
        ComparisonFilter comparison => Is(comparison.Path, name),
        PresentFilter present => Is(present.Path, name),
        ValuePathFilter valuePath => Is(valuePath.Path, name),
        LogicalFilter logical => Mentions(logical.Left, name) || Mentions(logical.Right, name),
        NotFilter not => Mentions(not.Inner, name),
        _ => true,
    };

    private static bool Is(AttributePath path, string name) => path.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
}
