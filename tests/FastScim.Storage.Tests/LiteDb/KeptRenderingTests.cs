using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// Every stored version carries one <see cref="ResourceRendering"/>, shared by the copies the store
/// hands out; the store releases it when the version is replaced or deleted or the tenant closes,
/// so a read never finds the JSON of a version that is gone.
/// </summary>
public sealed class KeptRenderingTests : IAsyncLifetime, IDisposable
{
    private const string Base = "https://scim.example.com/t/acme/api/v1/scim/v2/Users/";

    private readonly TempDirectory _data = new();
    private LiteDbTenantStore _store = null!;

    public Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    private void Open() => _store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private async Task<string> CreateAsync(string userName)
    {
        var user = NewResources.User(userName);
        await _store.Users.CreateAsync(user);
        return user.Id!;
    }

    /// <summary>The rendering of the stored version of <paramref name="id"/>, with JSON kept in it.</summary>
    private ResourceRendering Kept(string id)
    {
        ResourceRendering rendering = _store.Users.Find(id)!.Meta!.Rendering!;
        Assert.NotNull(rendering);
        rendering.TryKeep(Base, IGroupCollection.NoGroups, "{}"u8);
        Assert.True(rendering.TryGet(Base, IGroupCollection.NoGroups, out _));
        return rendering;
    }

    [Fact]
    public async Task Copies_of_one_version_share_its_rendering_and_a_write_that_changes_nothing_keeps_it()
    {
        string id = await CreateAsync("same");
        ResourceRendering rendering = Kept(id);

        Assert.Same(rendering, _store.Users.Find(id)!.Meta!.Rendering);
        Assert.Same(rendering, _store.Users.Query(static u => u.UserName == "same", 0, 10).Resources.Single().Meta!.Rendering);
        User unchanged = await _store.Users.UpdateAsync(id, null, static u => u);

        Assert.Null(unchanged.Meta!.Rendering); // what a write returns is not the stored version's copy
        Assert.True(rendering.TryGet(Base, IGroupCollection.NoGroups, out _));
        Assert.Same(rendering, _store.Users.Find(id)!.Meta!.Rendering);
    }

    private async Task<string> CreateGroupAsync(string displayName, params string[] members)
    {
        var group = NewResources.Group(displayName, members);
        await _store.Groups.CreateAsync(group);
        return group.Id!;
    }

    [Fact]
    public async Task The_groups_version_of_a_member_moves_with_every_membership_and_group_change_and_is_NoGroups_outside_them()
    {
        string alice = await CreateAsync("alice"), bob = await CreateAsync("bob");
        Assert.Equal(IGroupCollection.NoGroups, _store.Groups.GroupsVersionOf(alice));

        string team = await CreateGroupAsync("Team", alice);
        long member = _store.Groups.GroupsVersionOf(alice);
        Assert.NotEqual(IGroupCollection.NoGroups, member);
        Assert.Equal(member, _store.Groups.GroupsVersionOf(alice)); // nothing changed: the same number
        Assert.Equal(IGroupCollection.NoGroups, _store.Groups.GroupsVersionOf(bob));

        // A rename changes what alice's groups say (display), though not her memberships.
        await _store.Groups.UpdateAsync(team, null, static g =>
        {
            g.DisplayName = "Renamed";
            return g;
        }, members: null, returnMembers: false);
        long renamed = _store.Groups.GroupsVersionOf(alice);
        Assert.NotEqual(member, renamed);

        // A membership elsewhere may be a group alice's group belongs to: it moves too.
        _ = await CreateGroupAsync("Other", bob);
        Assert.NotEqual(renamed, _store.Groups.GroupsVersionOf(alice));
        Assert.NotEqual(IGroupCollection.NoGroups, _store.Groups.GroupsVersionOf(bob));

        await _store.Groups.UpdateAsync(team, null, null, new MembershipChange { Remove = [alice] }, returnMembers: false);
        Assert.Equal(IGroupCollection.NoGroups, _store.Groups.GroupsVersionOf(alice));
    }

    [Fact]
    public async Task The_groups_state_moves_with_every_membership_and_group_change_and_is_a_members_groups_version()
    {
        string alice = await CreateAsync("alice"), bob = await CreateAsync("bob");
        long start = _store.Groups.GroupsState;
        _ = await CreateAsync("carol"); // users are not what groups come from
        Assert.Equal(start, _store.Groups.GroupsState);

        string team = await CreateGroupAsync("Team", alice);
        long withTeam = _store.Groups.GroupsState;
        Assert.NotEqual(start, withTeam);
        Assert.Equal(withTeam, _store.Groups.GroupsVersionOf(alice));

        await _store.Groups.UpdateAsync(team, null, static g =>
        {
            g.DisplayName = "Renamed";
            return g;
        }, members: null, returnMembers: false);
        long renamed = _store.Groups.GroupsState;
        Assert.NotEqual(withTeam, renamed);
        Assert.Equal(renamed, _store.Groups.GroupsVersionOf(alice));

        await _store.Groups.UpdateAsync(team, null, null, new MembershipChange { Add = [new Member { Value = bob, Type = "User" }] }, returnMembers: false);
        Assert.NotEqual(renamed, _store.Groups.GroupsState);
        Assert.Equal(_store.Groups.GroupsState, _store.Groups.GroupsVersionOf(bob));
    }

    [Fact]
    public void A_rendering_answers_at_a_state_only_when_kept_or_noted_at_it()
    {
        var rendering = new ResourceRendering();
        const long At = 42L << 32 | 7;

        Assert.True(rendering.TryKeep(Base, IGroupCollection.NoGroups, "{}"u8));
        Assert.False(rendering.TryGetAtState(Base, At, out _)); // kept at no state known
        Assert.False(rendering.TryGetAtState(Base, ResourceRendering.UnknownState, out _));

        Assert.True(rendering.TryGet(Base, IGroupCollection.NoGroups, out var json));
        rendering.NoteState(json, At);
        Assert.True(rendering.TryGetAtState(Base, At, out var atState));
        Assert.True(atState.Span.SequenceEqual("{}"u8));
        Assert.False(rendering.TryGetAtState(Base, At + 1, out _));
        Assert.False(rendering.TryGetAtState(Base.Replace("https", "http", StringComparison.Ordinal), At, out _));

        // Kept again at another state: a note about the JSON before it says nothing.
        Assert.True(rendering.TryKeep(Base, IGroupCollection.NoGroups, "{\"a\":1}"u8, At + 1));
        Assert.False(rendering.TryGetAtState(Base, At, out _));
        rendering.NoteState(json, At);
        Assert.False(rendering.TryGetAtState(Base, At, out _));
        Assert.True(rendering.TryGetAtState(Base, At + 1, out var kept));
        Assert.True(kept.Span.SequenceEqual("{\"a\":1}"u8));

        rendering.Release();
        Assert.False(rendering.TryGetAtState(Base, At + 1, out _));
    }

    [Fact]
    public async Task A_replaced_version_releases_its_rendering_and_the_new_one_starts_empty()
    {
        string id = await CreateAsync("replaced");
        ResourceRendering old = Kept(id);

        await _store.Users.UpdateAsync(id, null, static u =>
        {
            u.DisplayName = "Changed";
            return u;
        });

        Assert.False(old.TryGet(Base, IGroupCollection.NoGroups, out _));
        Assert.False(old.TryKeep(Base, IGroupCollection.NoGroups, "{}"u8));
        ResourceRendering now = _store.Users.Find(id)!.Meta!.Rendering!;
        Assert.NotSame(old, now);
        Assert.False(now.TryGet(Base, IGroupCollection.NoGroups, out _));
    }

    [Fact]
    public async Task A_deleted_version_and_every_version_of_a_closed_tenant_release_theirs()
    {
        string deleted = await CreateAsync("deleted");
        string kept = await CreateAsync("kept");
        ResourceRendering ofDeleted = Kept(deleted);
        ResourceRendering ofKept = Kept(kept);

        await _store.Users.DeleteAsync(deleted, null);

        Assert.False(ofDeleted.TryGet(Base, IGroupCollection.NoGroups, out _));
        Assert.True(ofKept.TryGet(Base, IGroupCollection.NoGroups, out _));

        await _store.DisposeAsync();
        Assert.False(ofKept.TryGet(Base, IGroupCollection.NoGroups, out _));
        Open();
        Assert.NotSame(ofKept, _store.Users.Find(kept)!.Meta!.Rendering);
    }
}
