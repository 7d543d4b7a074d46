using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tenancy;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.Tenancy;

public sealed class TenantStoreCacheTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly List<TrackedStore> _opened = [];

    public void Dispose() => _data.Dispose();

    private TenantStoreCache NewCache(int capacity) => new(Open, capacity);

    private TrackedStore Open(string tenant)
    {
        var store = new TrackedStore(new LiteDbTenantStore(tenant, _data.File(tenant + ".db"), TestCodecs.User, TestCodecs.Group));
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }

    private int OpenCount(string tenant)
    {
        lock (_opened)
        {
            return _opened.Count(s => s.Tenant == tenant);
        }
    }

    [Fact]
    public async Task Opens_a_tenant_once_and_shares_it()
    {
        await using TenantStoreCache cache = NewCache(4);

        using (TenantStoreLease first = await cache.AcquireAsync("acme"))
        using (TenantStoreLease second = await cache.AcquireAsync("acme"))
        {
            Assert.Same(first.Store, second.Store);
            Assert.Equal("acme", first.Store.Tenant);
        }

        Assert.Equal(1, OpenCount("acme"));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Concurrent_first_use_opens_the_tenant_once()
    {
        await using TenantStoreCache cache = NewCache(4);

        TenantStoreLease[] leases = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await cache.AcquireAsync("acme"))));

        Assert.All(leases, l => Assert.Same(leases[0].Store, l.Store));
        Assert.Equal(1, OpenCount("acme"));
        foreach (TenantStoreLease lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task Least_recently_used_store_is_evicted_disposed_and_reopened_with_its_data()
    {
        await using TenantStoreCache cache = NewCache(2);
        User user = TestCodecs.NewUser("bjensen");
        ITenantStore firstAcme;
        using (TenantStoreLease acme = await cache.AcquireAsync("acme"))
        {
            firstAcme = acme.Store;
            await acme.Store.Users.CreateAsync(user);
        }

        using (await cache.AcquireAsync("globex")) { }
        using (await cache.AcquireAsync("acme")) { } // acme is now the most recent: initech evicts globex
        using (await cache.AcquireAsync("initech")) { }

        Assert.Equal(2, cache.Count);
        Assert.Equal(1, OpenCount("acme"));
        Assert.Equal(1, OpenCount("globex"));

        using (await cache.AcquireAsync("umbrella")) { } // evicts acme

        using TenantStoreLease reopened = await cache.AcquireAsync("acme"); // waits for the old one to close
        Assert.True(((TrackedStore)firstAcme).Disposed);
        Assert.NotSame(firstAcme, reopened.Store);
        Assert.Equal(2, OpenCount("acme"));
        Assert.Equal("bjensen", reopened.Store.Users.Find(user.Id!)?.UserName);
    }

    [Fact]
    public async Task A_background_collection_follows_every_so_many_closes()
    {
        await using var cache = new TenantStoreCache(Open, capacity: 1, collectAfterCloses: 2);
        foreach (string tenant in new[] { "acme", "globex", "initech", "umbrella", "hooli" })
        {
            using (await cache.AcquireAsync(tenant)) { } // each evicts the one before
        }

        await cache.DisposeAsync(); // closes the last and waits for every close

        // Five closes, a collection after every second: after the second and the fourth.
        Assert.Equal(5, _opened.Count(s => s.Disposed));
        Assert.Equal(2, cache.BackgroundCollections);
    }

    [Fact]
    public async Task An_evicted_store_stays_open_until_its_last_lease_is_released()
    {
        await using TenantStoreCache cache = NewCache(1);
        TenantStoreLease held = await cache.AcquireAsync("acme");
        using (await cache.AcquireAsync("globex")) { } // evicts acme while it is leased

        var tracked = (TrackedStore)held.Store;
        Assert.False(tracked.Disposed);
        User user = TestCodecs.NewUser("still-open");
        await held.Store.Users.CreateAsync(user);

        held.Dispose();
        held.Dispose(); // a second dispose is harmless
        using TenantStoreLease again = await cache.AcquireAsync("acme");

        Assert.True(tracked.Disposed);
        Assert.NotNull(again.Store.Users.Find(user.Id!));
    }

    [Fact]
    public async Task CloseAsync_closes_the_store_and_the_next_use_reopens_it()
    {
        await using TenantStoreCache cache = NewCache(4);
        ITenantStore first;
        using (TenantStoreLease lease = await cache.AcquireAsync("acme"))
        {
            first = lease.Store;
        }

        await cache.CloseAsync("acme");

        Assert.True(((TrackedStore)first).Disposed);
        Assert.Equal(0, cache.Count);
        using TenantStoreLease reopened = await cache.AcquireAsync("acme");
        Assert.NotSame(first, reopened.Store);
    }

    [Fact]
    public async Task A_failed_open_is_not_cached()
    {
        int attempts = 0;
        await using var cache = new TenantStoreCache(tenant =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new IOException("disk unavailable");
            }

            return Open(tenant);
        });

        await Assert.ThrowsAsync<IOException>(async () => await cache.AcquireAsync("acme"));
        using TenantStoreLease lease = await cache.AcquireAsync("acme");

        Assert.Equal("acme", lease.Store.Tenant);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Dispose_closes_every_store()
    {
        var cache = NewCache(4);
        using (await cache.AcquireAsync("acme")) { }
        using (await cache.AcquireAsync("globex")) { }

        await cache.DisposeAsync();

        lock (_opened)
        {
            Assert.Equal(2, _opened.Count);
            Assert.All(_opened, s => Assert.True(s.Disposed));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cache.AcquireAsync("acme"));
    }

    private sealed class TrackedStore(LiteDbTenantStore inner) : ITenantStore
    {
        public string Tenant => inner.Tenant;
        public IResourceCollection<User> Users => inner.Users;
        public IGroupCollection Groups => inner.Groups;
        public bool Disposed { get; private set; }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            Disposed = true;
        }
    }
}
