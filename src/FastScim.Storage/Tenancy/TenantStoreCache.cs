namespace FastScim.Storage.Tenancy;

/// <summary>
/// The open tenant stores: tenant name → <see cref="ITenantStore"/>, opened on first use and
/// kept in a bounded least-recently-used set. Callers hold a <see cref="TenantStoreLease"/> for the
/// length of a request; a store pushed out of the set is disposed (after its queued writes
/// finish) only when its last lease is released, and the next request for that tenant waits for
/// that to finish before it opens the file again.
/// </summary>
public sealed class TenantStoreCache : IAsyncDisposable
{
    public const int DefaultCapacity = 256;

    private readonly Func<string, ITenantStore> _open;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Dictionary<string, Task> _closing = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="open">
    /// Opens a tenant's store; called at most once per tenant while it stays in the cache. The
    /// server checks there that the tenant exists (so a deleted tenant is not recreated).
    /// </param>
    /// <param name="capacity">How many stores stay open at most (besides ones still leased after eviction).</param>
    public TenantStoreCache(Func<string, ITenantStore> open, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _open = open;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Stores open in the cache now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The tenant's store, opening it if needed. Dispose the lease when the request is done.
    /// Completes synchronously when the store is already open.
    /// </summary>
    public ValueTask<TenantStoreLease> AcquireAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Task? closing;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(tenant, out Entry? entry))
            {
                if (entry.Store.IsValueCreated)
                {
                    entry.Leases++;
                    _recency.Remove(entry.Node);
                    _recency.AddFirst(entry.Node);
                    return new ValueTask<TenantStoreLease>(new TenantStoreLease(this, entry));
                }
            }

            _closing.TryGetValue(tenant, out closing);
        }

        // Not open yet, being opened by another request, or still closing after eviction.
        return AcquireSlowAsync(tenant, closing, cancellationToken);
    }

    private async ValueTask<TenantStoreLease> AcquireSlowAsync(string tenant, Task? closing, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (closing is not null)
            {
                // The previous store of this tenant still holds the file: wait until it is closed.
                // A failure to close is the closer's to report; this request just opens again.
                await closing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
            }

            Entry entry;
            List<Entry> evicted;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_entries.TryGetValue(tenant, out Entry? existing))
                {
                    existing.Leases++;
                    _recency.Remove(existing.Node);
                    _recency.AddFirst(existing.Node);
                    entry = existing;
                    evicted = [];
                }
                else if (_closing.TryGetValue(tenant, out closing))
                {
                    continue;
                }
                else
                {
                    entry = new Entry(tenant, new Lazy<ITenantStore>(() => _open(tenant), LazyThreadSafetyMode.ExecutionAndPublication));
                    entry.Leases = 1;
                    _entries.Add(tenant, entry);
                    _recency.AddFirst(entry.Node);
                    evicted = EvictOverCapacity();
                }
            }

            foreach (Entry old in evicted)
            {
                ReleaseIfUnused(old);
            }

            try
            {
                _ = entry.Store.Value; // open outside the lock; other tenants are not held up
            }
            catch
            {
                lock (_lock)
                {
                    entry.Leases--;
                    if (_entries.TryGetValue(tenant, out Entry? current) && ReferenceEquals(current, entry))
                    {
                        _entries.Remove(tenant);
                        _recency.Remove(entry.Node);
                    }
                }

                throw;
            }

            return new TenantStoreLease(this, entry);
        }
    }

    /// <summary>
    /// Takes the tenant's store out of the cache and completes once it is closed: queued writes
    /// done, leases released, file closed. Used before deleting a tenant's files.
    /// </summary>
    public ValueTask CloseAsync(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        Task? closing;
        lock (_lock)
        {
            if (_entries.TryGetValue(tenant, out Entry? entry))
            {
                Evict(entry);
            }

            _closing.TryGetValue(tenant, out closing);
        }

        return closing is null ? ValueTask.CompletedTask : new ValueTask(closing);
    }

    /// <summary>Closes every store, waiting for queued writes and open leases.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] closing;
        lock (_lock)
        {
            _disposed = true;
            foreach (Entry entry in _entries.Values.ToList())
            {
                Evict(entry);
            }

            closing = [.. _closing.Values];
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    internal void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Leases--;
        }

        ReleaseIfUnused(entry);
    }

    // Called with the lock held.
    private List<Entry> EvictOverCapacity()
    {
        var evicted = new List<Entry>();
        while (_entries.Count > Capacity && _recency.Last is { } oldest)
        {
            Evict(oldest.Value);
            evicted.Add(oldest.Value);
        }

        return evicted;
    }

    // Called with the lock held: out of the cache, and registered as closing until disposed.
    private void Evict(Entry entry)
    {
        _entries.Remove(entry.Tenant);
        _recency.Remove(entry.Node);
        entry.Evicted = true;
        _closing[entry.Tenant] = entry.Closed.Task;
        if (entry.Leases == 0)
        {
            StartClosing(entry);
        }
    }

    private void ReleaseIfUnused(Entry entry)
    {
        lock (_lock)
        {
            if (entry.Evicted && entry.Leases == 0)
            {
                StartClosing(entry);
            }
        }
    }

    // Called with the lock held; runs at most once per entry.
    private void StartClosing(Entry entry)
    {
        if (entry.ClosingStarted)
        {
            return;
        }

        entry.ClosingStarted = true;
        _ = CloseEntryAsync(entry);
    }

    private async Task CloseEntryAsync(Entry entry)
    {
        await Task.Yield(); // never dispose on the caller's stack while it may hold the lock
        try
        {
            if (entry.Store.IsValueCreated)
            {
                await entry.Store.Value.DisposeAsync().ConfigureAwait(false);
            }

            entry.Closed.TrySetResult();
        }
        catch (Exception exception)
        {
            entry.Closed.TrySetException(exception);
        }
        finally
        {
            lock (_lock)
            {
                if (_closing.TryGetValue(entry.Tenant, out Task? task) && task == entry.Closed.Task)
                {
                    _closing.Remove(entry.Tenant);
                }
            }
        }
    }

    internal sealed class Entry
    {
        public Entry(string tenant, Lazy<ITenantStore> store)
        {
            Tenant = tenant;
            Store = store;
            Node = new LinkedListNode<Entry>(this);
        }

        public string Tenant { get; }
        public Lazy<ITenantStore> Store { get; }
        public LinkedListNode<Entry> Node { get; }
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Leases { get; set; }
        public bool Evicted { get; set; }
        public bool ClosingStarted { get; set; }
    }
}

/// <summary>
/// A tenant's store held for one request. Dispose it once when the request ends; the store stays
/// open at least until then, even if the cache evicts it meanwhile.
/// </summary>
public sealed class TenantStoreLease : IDisposable
{
    private readonly TenantStoreCache _cache;
    private TenantStoreCache.Entry? _entry;

    internal TenantStoreLease(TenantStoreCache cache, TenantStoreCache.Entry entry)
    {
        _cache = cache;
        _entry = entry;
        Store = entry.Store.Value;
    }

    public ITenantStore Store { get; }

    public void Dispose()
    {
        TenantStoreCache.Entry? entry = Interlocked.Exchange(ref _entry, null);
        if (entry is not null)
        {
            _cache.Release(entry);
        }
    }
}
