using System.Runtime.CompilerServices;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>
/// How many Bulk operations of one tenant run at once, over all its Bulk requests. Each operation
/// holds its parsed request, its prepared document and its answer until the writer commits it;
/// 32 identity-provider connections sending 100 operations each kept 3,200 of them alive, and
/// the process served a third fewer Bulk requests per second than with a few hundred in flight
/// (perf/RESULTS.md; the background GC took a quarter of the CPU samples of that run). A request takes a place for each operation in
/// request order before the operation starts, and gives it back when the operation ends.
/// </summary>
internal static class BulkAdmission
{
    /// <summary>
    /// Places per tenant: one writer batch's worth (TenantDatabase.MaxBatchSize). Alternated load
    /// runs of 32 connections sending Bulk requests of 100 creates: unbounded 48 requests/s, 512
    /// places 63, 256 places 73, 128 places 79; with 4 connections 128 places cost a tenth.
    /// </summary>
    public const int OperationsInFlight = 256;

    // One per open tenant store; it goes when the store does.
    private static readonly ConditionalWeakTable<ITenantStore, SemaphoreSlim> Places = new();

    /// <summary>
    /// Waits for a place for the next operation of a Bulk request. A request asks in the order of
    /// its operations and only after the operations before it have theirs, so an operation never
    /// holds a place while one it waits for (its turn at the writer) has none: no deadlock.
    /// </summary>
    public static async Task<IDisposable> EnterAsync(ITenantStore store, CancellationToken cancellationToken)
    {
        SemaphoreSlim places = Places.GetValue(store, static _ => new SemaphoreSlim(OperationsInFlight, OperationsInFlight));
        await places.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Place(places);
    }

    private sealed class Place(SemaphoreSlim places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}
