using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>
/// Holds a tenant's writer on a gate, so that the writes queued meanwhile are applied together,
/// as one batch, once <see cref="ReleaseAsync"/> lets it go (at most a minute).
/// </summary>
internal sealed class WriterHold : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _held;

    public WriterHold(TenantDatabase database)
    {
        _held = database.WriteAsync(_ =>
        {
            _entered.TrySetResult();
            return _gate.Wait(TimeSpan.FromMinutes(1));
        });

        // The writer takes what is queued as one batch before it runs any of it: once the hold
        // runs, its batch is closed, and every write queued from here on waits for the next one.
        // Returning earlier let a write queued at once join the hold's batch (a test failed so
        // when a collection elsewhere delayed the writer's thread). A hold the writer refuses (a
        // closed or faulted database) ends at once with the writer's own error.
        Task first = Task.WhenAny(_entered.Task, _held, Task.Delay(TimeSpan.FromMinutes(1))).GetAwaiter().GetResult();
        if (first == _held)
        {
            _held.GetAwaiter().GetResult();
        }
        else if (first != _entered.Task)
        {
            throw new TimeoutException("The writer did not reach the hold within a minute.");
        }
    }

    /// <summary>Lets the writer go and waits until the holding write is done.</summary>
    public Task ReleaseAsync()
    {
        _gate.Set();
        return _held;
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
