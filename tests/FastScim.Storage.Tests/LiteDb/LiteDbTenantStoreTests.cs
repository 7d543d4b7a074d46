using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

public sealed class LiteDbTenantStoreTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private LiteDbTenantStore Open() => new("acme", _data.File("acme.db"), TestCodecs.User, TestCodecs.Group);

    [Fact]
    public async Task Users_and_groups_are_kept_apart_and_survive_reopening()
    {
        User user = TestCodecs.NewUser("bjensen");
        var group = new Group { Id = Guid.NewGuid().ToString("N") };
        await using (LiteDbTenantStore store = Open())
        {
            Assert.Equal("acme", store.Tenant);
            await store.Users.CreateAsync(user);
            await store.Groups.CreateAsync(group);
            Assert.Null(store.Groups.Find(user.Id!));
        }

        await using LiteDbTenantStore reopened = Open();
        Assert.Equal("bjensen", reopened.Users.Find(user.Id!)?.UserName);
        Assert.NotNull(reopened.Groups.Find(group.Id!));
        Assert.Equal(1, reopened.Users.List(0, 10).TotalResults);
        Assert.Equal(1, reopened.Groups.List(0, 10).TotalResults);
    }

    /// <summary>
    /// A create hands its resource over (IResourceCollection.CreateAsync): a user is kept as it is,
    /// the very object; a group is kept as a copy without its members, which live apart, and the
    /// caller's group keeps them.
    /// </summary>
    [Fact]
    public async Task A_created_user_is_kept_itself_and_a_created_group_as_a_copy_without_its_members()
    {
        User user = TestCodecs.NewUser("bjensen");
        var group = new Group { Id = Guid.NewGuid().ToString("N"), DisplayName = "Tour Guides", Members = [new Member { Value = user.Id, Type = "User" }] };
        await using LiteDbTenantStore store = Open();
        await store.Users.CreateAsync(user);
        await store.Groups.CreateAsync(group);

        Assert.Same(user, store.Users.FindShared(user.Id!));
        Group stored = store.Groups.Find(group.Id!, includeMembers: false)!;
        Assert.NotSame(group, stored);
        Assert.Null(stored.Members);
        Assert.Equal(user.Id, Assert.Single(group.Members!).Value);
        Assert.Equal(user.Id, Assert.Single(store.Groups.Find(group.Id!)!.Members!).Value);
    }

    /// <summary>
    /// The writer builds the models' next snapshots while a commit's flush to disk runs, and shows
    /// them only once the commit is durable: while the flush waits, a reader sees nothing of the
    /// batch (a created user, a new version, a membership), and no write of it is acknowledged.
    /// </summary>
    [Fact]
    public async Task Readers_see_a_batch_only_once_its_flush_to_disk_is_done()
    {
        await using LiteDbTenantStore store = Open();
        User user = TestCodecs.NewUser("bjensen");
        var group = new Group { Id = Guid.NewGuid().ToString("N"), DisplayName = "Tour Guides" };
        await store.Users.CreateAsync(user);
        await store.Groups.CreateAsync(group);
        using var flushing = new SemaphoreSlim(0);
        using var flushed = new SemaphoreSlim(0);
        store.Database.File.BeforeFlushToDisk = () =>
        {
            flushing.Release();
            Assert.True(flushed.Wait(TimeSpan.FromMinutes(1)));
        };

        async Task HeldAtItsFlush(Task write, Action seenBefore, Action seenAfter)
        {
            Assert.True(await flushing.WaitAsync(TimeSpan.FromMinutes(1)));
            try
            {
                seenBefore();
                Assert.False(write.IsCompleted);
            }
            finally
            {
                flushed.Release(); // a failed check must not leave the writer held
            }

            await write.WaitAsync(TimeSpan.FromMinutes(1));
            seenAfter();
        }

        // A seek through the userName index too: the index may name the new id before it is
        // shown (ModelIndex), and the reader's snapshot must drop it.
        FilterNode byName = FilterParser.Parse("userName eq \"jsmith\"");
        int Named() => store.Users.Query(byName, FilterCompiler.CompileUser(byName), 0, 10, order: null).TotalResults;
        User other = TestCodecs.NewUser("jsmith");
        await HeldAtItsFlush(
            store.Users.CreateAsync(other),
            () =>
            {
                Assert.Null(store.Users.Find(other.Id!));
                Assert.Equal(0, Named());
            },
            () =>
            {
                Assert.Equal("jsmith", store.Users.Find(other.Id!)?.UserName);
                Assert.Equal(1, Named());
            });
        await HeldAtItsFlush(
            store.Users.UpdateAsync(user.Id!, null, u => { u.UserName = "babs"; return u; }),
            () => Assert.Equal("bjensen", store.Users.Find(user.Id!)!.UserName),
            () => Assert.Equal("babs", store.Users.Find(user.Id!)!.UserName));
        await HeldAtItsFlush(
            store.Groups.UpdateAsync(group.Id!, null, null, new MembershipChange { Add = [new Member { Value = user.Id, Type = "User" }] }, returnMembers: false),
            () => Assert.Empty(store.Groups.GroupsOf(user.Id!)),
            () => Assert.Equal(group.Id, Assert.Single(store.Groups.GroupsOf(user.Id!)).GroupId));
        store.Database.File.BeforeFlushToDisk = null;
    }

    [Fact]
    public async Task Only_an_open_of_files_holding_the_threshold_is_followed_by_a_heap_compaction()
    {
        User user = TestCodecs.NewUser("bjensen");
        await using (LiteDbTenantStore store = Open())
        {
            // A small tenant's open (milliseconds) never pays for a collection of the whole heap.
            Assert.False(store.CompactedAfterOpen);
            await store.Users.CreateAsync(user);
        }

        long fileBytes = LiteDbFile.FilesOf(_data.File("acme.db")).Sum(static f => File.Exists(f) ? new FileInfo(f).Length : 0);
        Assert.True(fileBytes > 0);
        await using (LiteDbTenantStore below = new("acme", _data.File("acme.db"), TestCodecs.User, TestCodecs.Group, compactAfterBytes: fileBytes + 1))
        {
            Assert.False(below.CompactedAfterOpen);
        }

        await using LiteDbTenantStore at = new("acme", _data.File("acme.db"), TestCodecs.User, TestCodecs.Group, compactAfterBytes: fileBytes);
        Assert.True(at.CompactedAfterOpen);
        Assert.Equal("bjensen", at.Users.Find(user.Id!)?.UserName);
    }

    [Fact]
    public async Task Duplicate_userName_is_409_uniqueness_naming_userName()
    {
        await using LiteDbTenantStore store = Open();
        await store.Users.CreateAsync(TestCodecs.NewUser("bjensen"));

        ScimException refusal = await Assert.ThrowsAsync<ScimException>(() => store.Users.CreateAsync(TestCodecs.NewUser("BJensen")));

        Assert.Equal(409, refusal.Status);
        Assert.Equal(ScimType.Uniqueness, refusal.ScimType);
        Assert.Contains("userName", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains("already exists", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_finishes_queued_writes_first()
    {
        User[] users = [.. Enumerable.Range(0, 50).Select(i => TestCodecs.NewUser($"user{i}"))];
        Task[] creates;
        await using (LiteDbTenantStore store = Open())
        {
            creates = [.. users.Select(u => store.Users.CreateAsync(u))];
        }

        await Task.WhenAll(creates);
        await using LiteDbTenantStore reopened = Open();
        Assert.Equal(50, reopened.Users.List(0, 100).TotalResults);
    }

    [Fact]
    public async Task The_file_is_held_exclusively_while_open()
    {
        await using LiteDbTenantStore store = Open();

        Assert.ThrowsAny<IOException>(() => new FileStream(_data.File("acme.db"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite));
    }
}
