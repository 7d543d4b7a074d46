namespace FastScim.Core.Bulk;

/// <summary>
/// Consecutive operations of one Bulk request (in <see cref="BulkIdGraph.Order"/>) that may run
/// together and be committed in one storage transaction, with the same outcome as running them
/// one after the other in request order (RFC 7644 §3.7; bulkId references reorder, §3.7.2).
/// Order holds because the operations of a batch queue their writes to the tenant's single
/// writer in that order and each sees the effects of those before it; what a batch must not
/// hold is an operation whose input depends on the outcome of an earlier one in it.
/// </summary>
/// <remarks>
/// An operation closes the batch before itself when it:
/// <list type="bullet">
/// <item>refers to a bulkId declared in the batch: its data can only be written once that POST
/// has answered with the new id (§3.7.2);</item>
/// <item>declares a bulkId already declared in the batch (the later declaration wins, as in
/// request order);</item>
/// <item>is on a cycle of bulkId references: those run alone (create, then PATCH — §3.7.2);</item>
/// <item>would let the batch hold more operations than errors are still allowed by
/// <c>failOnErrors</c> (§3.7.3): then even if every one of them fails, the last one is the
/// error that stops the request, so nothing runs that one-by-one processing would not have run.</item>
/// </list>
/// </remarks>
public sealed class BulkBatch
{
    private readonly int _capacity;
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private readonly List<int> _indexes = [];
    private bool _closed;

    /// <param name="capacity">How many operations the batch may hold: the errors still allowed before failOnErrors is reached, or <see cref="int.MaxValue"/>.</param>
    public BulkBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>The operations' indexes, in the order to start them.</summary>
    public IReadOnlyList<int> Indexes => _indexes;

    /// <summary>
    /// Adds the operation unless it must wait for the batch to finish. An empty batch takes any
    /// operation, so every operation runs in some batch.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="references">The bulkIds it refers to (<see cref="BulkIdGraph.References"/>).</param>
    /// <param name="alone">It must run by itself (on a cycle of references).</param>
    public bool TryAdd(BulkOperation operation, IReadOnlyList<string> references, bool alone)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(references);
        if (_indexes.Count > 0 && (_closed || alone || _indexes.Count >= _capacity || DependsOnBatch(operation, references)))
        {
            return false;
        }

        _indexes.Add(operation.Index);
        _closed = alone;
        if (operation.BulkId is { } bulkId && string.Equals(operation.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            _declared.Add(bulkId);
        }

        return true;
    }

    private bool DependsOnBatch(BulkOperation operation, IReadOnlyList<string> references)
    {
        foreach (var reference in references)
        {
            if (_declared.Contains(reference))
            {
                return true;
            }
        }

        return operation.BulkId is { } bulkId && _declared.Contains(bulkId);
    }
}
