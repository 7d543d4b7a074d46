using System.Text;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tenancy;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.Tenancy;

public sealed class TenantRegistryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Created_tenant_is_listed_and_its_first_token_authenticates()
    {
        using var registry = TenantRegistry.Open(_data.Path);

        string token = registry.CreateTenant("acme");

        Assert.True(registry.Exists("acme"));
        Assert.Equal("acme", Assert.Single(registry.ListTenants()).Name);
        Assert.Equal("acme", registry.Authenticate(token));
        Assert.True(File.Exists(Path.Combine(_data.Path, "registry.db")));
    }

    [Fact]
    public void Unknown_malformed_and_empty_tokens_do_not_authenticate()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string token = registry.CreateTenant("acme");

        Assert.Null(registry.Authenticate(AccessToken.Create()));
        Assert.Null(registry.Authenticate(token.AsSpan()[..^1]));
        Assert.Null(registry.Authenticate(token + "x"));
        Assert.Null(registry.Authenticate(token.ToUpperInvariant()));
        Assert.Null(registry.Authenticate(""));
        Assert.Null(registry.Authenticate(new string('a', 10_000)));
    }

    [Fact]
    public void Authenticate_does_not_allocate()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string token = registry.CreateTenant("acme");
        string unknown = AccessToken.Create();
        Assert.Equal("acme", registry.Authenticate(token)); // warm up
        Assert.Null(registry.Authenticate(unknown));

        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < 100; i++)
        {
            found += registry.Authenticate(token) is null ? 0 : 1;
            found += registry.Authenticate(unknown) is null ? 0 : 1;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, found);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Authenticate_sees_a_consistent_registry_while_tokens_change()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string stable = registry.CreateTenant("acme");
        int wrong = 0;
        Parallel.Invoke(
            () =>
            {
                for (int i = 0; i < 20; i++)
                {
                    string token = registry.CreateToken("acme");
                    registry.RevokeToken("acme", AccessToken.DisplayPrefix(token));
                }
            },
            () =>
            {
                for (int i = 0; i < 20_000; i++)
                {
                    if (registry.Authenticate(stable) != "acme")
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            });

        Assert.Equal(0, wrong);
        Assert.Single(registry.ListTokens("acme"));
    }

    [Fact]
    public void A_token_belongs_to_exactly_one_tenant()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string acme = registry.CreateTenant("acme");
        string globex = registry.CreateTenant("globex");

        Assert.Equal("acme", registry.Authenticate(acme));
        Assert.Equal("globex", registry.Authenticate(globex));
    }

    [Fact]
    public void Token_created_while_open_authenticates_at_once_and_revoked_one_does_not()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string first = registry.CreateTenant("acme");
        string second = registry.CreateToken("acme");
        Assert.Equal("acme", registry.Authenticate(second));
        Assert.Equal(2, registry.ListTokens("acme").Count);

        int revoked = registry.RevokeToken("acme", AccessToken.DisplayPrefix(second));

        Assert.Equal(1, revoked);
        Assert.Null(registry.Authenticate(second));
        Assert.Equal("acme", registry.Authenticate(first));
        Assert.Equal(AccessToken.DisplayPrefix(first), Assert.Single(registry.ListTokens("acme")).Prefix);
    }

    [Fact]
    public void Revoke_needs_the_whole_display_prefix_and_the_right_tenant()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string acme = registry.CreateTenant("acme");
        registry.CreateTenant("globex");
        string prefix = AccessToken.DisplayPrefix(acme);

        Assert.Equal(0, registry.RevokeToken("acme", "scim_"));
        Assert.Equal(0, registry.RevokeToken("globex", prefix));
        Assert.Equal("acme", registry.Authenticate(acme));
    }

    [Fact]
    public void Tokens_still_authenticate_after_reopening()
    {
        string token;
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            token = registry.CreateTenant("acme");
        }

        using var reopened = TenantRegistry.Open(_data.Path);
        Assert.Equal("acme", reopened.Authenticate(token));
        Assert.True(reopened.Exists("acme"));
    }

    [Fact]
    public void Registry_files_hold_only_hashes_never_the_token()
    {
        string token;
        string secondToken;
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            token = registry.CreateTenant("acme");
            secondToken = registry.CreateToken("acme");
        }

        AssertNoFileContains(token, secondToken);

        // The hash is what is stored, so the search above does look at the right bytes.
        byte[] all = ReadAllFiles();
        string hex = Convert.ToHexStringLower(AccessToken.Hash(token));
        Assert.True(all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(hex)) >= 0, "the token's hash should be in the registry");
    }

    [Fact]
    public void Listed_tokens_show_prefix_and_creation_time_only()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
        string token = registry.CreateTenant("acme");

        TokenInfo listed = Assert.Single(registry.ListTokens("acme"));

        Assert.Equal(token[..12], listed.Prefix);
        Assert.InRange(listed.Created, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void Creating_a_tenant_twice_is_refused()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string token = registry.CreateTenant("acme");

        InvalidOperationException refusal = Assert.Throws<InvalidOperationException>(() => registry.CreateTenant("acme"));

        Assert.Contains("already exists", refusal.Message, StringComparison.Ordinal);
        Assert.Single(registry.ListTokens("acme"));
        Assert.Equal("acme", registry.Authenticate(token));
    }

    [Fact]
    public void Invalid_tenant_name_is_refused()
    {
        using var registry = TenantRegistry.Open(_data.Path);

        Assert.Throws<ArgumentException>(() => registry.CreateTenant("../evil"));
        Assert.Empty(registry.ListTenants());
    }

    [Fact]
    public void Tokens_for_an_unknown_tenant_are_refused()
    {
        using var registry = TenantRegistry.Open(_data.Path);

        Assert.Throws<InvalidOperationException>(() => registry.CreateToken("nobody"));
        Assert.Throws<InvalidOperationException>(() => registry.ListTokens("nobody"));
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_its_tokens_and_its_file()
    {
        using var registry = TenantRegistry.Open(_data.Path);
        string token = registry.CreateTenant("acme");
        string other = registry.CreateTenant("globex");
        string path = registry.TenantFilePath("acme");
        var store = new LiteDbTenantStore("acme", path, TestCodecs.User, TestCodecs.Group);
        await store.Users.CreateAsync(TestCodecs.NewUser("bjensen"));
        Assert.True(File.Exists(path));

        bool deleted = await registry.DeleteTenantAsync("acme", _ => store.DisposeAsync());

        Assert.True(deleted);
        Assert.False(registry.Exists("acme"));
        Assert.Null(registry.Authenticate(token));
        Assert.Equal("globex", registry.Authenticate(other));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(LiteDbFile.LogPathOf(path)));
        Assert.Equal("globex", Assert.Single(registry.ListTenants()).Name);
        Assert.False(registry.DeleteTenant("acme"));
    }

    [Fact]
    public void Deleted_tenant_stays_deleted_after_reopening()
    {
        string token;
        using (var registry = TenantRegistry.Open(_data.Path))
        {
            token = registry.CreateTenant("acme");
            Assert.True(registry.DeleteTenant("acme"));
        }

        using var reopened = TenantRegistry.Open(_data.Path);
        Assert.False(reopened.Exists("acme"));
        Assert.Null(reopened.Authenticate(token));
    }

    private void AssertNoFileContains(params string[] tokens)
    {
        byte[] all = ReadAllFiles();
        Assert.NotEmpty(all);
        foreach (string token in tokens)
        {
            Assert.True(all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) < 0, "a plain token is on disk");
            Assert.True(all.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token[AccessToken.DisplayPrefixLength..])) < 0, "the secret part of a token is on disk");
        }
    }

    private byte[] ReadAllFiles()
    {
        using var all = new MemoryStream();
        foreach (string file in Directory.EnumerateFiles(_data.Path, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }
}
