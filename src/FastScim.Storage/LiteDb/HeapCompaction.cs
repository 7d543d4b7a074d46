using System.Runtime;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Gives back the memory that opening and closing tenants leave behind (issue 7: RSS with a
/// 100,000-user tenant open under 400 MB, after a restart as well; 1,000 tenants served with
/// memory bounded by the LRU of open ones).
/// </summary>
/// <remarks>
/// <para>
/// Opening a tenant reads its whole log into the in-memory model: every record LiteDB reads, every
/// BSON document and every version a later entry supersedes is garbage as soon as the model is
/// built, and the GC keeps the memory it held committed for allocations to come. With 100,000
/// users that was 373 MB after a restart against 273 MB for the same tenant just written
/// (perf/RESULTS.md, fifteenth session). One blocking <see cref="Compact"/> right after such an
/// open leaves only what the model holds. It pauses the whole process, so only files of at least
/// <see cref="MinimumBytes"/> get it: their open already takes seconds, where a small tenant's
/// takes milliseconds (a cold tenant answers within 50 ms).
/// </para>
/// <para>
/// Tenants closing one after another (an LRU of 256 serving 1,000 tenants) leave their models and
/// LiteDB's page caches in the oldest generation, which the GC collects only as it grows; the cache
/// of open stores starts a background collection after every so many closes
/// (<see cref="AfterCloses"/>), which finds what the stores closed before it left.
/// </para>
/// </remarks>
public static class HeapCompaction
{
    /// <summary>The least a tenant's files hold (data and log) for its open to be followed by a compaction.</summary>
    public const long MinimumBytes = 32L * 1024 * 1024;

    /// <summary>
    /// One blocking collection of every generation that compacts them, the large-object heap too,
    /// and gives the free memory back to the OS. It pauses every thread for its length.
    /// </summary>
    public static void Compact()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>
    /// Called once a tenant is open and its models are built: compacts when its files hold
    /// <paramref name="fileBytes"/> ≥ <paramref name="minimumBytes"/>; returns whether it did.
    /// </summary>
    internal static bool AfterOpen(long fileBytes, long minimumBytes)
    {
        if (fileBytes < minimumBytes)
        {
            return false;
        }

        Compact();
        return true;
    }

    /// <summary>
    /// Called after tenants closed: one collection of every generation in the background (it
    /// sweeps, it does not compact, and requests go on), so that what they held is reused.
    /// </summary>
    internal static void AfterCloses() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
}
