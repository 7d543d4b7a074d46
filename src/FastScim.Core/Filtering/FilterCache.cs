namespace FastScim.Core.Filtering;

/// <summary>
/// Parsed filters by exact filter text, so a query repeated by an identity provider (Entra's
/// <c>userName eq "…"</c> existence checks) parses once. Bounded: least recently used entries
/// are dropped beyond <see cref="Capacity"/> (so at most Capacity × MaxLength characters of keys).
/// Thread-safe; parsing happens outside the lock, and invalid filters are not cached (they throw
/// every time). Trees are immutable records, so one instance is shared by all callers.
/// </summary>
public sealed class FilterCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, FilterNode>>> _entries;
    private readonly LinkedList<KeyValuePair<string, FilterNode>> _recency = new();

    public FilterCache(int capacity = 1024, FilterParserOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Options = options ?? FilterParserOptions.Default;
        _entries = new Dictionary<string, LinkedListNode<KeyValuePair<string, FilterNode>>>(capacity, StringComparer.Ordinal);
    }

    public int Capacity { get; }

    /// <summary>The options every filter of this cache is parsed with (part of the key by construction).</summary>
    public FilterParserOptions Options { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The tree of <paramref name="filter"/>, parsed on first use.</summary>
    /// <exception cref="Protocol.ScimException">400 invalidFilter, as <see cref="FilterParser.Parse"/>.</exception>
    public FilterNode GetOrParse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_gate)
        {
            if (_entries.TryGetValue(filter, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Value;
            }
        }

        var node = FilterParser.Parse(filter, Options);
        lock (_gate)
        {
            if (_entries.TryGetValue(filter, out var raced))
            {
                return raced.Value.Value;
            }

            _entries.Add(filter, _recency.AddFirst(KeyValuePair.Create(filter, node)));
            if (_entries.Count > Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }

        return node;
    }
}
