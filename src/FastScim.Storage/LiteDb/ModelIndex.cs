using System.Collections;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// One index of a collection's in-memory model: key → the ids of the resources holding it. One
/// object serves every snapshot of the model; the writer changes it in place, and what a reader
/// finds in it is a superset of what its snapshot holds under the key, or it is told to look
/// otherwise (<see cref="Covers"/>).
/// </summary>
/// <remarks>
/// <para>
/// Why not a snapshot of its own, as <see cref="ModelSnapshot{T}.ById"/> is: a persistent map
/// copies the path to every key it changes, and a created user changes four keys (userName,
/// externalId, two emails). Under POST those copies were a quarter of the bytes a request
/// allocated, and a build that skipped the indexes altogether served 21% more POSTs (issue 7).
/// A reader never trusts an index alone anyway: every id it finds is read through its own
/// snapshot's <see cref="ModelSnapshot{T}.ById"/> and tested by the filter (QueryPlanner), and the
/// writer's uniqueness check reads the holder's keys. So an id that no longer holds a key may stay
/// under it for a while; what must never happen is a reader missing an id that holds the key in
/// its snapshot.
/// </para>
/// <para>
/// Hence: an id is added under a key as soon as a batch gives it the key (readers of older
/// snapshots find it and drop it). An id that loses a key, by a change or a deletion of version v,
/// stays under it until the writer has published <see cref="PurgeLag"/> versions after v, and is
/// then taken out unless it holds the key again. <see cref="PurgedThrough"/> is the latest version
/// whose losses were taken out, raised before any is: a reader whose snapshot is older than it may
/// have missed an id (its snapshot's version still held the key), and answers from its snapshot
/// alone instead (<see cref="Covers"/>). With the lag, that takes a reader that kept its snapshot
/// while the writer published <see cref="PurgeLag"/> batches.
/// </para>
/// </remarks>
internal sealed class ModelIndex
{
    /// <summary>How many versions a loss waits before it is taken out: readers that old look otherwise.</summary>
    internal const int PurgeLag = 16;

    // Key → CompactStrings.Reference. A Hashtable because its contract is this index's: any number
    // of readers without a lock while one writer changes it (documented for Hashtable, which
    // retries a read that raced a write; Dictionary promises nothing of the kind). Its entries are
    // structs in one array, where ConcurrentDictionary made a node object per key and made every
    // node again each time its table grew: under POST that was ≈380 B of the ≈9.8 KB a create
    // allocated (issue 7), and 48 B an index key for the collector to trace in every tenant. Readers
    // copy a value and keep it; the writer never changes one in place but stores a new one.
    private readonly Hashtable _holders;

    // The writer's alone: losses waiting, oldest first, and the version of the latest loss of each
    // (key, id), so that a loss followed by a gain and another loss is taken out once, when the
    // last one's turn comes (before it, a reader between the gain and the last loss needs the id).
    private readonly Queue<(long Version, string Key, string Id)> _losses = new();
    private readonly Dictionary<(string Key, string Id), long> _latestLoss;

    private long _purgedThrough;

    public ModelIndex(StringComparer comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        Comparer = comparer;
        _holders = new Hashtable(comparer);
        _latestLoss = new Dictionary<(string, string), long>(new LossComparer(comparer));
    }

    public IEqualityComparer<string> Comparer { get; }

    /// <summary>How many keys name at least one id (for tests: losses taken out leave no key behind).</summary>
    public int Count => _holders.Count;

    /// <summary>How many losses wait to be taken out (for tests).</summary>
    internal int Waiting => _losses.Count;

    /// <summary>The ids under <paramref name="key"/>: every id that holds it in the latest version, and maybe others (see the remarks).</summary>
    public bool TryGetValue(string key, out CompactStrings ids)
    {
        ids = CompactStrings.FromReference(_holders[key]);
        return ids.Count > 0; // a key without holders is taken out (Purge), never kept empty
    }

    /// <summary>The latest version whose losses are taken out (0 for none).</summary>
    public long PurgedThrough => Volatile.Read(ref _purgedThrough);

    /// <summary>
    /// Whether what a reader read from this index before calling holds every id that holds its keys
    /// in the snapshot of <paramref name="version"/>; when not, the reader must answer from its
    /// snapshot alone.
    /// </summary>
    public bool Covers(long version)
    {
        // The reads of the holders before this one must not move after it (a load may pass an acquire).
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _purgedThrough) <= version;
    }

    /// <summary>Writer: <paramref name="id"/> holds <paramref name="key"/> (from now on; idempotent).</summary>
    public void Gain(string key, string id)
    {
        var ids = CompactStrings.FromReference(_holders[key]);
        if (!ids.Contains(id))
        {
            _holders[key] = ids.With(id).Reference; // a new value: readers may hold the old one
        }
    }

    /// <summary>Writer: <paramref name="id"/> no longer holds <paramref name="key"/> as of <paramref name="version"/>.</summary>
    public void Lose(long version, string key, string id)
    {
        // One batch may lose a key twice (lost, held again, lost: two PATCHes of one user, or a
        // model reading its whole log as one version): one loss of it a version is enough.
        if (_latestLoss.TryGetValue((key, id), out long latest) && latest == version)
        {
            return;
        }

        _losses.Enqueue((version, key, id));
        _latestLoss[(key, id)] = version;
    }

    /// <summary>
    /// Writer, once <paramref name="published"/> is the version readers get: takes out the losses of
    /// versions up to <paramref name="published"/> − <see cref="PurgeLag"/>, except where
    /// <paramref name="holds"/>(key, id) says the id holds the key again in the latest version.
    /// <paramref name="all"/>: every loss (no reader holds a snapshot yet, as when the model opens).
    /// </summary>
    public void Purge(long published, Func<string, string, bool> holds, bool all = false)
    {
        long through = all ? long.MaxValue : published - PurgeLag;
        if (_losses.Count == 0 || _losses.Peek().Version > through)
        {
            return;
        }

        // Raised before anything is taken out (a full fence: no removal below moves above it).
        long last = all ? published : Math.Max(through, 0);
        Interlocked.Exchange(ref _purgedThrough, Math.Max(Volatile.Read(ref _purgedThrough), last));
        while (_losses.Count > 0 && _losses.Peek().Version <= through)
        {
            var (version, key, id) = _losses.Dequeue();
            if (!_latestLoss.TryGetValue((key, id), out long latest) || latest != version)
            {
                continue; // it lost the key again later: that loss takes it out
            }

            _latestLoss.Remove((key, id));
            if (holds(key, id) || !TryGetValue(key, out CompactStrings ids))
            {
                continue;
            }

            int at = ids.IndexOf(id);
            if (at < 0)
            {
                continue;
            }

            if (ids.Count == 1)
            {
                _holders.Remove(key);
            }
            else
            {
                _holders[key] = ids.Without(at).Reference;
            }
        }
    }

    /// <summary>(key, id) pairs: keys as the index compares them, ids ordinally.</summary>
    private sealed class LossComparer(IEqualityComparer<string> keys) : IEqualityComparer<(string Key, string Id)>
    {
        public bool Equals((string Key, string Id) x, (string Key, string Id) y) =>
            keys.Equals(x.Key, y.Key) && string.Equals(x.Id, y.Id, StringComparison.Ordinal);

        public int GetHashCode((string Key, string Id) pair) =>
            HashCode.Combine(keys.GetHashCode(pair.Key), StringComparer.Ordinal.GetHashCode(pair.Id));
    }
}
