using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>
/// Holds a tenant's writer on a gate, so that the writes queued meanwhile are applied together,
/// as one batch, once <see cref="ReleaseAsync"/> lets it go (at most a minute).
/// </summary>
internal sealed class WriterHold : IDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly Task _held;

    public WriterHold(TenantDatabase database) => _held = database.WriteAsync(_ => _gate.Wait(TimeSpan.FromMinutes(1)));

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
