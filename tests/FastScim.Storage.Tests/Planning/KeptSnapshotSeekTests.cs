using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Planning;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.Planning;

/// <summary>
/// The model's indexes are shared by every snapshot and take a lost key out some versions later
/// (ModelIndex): a reader that kept its snapshot longer than that still gets what its snapshot
/// holds, by a scan of it.
/// </summary>
public sealed class KeptSnapshotSeekTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private LiteDbTenantStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(ModelIndex.PurgeLag + 1)]
    public async Task A_reader_that_kept_its_snapshot_finds_what_it_holds_however_many_batches_followed(int batches)
    {
        var users = (LiteDbResourceCollection<User>)_store.Users;
        await users.CreateAsync(new User { Id = "u1", UserName = "bjensen", Emails = [new Email { Value = "old@example.com" }] });
        ModelSnapshot<User> kept = users.Snapshot;

        // The email changes, then other writes: enough of them for the index to take the old key out.
        await users.UpdateAsync("u1", null, u => { u.Emails = [new Email { Value = "new@example.com" }]; return u; });
        for (int i = 0; i < batches; i++)
        {
            await users.CreateAsync(new User { Id = "other-" + i, UserName = "other-" + i });
        }

        FilterNode filter = FilterParser.Parse("emails.value eq \"OLD@example.com\"");
        QueryPlan plan = QueryPlanner.Users.Plan(filter);
        Assert.False(plan.IsScan);
        Func<User, bool> predicate = FilterCompiler.CompileUser(filter);

        ResourcePage<User> then = users.Query(kept, plan, predicate, 0, 10, order: null, complete: null);
        ResourcePage<User> now = users.Query(plan, predicate, 0, 10, order: null, complete: null);

        Assert.Equal(["u1"], then.Resources.Select(static u => u.Id));
        Assert.Equal(1, then.TotalResults);
        Assert.Equal(0, now.TotalResults);

        // Which way the kept reader went: within the lag the index still names u1 and the seek
        // found it; past it, the index has let it go and told the reader to scan.
        ModelIndex emails = kept.Indexes[Array.FindIndex(kept.Indexes, i => i.TryGetValue("NEW@EXAMPLE.COM", out _))];
        bool withinLag = batches <= ModelIndex.PurgeLag;
        Assert.Equal(withinLag, emails.Covers(kept.Version));
        Assert.Equal(withinLag, emails.TryGetValue("OLD@EXAMPLE.COM", out _));
    }
}
