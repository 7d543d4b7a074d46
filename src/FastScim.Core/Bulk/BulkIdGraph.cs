namespace FastScim.Core.Bulk;

/// <summary>
/// The order a Bulk request runs in (RFC 7644 §3.7.2): an operation that refers to
/// <c>"bulkId:x"</c> runs after the POST that declares bulkId x, whatever their order in the
/// request; otherwise request order is kept. Operations on a cycle of references (two groups
/// that contain each other, a POST that refers to its own bulkId), and those that depend on
/// one, cannot be ordered: they come last and are reported as <see cref="Cyclic"/>.
/// </summary>
public sealed class BulkIdGraph
{
    private BulkIdGraph(IReadOnlyList<int> order, IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyDictionary<string, int> declarations, IReadOnlySet<int> cyclic)
    {
        Order = order;
        References = references;
        Declarations = declarations;
        Cyclic = cyclic;
    }

    /// <summary>Every operation's index, in the order to run them.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>Per operation (by index), the distinct bulkIds its path and data refer to.</summary>
    public IReadOnlyList<IReadOnlyList<string>> References { get; }

    /// <summary>bulkId → index of the POST that declares it.</summary>
    public IReadOnlyDictionary<string, int> Declarations { get; }

    /// <summary>The operations that are on, or depend on, a cycle of references.</summary>
    public IReadOnlySet<int> Cyclic { get; }

    public static BulkIdGraph Build(IReadOnlyList<BulkOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var count = operations.Count;
        var declarations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (operation.BulkId is { } bulkId && string.Equals(operation.Method, "POST", StringComparison.OrdinalIgnoreCase))
            {
                declarations.TryAdd(bulkId, operation.Index);
            }
        }

        var references = new IReadOnlyList<string>[count];
        var dependents = new List<int>?[count];
        var waitingOn = new int[count];
        var found = new List<string>();
        for (var i = 0; i < count; i++)
        {
            found.Clear();
            BulkReferences.Collect(operations[i].Path, found);
            BulkReferences.Collect(operations[i].Data.Span, found);
            var distinct = found.Count == 0 ? [] : found.Distinct(StringComparer.Ordinal).ToArray();
            references[i] = distinct;
            foreach (var bulkId in distinct)
            {
                // An unknown bulkId is no edge: the operation runs in its turn and fails there (409).
                if (declarations.TryGetValue(bulkId, out var declaring))
                {
                    (dependents[declaring] ??= []).Add(i);
                    waitingOn[i]++;
                }
            }
        }

        // Kahn's algorithm, always taking the earliest ready operation: request order is kept
        // wherever references do not force another.
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < count; i++)
        {
            if (waitingOn[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<int>(count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var dependent in dependents[next] ?? [])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        var cyclic = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            if (waitingOn[i] > 0)
            {
                cyclic.Add(i);
                order.Add(i);
            }
        }

        return new BulkIdGraph(order, references, declarations, cyclic);
    }
}
