using FastScim.Core.Protocol;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The writer runs writes while the durability thread fsyncs the previous commit: nothing is
/// answered or shown to readers before it is on disk, the writer's checks see what waits for the
/// disk, and a commit that cannot be made durable takes down every write that came after it.
/// </summary>
public sealed class DurabilityPipelineTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _data = new();
    private readonly ManualResetEventSlim _syncing = new();
    private readonly ManualResetEventSlim _diskGate = new(initialState: true);
    private TenantDatabase _database = null!;
    private LiteDbResourceCollection<Widget> _widgets = null!;
    private volatile bool _diskFails;

    public Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _diskGate.Set();
        await _database.DisposeAsync();
    }

    public void Dispose()
    {
        _data.Dispose();
        _syncing.Dispose();
        _diskGate.Dispose();
    }

    private void Open()
    {
        _database = TenantDatabase.Open("acme", _data.File("acme.db"));
        _widgets = new LiteDbResourceCollection<Widget>(_database, TestCodecs.Widget);

        // Every fsync of the log says it started, then waits at the gate (open unless a test holds the disk).
        _database.File.BeforeFlushToDisk = () =>
        {
            _syncing.Set();
            Assert.True(_diskGate.Wait(Patience), "the test never let the disk go");
            if (_diskFails)
            {
                throw new IOException("the disk is gone");
            }
        };
    }

    /// <summary>Holds the next fsync of the log until <see cref="ReleaseDisk"/>; returns once it has started.</summary>
    private void HoldDiskDuring(Action start)
    {
        _diskGate.Reset();
        _syncing.Reset();
        start();
        Assert.True(_syncing.Wait(Patience), "no fsync started");
    }

    private void ReleaseDisk(bool fail = false)
    {
        _diskFails = fail;
        _diskGate.Set();
    }

    /// <summary>A write that only says it ran: the writer is not blocked.</summary>
    private Task<bool> Marker(ManualResetEventSlim ran) => _database.WriteAsync(_ =>
    {
        ran.Set();
        return true;
    });

    [Fact]
    public async Task The_writer_runs_writes_while_the_previous_commit_waits_for_the_disk_and_readers_see_neither_before_it_is_on_disk()
    {
        await _widgets.CreateAsync(Widget.Named("existing"));
        Widget alpha = Widget.Named("alpha");
        Task createAlpha = null!;
        HoldDiskDuring(() => createAlpha = _widgets.CreateAsync(alpha));

        using var ran = new ManualResetEventSlim();
        Task<bool> marker = Marker(ran);
        Widget beta = Widget.Named("beta");
        Task createBeta = _widgets.CreateAsync(beta);

        // Its check sees alpha, committed but not yet durable: refused, once alpha is on disk.
        Task createDuplicate = _widgets.CreateAsync(Widget.Named("ALPHA"));
        Assert.True(ran.Wait(Patience), "the writer waited for the disk instead of running the next write");

        Assert.False(createAlpha.IsCompleted);
        Assert.False(marker.IsCompleted);
        Assert.Null(_widgets.Find(alpha.Id!));
        Assert.Null(_widgets.Find(beta.Id!));
        Assert.Equal(["existing"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        ReleaseDisk();
        await createAlpha;
        await createBeta;
        Assert.True(await marker);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => createDuplicate)).ScimType);
        Assert.Equal(["existing", "alpha", "beta"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task Writes_run_while_a_commit_waits_for_the_disk_are_committed_together_after_it()
    {
        long before = _database.DurableCommits;
        Task first = null!;
        HoldDiskDuring(() => first = _widgets.CreateAsync(Widget.Named("first")));
        Task[] behind = [.. Enumerable.Range(0, 20).Select(i => _widgets.CreateAsync(Widget.Named("behind-" + i)))];
        using var ran = new ManualResetEventSlim();
        Task<bool> marker = Marker(ran);
        Assert.True(ran.Wait(Patience));

        ReleaseDisk();
        await first;
        await Task.WhenAll(behind);
        await marker;

        // The held fsync, then one for everything that ran meanwhile: not one per write.
        Assert.Equal(2, _database.DurableCommits - before);
        Assert.Equal(21, _widgets.List(0, 100).TotalResults);
    }

    [Fact]
    public async Task When_a_commit_cannot_be_made_durable_every_write_behind_it_fails_and_none_of_them_reaches_the_file()
    {
        Widget kept = Widget.Named("kept");
        await _widgets.CreateAsync(kept);
        Widget inDoubt = Widget.Named("in-doubt");
        Task createInDoubt = null!;
        HoldDiskDuring(() => createInDoubt = _widgets.CreateAsync(inDoubt));

        Widget behind = Widget.Named("behind");
        Task createBehind = _widgets.CreateAsync(behind);
        using var ran = new ManualResetEventSlim();
        Task<bool> marker = Marker(ran);
        Assert.True(ran.Wait(Patience));

        ReleaseDisk(fail: true);
        var fault = await Assert.ThrowsAsync<IOException>(() => createInDoubt);
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => createBehind));
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => marker));
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(Widget.Named("after"))));
        Assert.Equal(["kept"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        // The write behind the failed fsync was never committed: a restart does not find it.
        ReleaseDisk();
        _diskFails = false;
        await _database.DisposeAsync();
        Open();
        Assert.Null(_widgets.Find(behind.Id!));
        Assert.NotNull(_widgets.Find(kept.Id!));
    }
}
