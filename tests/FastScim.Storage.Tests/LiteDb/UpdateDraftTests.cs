using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// Updates are computed on the caller's thread from the committed resource and only applied by
/// the writer when nothing changed the resource since; otherwise the writer runs the change
/// itself. Whichever way, the result is the one a single thread applying them in order gives.
/// </summary>
public sealed class UpdateDraftTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private LiteDbTenantStore _store = null!;

    private LiteDbResourceCollection<User> Users => (LiteDbResourceCollection<User>)_store.Users;

    public Task InitializeAsync()
    {
        _store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private async Task<User> CreateAsync(string userName)
    {
        var user = NewResources.User(userName);
        await _store.Users.CreateAsync(user);
        return user;
    }

    [Fact]
    public async Task Concurrent_updates_of_one_resource_lose_none_and_move_the_version_once_each()
    {
        User user = await CreateAsync("counter");

        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => _store.Users.UpdateAsync(user.Id!, null, u =>
        {
            u.Title += "x";
            return u;
        }))));

        User stored = _store.Users.Find(user.Id!)!;
        Assert.Equal(new string('x', 60), stored.Title);
        string expected = EntityTag.First;
        for (int i = 0; i < 60; i++)
        {
            expected = EntityTag.Next(expected);
        }

        Assert.Equal(expected, stored.Meta!.Version);
    }

    [Fact]
    public async Task A_patch_leaves_the_version_readers_hold_as_it_was_though_its_change_shares_its_lists_and_objects()
    {
        // The change gets a shallow copy (IResourceCollection.UpdateAsync): SimplePatch must make it
        // its own before it writes into an object or cleans a list, whatever the PATCH sets.
        var user = NewResources.User("held");
        user.Name = new Name { GivenName = "Barbara" };
        user.Emails = [new Email { Value = "b@example.com", Type = "work" }, new Email()];
        user.EnterpriseUser = new EnterpriseUser { Department = "Tours", Manager = new Manager { Value = "boss" } };
        await _store.Users.CreateAsync(user);

        // The empty email makes the first PATCH clean (and so copy) the user; the later ones start
        // from a version without empty values, and write into its objects.
        string[] patches =
        [
            """{"op":"replace","path":"active","value":false}""",
            """{"op":"replace","path":"name.givenName","value":"Babs"}""",
            """{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Rides"}""",
            """{"op":"replace","value":{"displayName":"B","name.familyName":"Jensen"}}""",
            """{"op":"replace","path":"active","value":true}""",
        ];
        foreach (string operation in patches)
        {
            User held = _store.Users.FindShared(user.Id!)!;
            var before = Values(held);
            var operations = FastScim.Core.Patch.PatchRequest.Parse(System.Text.Encoding.UTF8.GetBytes("{\"Operations\":[" + operation + "]}")).Operations;
            await _store.Users.UpdateAsync(user.Id!, null, current =>
            {
                Assert.True(FastScim.Core.Patch.SimplePatch.TryApply(ref current, operations, FastScim.Core.Patch.ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()));
                return current;
            });

            // The version held is as it was; the stored one moved on.
            Assert.Equal(before, Values(held));
            Assert.NotEqual(before, Values(_store.Users.Find(user.Id!)!));
        }

        Assert.Equal(("Babs", "Jensen", 1, "Rides", "boss", (bool?)true, "B"), Values(_store.Users.Find(user.Id!)!));

        static (string?, string?, int?, string?, string?, bool?, string?) Values(User u) =>
            (u.Name?.GivenName, u.Name?.FamilyName, u.Emails?.Count, u.EnterpriseUser?.Department, u.EnterpriseUser?.Manager?.Value, u.Active, u.DisplayName);
    }

    [Fact]
    public async Task If_match_is_judged_against_the_writer_state_not_the_state_the_draft_began_from()
    {
        User user = await CreateAsync("versioned");
        string second = EntityTag.Next(EntityTag.First);
        using var hold = new WriterHold(Users.Database);

        // Both drafts start from version 1; the first write makes it version 2 before the second runs.
        Task<User> first = _store.Users.UpdateAsync(user.Id!, EntityTag.First, u => { u.Title = "one"; return u; });
        Task<User> matchesSecond = _store.Users.UpdateAsync(user.Id!, second, u => { u.NickName = "two"; return u; });
        Task<User> matchesFirst = _store.Users.UpdateAsync(user.Id!, EntityTag.First, u => { u.NickName = "stale"; return u; });
        await hold.ReleaseAsync();

        Assert.Equal(second, (await first).Meta!.Version);
        User applied = await matchesSecond;
        Assert.Equal(412, (await Assert.ThrowsAsync<ScimException>(() => matchesFirst)).Status);
        Assert.Equal(("one", "two"), (applied.Title, applied.NickName));
        User stored = _store.Users.Find(user.Id!)!;
        Assert.Equal(("one", "two", EntityTag.Next(second)), (stored.Title, stored.NickName, stored.Meta!.Version));
    }

    [Fact]
    public async Task A_change_refused_against_the_committed_state_is_run_again_by_the_writer_on_its_own()
    {
        User user = await CreateAsync("refusing");
        using var hold = new WriterHold(Users.Database);

        // Committed: no title, which this change refuses; by the time the writer runs it, the
        // update queued before it has set one.
        Task<User> setTitle = _store.Users.UpdateAsync(user.Id!, null, u => { u.Title = "boss"; return u; });
        Task<User> needsTitle = _store.Users.UpdateAsync(user.Id!, null, u =>
        {
            if (u.Title is null)
            {
                throw ScimException.BadRequest(ScimType.NoTarget, "No title to change.");
            }

            u.Title += " of all";
            return u;
        });
        await hold.ReleaseAsync();

        await setTitle;
        Assert.Equal("boss of all", (await needsTitle).Title);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_version_and_a_change_of_case_is_a_change()
    {
        User user = await CreateAsync("casey");

        User same = await _store.Users.UpdateAsync(user.Id!, null, u => u);
        User recased = await _store.Users.UpdateAsync(user.Id!, null, u => { u.UserName = "Casey"; return u; });

        Assert.Equal(EntityTag.First, same.Meta!.Version);
        Assert.Equal(EntityTag.Next(EntityTag.First), recased.Meta!.Version);
        Assert.Equal("Casey", _store.Users.Find(user.Id!)!.UserName);
    }

    [Fact]
    public async Task A_version_is_told_unchanged_whether_it_was_drafted_written_earlier_in_the_batch_or_read_back_at_open()
    {
        // The stored version's content hash comes from the first two; a wrong one would move the
        // version of an update that changes nothing (or, were it trusted alone, keep a change). One
        // read back at open has none (its bytes may be an earlier writer's): its bytes are compared.
        User user = await CreateAsync("hashed");
        string second = EntityTag.Next(EntityTag.First);

        // In one batch: the second update finds the first's pending version, not the model's.
        var (retitled, same) = await Users.Database.WriteAsync(context =>
            (Users.Update(context, user.Id!, null, u => { u.Title = "lead"; return u; }, sideChange: null),
             Users.Update(context, user.Id!, null, u => { u.Title = "lead"; return u; }, sideChange: null)));
        Assert.Equal(second, retitled.Meta!.Version);
        Assert.Equal(second, same.Meta!.Version);

        await _store.DisposeAsync();
        _store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        Assert.Equal(second, (await _store.Users.UpdateAsync(user.Id!, null, u => u)).Meta!.Version);
        Assert.Equal(second, (await _store.Users.UpdateAsync(user.Id!, null, u => { u.Title = "lead"; return u; })).Meta!.Version);
        User changed = await _store.Users.UpdateAsync(user.Id!, null, u => { u.Title = "Lead"; return u; });
        Assert.Equal(EntityTag.Next(second), changed.Meta!.Version);
        Assert.Equal("Lead", _store.Users.Find(user.Id!)!.Title);
    }

    [Fact]
    public async Task Bytes_an_earlier_writer_left_do_not_move_the_version_of_an_update_that_changes_nothing()
    {
        User user = await CreateAsync("legacy");
        await _store.DisposeAsync();

        // The stored bytes as an earlier version wrote them: with a field no schema defines now.
        string path = _data.File("acme.db");
        using (var file = new LiteDB.LiteDatabase($"Filename={path};Connection=direct"))
        {
            var log = file.GetCollection(ResourceLog.CollectionOf("users"));
            LiteDB.BsonDocument record = log.FindAll().Single(r => ResourceLog.Entries(r).Any(e => e.Id == user.Id));
            var entries = new LiteDB.BsonArray();
            foreach (var (id, sequence, body) in ResourceLog.Entries(record))
            {
                LiteDB.BsonDocument document = LiteDB.BsonSerializer.Deserialize(body);
                document["retiredAttribute"] = "kept by an earlier writer";
                ResourceLog.AddPut(entries, id, sequence, LiteDB.BsonSerializer.Serialize(document));
            }

            log.Update(ResourceLog.Record(ResourceLog.SlotOf(record), ResourceLog.NumberOf(record), entries));
        }

        _store = new LiteDbTenantStore("acme", path, ResourceCodecs.User, ResourceCodecs.Group);
        Assert.Equal(EntityTag.First, (await _store.Users.UpdateAsync(user.Id!, null, u => u)).Meta!.Version);
        Assert.Equal(EntityTag.Next(EntityTag.First), (await _store.Users.UpdateAsync(user.Id!, null, u => { u.Title = "lead"; return u; })).Meta!.Version);
    }
}
