using System.Runtime;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Gives back to the OS the memory that opening a large tenant went through (issue 7: RSS with a
/// 100,000-user tenant open under 400 MB, after a restart as well).
/// </summary>
/// <remarks>
/// Opening a tenant reads its whole log into the in-memory model: every record LiteDB reads, every
/// BSON document and every version a later entry supersedes is garbage as soon as the model is
/// built, and the GC keeps the memory it held committed for allocations to come. With 100,000
/// users that was 373 MB after a restart against 273 MB for the same tenant just written
/// (perf/RESULTS.md, fifteenth session). One blocking, compacting collection that returns free
/// memory to the OS (<see cref="GCCollectionMode.Aggressive"/>) right after such an open leaves
/// what the model holds. It pauses the whole process, so only files of at least
/// <see cref="MinimumBytes"/> get it: their open already takes seconds, where a small tenant's
/// takes milliseconds (a cold tenant answers within 50 ms).
/// </remarks>
internal static class HeapCompaction
{
    /// <summary>The least a tenant's files hold (data and log) for its open to be followed by a compaction.</summary>
    public const long MinimumBytes = 32L * 1024 * 1024;

    /// <summary>
    /// Called once a tenant is open and its models are built: compacts when its files hold
    /// <paramref name="fileBytes"/> ≥ <paramref name="minimumBytes"/>; returns whether it did.
    /// </summary>
    public static bool AfterOpen(long fileBytes, long minimumBytes = MinimumBytes)
    {
        if (fileBytes < minimumBytes)
        {
            return false;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
