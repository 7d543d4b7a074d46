using FastScim.Storage.LiteDb;

namespace FastScim.Server.Hosting;

/// <summary>
/// Gives memory back once a burst of work is over. A Bulk import of 100,000 users leaves the GC
/// heap with hundreds of MB of free space between live objects (replaced read-model snapshots,
/// request buffers); background collections reuse it but do not compact it, and an idle server
/// triggers no further collection, so the process keeps that memory. Every
/// <see cref="Interval"/>, if the thread pool did almost nothing since the last look and more
/// than a quarter of the heap (and at least <see cref="MinFragmentedBytes"/>) is free space, one
/// aggressive compacting collection runs, which also returns the freed pages to the OS. Never
/// while busy: it pauses every thread for the length of a full collection.
/// </summary>
internal sealed class IdleCompaction : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    public const long MinFragmentedBytes = 64L * 1024 * 1024;

    // Work items a quiet interval may see (this timer, the compatibility log's, a stray request).
    private const long IdleWorkItems = 64;

    private readonly Timer _timer;
    private long _lastWorkItems = ThreadPool.CompletedWorkItemCount;
    private int _ticking;

    public IdleCompaction() => _timer = new Timer(static state => ((IdleCompaction)state!).Tick(), this, Interval, Interval);

    /// <summary>Whether a heap in this state, after an interval with this much work, should be compacted now.</summary>
    public static bool ShouldCompact(long workItems, long fragmentedBytes, long heapSizeBytes) =>
        workItems <= IdleWorkItems && fragmentedBytes >= MinFragmentedBytes && fragmentedBytes * 4 >= heapSizeBytes;

    private void Tick()
    {
        // A collection may outlast the interval: never two at once.
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return;
        }

        try
        {
            TickAlone();
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void TickAlone()
    {
        long now = ThreadPool.CompletedWorkItemCount;
        long work = now - _lastWorkItems;
        _lastWorkItems = now;
        GCMemoryInfo heap = GC.GetGCMemoryInfo();
        if (ShouldCompact(work, heap.FragmentedBytes, heap.HeapSizeBytes))
        {
            HeapCompaction.Compact();
            _lastWorkItems = ThreadPool.CompletedWorkItemCount;
        }
    }

    public void Dispose() => _timer.Dispose();
}
