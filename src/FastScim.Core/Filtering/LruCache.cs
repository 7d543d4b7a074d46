namespace FastScim.Core.Filtering;

/// <summary>A small thread-safe least-recently-used map; values are created outside the lock and never cached when creation throws.</summary>
internal sealed class LruCache<TValue>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, TValue>>> _entries;
    private readonly LinkedList<KeyValuePair<string, TValue>> _recency = new();

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Dictionary<string, LinkedListNode<KeyValuePair<string, TValue>>>(capacity, StringComparer.Ordinal);
    }

    public int Capacity { get; }

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

    public TValue GetOrAdd<TState>(string key, TState state, Func<string, TState, TValue> create)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Value;
            }
        }

        var value = create(key, state);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var raced))
            {
                return raced.Value.Value;
            }

            _entries.Add(key, _recency.AddFirst(KeyValuePair.Create(key, value)));
            if (_entries.Count > Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }

        return value;
    }
}
