namespace FastScim.Storage.Planning;

/// <summary>
/// How a filtered query reads a collection: a full scan in creation order, or the union of one or
/// more index seeks whose candidates the compiled filter then tests. A plan changes only the cost
/// of a query, never its result.
/// </summary>
public sealed class QueryPlan
{
    private QueryPlan(IReadOnlyList<IndexSeek>? seeks) => Seeks = seeks;

    /// <summary>Read every resource.</summary>
    public static QueryPlan Scan { get; } = new(null);

    /// <summary>The seeks whose union holds every match; null for a scan.</summary>
    public IReadOnlyList<IndexSeek>? Seeks { get; }

    public bool IsScan => Seeks is null;

    public static QueryPlan Seek(IReadOnlyList<IndexSeek> seeks)
    {
        ArgumentNullException.ThrowIfNull(seeks);
        return new QueryPlan(seeks);
    }

    public override string ToString() => Seeks is null ? "scan" : "seek " + string.Join(" + ", Seeks.Select(static s => $"{s.Attribute}={s.Key}"));
}
