using System.Collections.Concurrent;
using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tenancy;

/// <summary>
/// The open tenant stores: tenant name → <see cref="ITenantStore"/>, opened on first use and
/// kept in a bounded least-recently-used set. Callers hold a <see cref="TenantStoreLease"/> for the
/// length of a request; a store pushed out of the set is disposed (after its queued writes
/// finish) only when its last lease is released, and the next request for that tenant waits for
/// that to finish before it opens the file again.
/// </summary>
/// <remarks>
/// Every request takes and releases a lease, so that path takes no lock (a profile of paging
/// under 32 connections showed the lock here contended): the open stores are read from a
/// concurrent dictionary, a lease is an interlocked count that eviction closes at zero, and
/// recency is a stamp from a shared counter rather than a linked list to reorder. The lock is
/// taken only to open, evict and close.
/// </remarks>
public sealed class TenantStoreCache : IAsyncDisposable
{
    public const int DefaultCapacity = 256;

    /// <summary>How many stores close between two background collections (<see cref="HeapCompaction.AfterCloses"/>).</summary>
    public const int DefaultCollectAfterCloses = 64;

    private readonly Func<string, ITenantStore> _open;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal); // changed under the lock only
    private readonly Dictionary<string, Task> _closing = new(StringComparer.Ordinal);
    private volatile bool _disposed;
    private long _clock; // recency stamps: the greater, the more recently used
    private readonly int _collectAfterCloses;
    private long _closes;

    /// <param name="open">
    /// Opens a tenant's store; called at most once per tenant while it stays in the cache. The
    /// server checks there that the tenant exists (so a deleted tenant is not recreated).
    /// </param>
    /// <param name="capacity">How many stores stay open at most (besides ones still leased after eviction).</param>
    /// <param name="collectAfterCloses">How many stores close between two background collections of what they held (<see cref="HeapCompaction.AfterCloses"/>).</param>
    public TenantStoreCache(Func<string, ITenantStore> open, int capacity = DefaultCapacity, int collectAfterCloses = DefaultCollectAfterCloses)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(collectAfterCloses, 1);
        _open = open;
        Capacity = capacity;
        _collectAfterCloses = collectAfterCloses;
    }

    public int Capacity { get; }

    /// <summary>Stores open in the cache now (for tests and metrics).</summary>
    public int Count => _entries.Count;

    /// <summary>Background collections started after stores closed (for tests and metrics): one every <c>collectAfterCloses</c> closes.</summary>
    public long BackgroundCollections => Interlocked.Read(ref _closes) / _collectAfterCloses;

    /// <summary>
    /// The tenant's store, opening it if needed. Dispose the lease when the request is done.
    /// Completes synchronously when the store is already open.
    /// </summary>
    public ValueTask<TenantStoreLease> AcquireAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_entries.TryGetValue(tenant, out Entry? entry) && entry.Store.IsValueCreated && entry.TryLease())
        {
            Touch(entry);
            return new ValueTask<TenantStoreLease>(new TenantStoreLease(this, entry));
        }

        // Not open yet, being opened by another request, or evicted and closing.
        Task? closing;
        lock (_lock)
        {
            _closing.TryGetValue(tenant, out closing);
        }

        return AcquireSlowAsync(tenant, closing, cancellationToken);
    }

    private void Touch(Entry entry) => entry.LastUsed = Interlocked.Increment(ref _clock);

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
                if (_entries.TryGetValue(tenant, out Entry? existing) && existing.TryLease())
                {
                    // In the cache (so not evicted, and a lease cannot be refused); maybe still opening.
                    Touch(existing);
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
                    _ = entry.TryLease();
                    Touch(entry);
                    _entries[tenant] = entry;
                    evicted = EvictOverCapacity(entry);
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
                    if (_entries.TryGetValue(tenant, out Entry? current) && ReferenceEquals(current, entry))
                    {
                        _entries.TryRemove(tenant, out _);
                    }

                    // Evicted while it was opening (capacity, CloseAsync, shutdown): its close is
                    // awaited by the next request and by CloseAsync, so complete it.
                    if (entry.ReleaseLease() && entry.Evicted && entry.TryClose())
                    {
                        StartClosing(entry);
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
        // Lock-free unless this was the last lease of an evicted store (then it closes the store).
        if (entry.ReleaseLease() && entry.Evicted)
        {
            ReleaseIfUnused(entry);
        }
    }

    // Called with the lock held: the least recently used stores beyond the capacity, never the one just added.
    private List<Entry> EvictOverCapacity(Entry added)
    {
        var evicted = new List<Entry>();
        while (_entries.Count > Capacity)
        {
            Entry? oldest = null;
            foreach (Entry candidate in _entries.Values)
            {
                if (!ReferenceEquals(candidate, added) && (oldest is null || candidate.LastUsed < oldest.LastUsed))
                {
                    oldest = candidate;
                }
            }

            if (oldest is null)
            {
                break;
            }

            Evict(oldest);
            evicted.Add(oldest);
        }

        return evicted;
    }

    // Called with the lock held: out of the cache, and registered as closing until disposed.
    private void Evict(Entry entry)
    {
        _entries.TryRemove(entry.Tenant, out _);
        entry.Evicted = true;
        _closing[entry.Tenant] = entry.Closed.Task;
        if (entry.TryClose())
        {
            StartClosing(entry);
        }
    }

    private void ReleaseIfUnused(Entry entry)
    {
        lock (_lock)
        {
            if (entry.Evicted && entry.TryClose())
            {
                StartClosing(entry);
            }
        }
    }

    // Called with the lock held, once per entry (only the caller whose TryClose succeeded).
    private void StartClosing(Entry entry) => _ = CloseEntryAsync(entry);

    private async Task CloseEntryAsync(Entry entry)
    {
        await Task.Yield(); // never dispose on the caller's stack while it may hold the lock
        try
        {
            if (entry.Store.IsValueCreated)
            {
                await entry.Store.Value.DisposeAsync().ConfigureAwait(false);
                CollectAfterCloses();
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

    /// <summary>
    /// The stores closed before this one left their memory (LiteDB's page cache, the in-memory
    /// model) as garbage in the oldest generation, which the GC collects only as that generation
    /// grows. With 1,000 tenants touched through an LRU of 256, RSS ended at 184 MB with one
    /// background collection every 64 closes against 219 MB without (workstation GC), and under
    /// the server GC it grew by some 25 MB per 256 tenants until the collections held it flat
    /// (perf/RESULTS.md, "sixteenth session").
    /// </summary>
    private void CollectAfterCloses()
    {
        if (Interlocked.Increment(ref _closes) % _collectAfterCloses == 0)
        {
            HeapCompaction.AfterCloses();
        }
    }

    internal sealed class Entry(string tenant, Lazy<ITenantStore> store)
    {
        // Leases held now; -1 once the store is closing, after which no lease is granted.
        private int _leases;
        private volatile bool _evicted;

        public string Tenant { get; } = tenant;
        public Lazy<ITenantStore> Store { get; } = store;
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The cache's clock at this store's last lease (least recently used = smallest).</summary>
        public long LastUsed { get; set; }

        /// <summary>Out of the cache: it closes when its last lease is released.</summary>
        public bool Evicted
        {
            get => _evicted;
            set => _evicted = value;
        }

        /// <summary>Takes a lease unless the store is closing.</summary>
        public bool TryLease()
        {
            while (true)
            {
                int leases = Volatile.Read(ref _leases);
                if (leases < 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases)
                {
                    return true;
                }
            }
        }

        /// <summary>Releases a lease; true when none is left.</summary>
        public bool ReleaseLease() => Interlocked.Decrement(ref _leases) == 0;

        /// <summary>Marks the store closing if no lease is held; true for the one caller that did.</summary>
        public bool TryClose() => Interlocked.CompareExchange(ref _leases, -1, 0) == 0;
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
