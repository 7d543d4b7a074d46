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
