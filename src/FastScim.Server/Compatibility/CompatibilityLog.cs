using System.Collections.Concurrent;
using FastScim.Core.Compatibility;
using FastScim.Storage.Tenancy;

namespace FastScim.Server.Compatibility;

/// <summary>
/// Counts, per tenant, client and rule, the requests that needed a compatibility rule
/// (issue 6: tell the operator which bends of RFC 7644 the server absorbed, and for whom). Counts
/// live in memory and are saved to the registry every few seconds and on shutdown, so
/// <c>fastscim tenant compat-report</c> works with or without a running server.
/// </summary>
internal sealed class CompatibilityLog : IAsyncDisposable
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(5);

    private readonly TenantRegistry _registry;
    private readonly ConcurrentDictionary<(string Tenant, string Client, ToleranceRule Rule), Entry> _entries = new();
    private readonly Timer _timer;
    private readonly TextWriter _errorLog;
    private int _dirty;

    public CompatibilityLog(TenantRegistry registry, TextWriter errorLog)
    {
        _registry = registry;
        _errorLog = errorLog;
        foreach (var record in registry.CompatibilityRecords())
        {
            if (ToleranceRules.All.FirstOrDefault(r => ToleranceRules.Name(r) == record.Rule) is var rule and not ToleranceRule.None)
            {
                _entries[(record.Tenant, record.Client, rule)] = new Entry(record.Count, record.LastSeen.UtcTicks, record.Example);
            }
        }

        _timer = new Timer(static state => ((CompatibilityLog)state!).Save(), this, SaveEvery, SaveEvery);
    }

    /// <summary>Counts one request of <paramref name="tenant"/> from <paramref name="client"/> that needed <paramref name="rule"/>; the example is made only for the first.</summary>
    public void Record(string tenant, string client, ToleranceRule rule, Func<string> example)
    {
        var entry = _entries.GetOrAdd((tenant, client, rule), static (_, example) => new Entry(0, 0, example()), example);
        entry.Hit();
        Volatile.Write(ref _dirty, 1);
    }

    /// <summary>The tenant's rows, most frequent first.</summary>
    public IReadOnlyList<CompatibilityRecord> Report(string tenant) =>
        CompatibilityRecord.InReportOrder(_entries.Where(e => e.Key.Tenant == tenant).Select(static e => e.Value.ToRecord(e.Key.Tenant, e.Key.Client, ToleranceRules.Name(e.Key.Rule))));

    /// <summary>Drops a deleted tenant's rows.</summary>
    public void Forget(string tenant)
    {
        foreach (var key in _entries.Keys.Where(k => k.Tenant == tenant).ToArray())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private void Save()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0)
        {
            return;
        }

        try
        {
            _registry.SaveCompatibility([.. _entries.Select(e => e.Value.ToRecord(e.Key.Tenant, e.Key.Client, ToleranceRules.Name(e.Key.Rule)))]);
        }
#pragma warning disable CA1031 // A report that cannot be saved must not take the server down; it is tried again.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _dirty, 1);
            _errorLog.WriteLine($"fastscim: saving the compatibility report failed: {error.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        Save();
    }

    private sealed class Entry(long count, long lastSeenTicks, string example)
    {
        private long _count = count;
        private long _lastSeen = lastSeenTicks;

        public void Hit()
        {
            Interlocked.Increment(ref _count);
            Interlocked.Exchange(ref _lastSeen, DateTimeOffset.UtcNow.UtcTicks);
        }

        public CompatibilityRecord ToRecord(string tenant, string client, string rule) =>
            new(tenant, client, rule, Interlocked.Read(ref _count), new DateTimeOffset(Interlocked.Read(ref _lastSeen), TimeSpan.Zero), example);
    }
}
