using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The in-memory read model: it holds exactly what the file holds (after refused writes and after
/// batches the writer had to redo one operation at a time), a reader sees whole batches only, and
/// what a reader is handed is its own copy.
/// </summary>
[Collection(LogThresholds.Collection)]
public sealed class ResourceModelTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_model_equals_the_file_after_random_writes_refusals_and_redone_batches(bool compactOften)
    {
        using var thresholds = compactOften ? LogThresholds.Lower(minDeadEntries: 8, entriesPerStep: 24) : null;
        await ModelEqualsFileAfterRandomWrites(compactOften);
    }

    private async Task ModelEqualsFileAfterRandomWrites(bool compactOften)
    {
        string path = _data.File("acme.db");
        var random = new Random(2818);
        var ids = new List<string>();
        var groupIds = new List<string>();
        (List<string> Users, List<string> Groups, List<string> Seeks) before;
        await using (var store = new LiteDbTenantStore("acme", path, ResourceCodecs.User, ResourceCodecs.Group))
        {
            var users = (LiteDbResourceCollection<User>)store.Users;
            for (int round = 0; round < 12; round++)
            {
                // Queued together so that they share batches.
                var writes = new List<Task>();
                for (int i = 0; i < 40; i++)
                {
                    int pick = random.Next(10);
                    if (pick < 4 || ids.Count == 0)
                    {
                        var user = NewUser(random, ids.Count);
                        ids.Add(user.Id!);
                        writes.Add(store.Users.CreateAsync(user));
                    }
                    else if (pick == 4)
                    {
                        // Refused before it changes anything: a duplicate userName (409).
                        writes.Add(store.Users.CreateAsync(new User { Id = Guid.NewGuid().ToString("N"), UserName = "user" + random.Next(ids.Count) + "@example.com" }));
                    }
                    else if (pick == 5)
                    {
                        // Refused: a stale If-Match (412).
                        writes.Add(store.Users.UpdateAsync(ids[random.Next(ids.Count)], "W/\"999\"", u => u));
                    }
                    else if (pick == 6)
                    {
                        // Changes something, then fails: the writer rolls the batch back and redoes it one operation at a time.
                        var doomed = NewUser(random, 100_000 + i);
                        writes.Add(users.Database.WriteAsync<bool>(context =>
                        {
                            users.Insert(context, doomed);
                            throw new InvalidOperationException("fails after a change");
                        }));
                    }
                    else if (pick == 7)
                    {
                        string id = ids[random.Next(ids.Count)];
                        string title = "title " + random.Next(100);
                        writes.Add(store.Users.UpdateAsync(id, null, u =>
                        {
                            u.Title = title;
                            u.Emails = [new Email { Value = "mail" + random.Next(50) + "@example.com", Type = "work" }];
                            return u;
                        }));
                    }
                    else if (pick == 8)
                    {
                        writes.Add(store.Users.DeleteAsync(ids[random.Next(ids.Count)], null));
                    }
                    else
                    {
                        var group = new Group
                        {
                            Id = Guid.NewGuid().ToString("N"),
                            DisplayName = "group " + random.Next(20),
                            Members = [new Member { Value = ids[random.Next(ids.Count)] }],
                        };
                        groupIds.Add(group.Id);
                        writes.Add(store.Groups.CreateAsync(group));
                    }
                }

                foreach (Task write in writes)
                {
                    try
                    {
                        await write;
                    }
                    catch (Exception e) when (e is ScimException or InvalidOperationException)
                    {
                        // Refused or failed: it must have left no trace, which the comparison checks.
                    }
                }
            }

            if (compactOften)
            {
                // Every other user changed four times more: the superseded entries outnumber the live
                // ones, so compaction runs, while the oldest records still hold the others' versions.
                var live = store.Users.List(0, int.MaxValue).Resources.Select(u => u.Id!).Where((_, i) => i % 2 == 0).ToList();
                for (int pass = 0; pass < 4; pass++)
                {
                    await Task.WhenAll(live.Select(id => store.Users.UpdateAsync(id, null, u =>
                    {
                        u.NickName = "pass " + pass;
                        return u;
                    })));
                }
            }

            before = Describe(store);
            Assert.DoesNotContain(before.Users, static u => u.Contains("\"user1000", StringComparison.Ordinal));
        }

        await using (var reopened = new LiteDbTenantStore("acme", path, ResourceCodecs.User, ResourceCodecs.Group))
        {
            var after = Describe(reopened);
            Assert.Equal(after.Users, before.Users);
            Assert.Equal(after.Groups, before.Groups);
            Assert.Equal(after.Seeks, before.Seeks);
            Assert.NotEmpty(after.Users);
        }

        // And the file itself, read without the model, holds the same users in the same order.
        using (var file = new LiteDatabase($"Filename={path};Connection=direct"))
        {
            var stored = StoredResources.Of(file, "users")
                .Select(d => JsonSerializer.Serialize(ResourceCodecs.User.ToDocument(ResourceCodecs.User.FromDocument(d))))
                .ToList();
            Assert.Equal(before.Users, stored);
        }
    }

    [Fact]
    public async Task A_reader_never_sees_part_of_a_batch()
    {
        await using var store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        var users = (LiteDbResourceCollection<User>)store.Users;
        using var stop = new CancellationTokenSource();
        int reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var page = store.Users.List(0, int.MaxValue);
                Assert.Equal(0, page.TotalResults % 10);
                Assert.Equal(page.TotalResults, page.Resources.Count);
                var scanned = store.Users.Query(static _ => true, 0, 0);
                Assert.Equal(0, scanned.TotalResults % 10);
                reads++;
            }
        });

        // Each write inserts ten users in one operation, and several queue up into one batch.
        var writes = new List<Task>();
        for (int i = 0; i < 30; i++)
        {
            int n = i;
            writes.Add(users.Database.WriteAsync(context =>
            {
                for (int k = 0; k < 10; k++)
                {
                    users.Insert(context, TestCodecs.NewUser($"u{n}-{k}"));
                }

                return true;
            }));
        }

        await Task.WhenAll(writes);
        await stop.CancelAsync();
        await reader;
        Assert.Equal(300, store.Users.List(0, 0).TotalResults);
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Changing_what_a_read_returned_does_not_change_the_next_read()
    {
        await using var store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        var user = new User { Id = "u1", UserName = "bjensen", DisplayName = "Babs", Emails = [new Email { Value = "b@example.com" }], Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"" } };
        await store.Users.CreateAsync(user);
        await store.Groups.CreateAsync(new Group { Id = "g1", DisplayName = "Tour Guides", Meta = new ResourceMeta { ResourceType = "Group" }, Members = [new Member { Value = "u1" }] });
        var filter = FilterParser.Parse("userName eq \"BJENSEN\"");
        var predicate = FilterCompiler.CompileUser(filter);

        var reads = new Func<User>[]
        {
            () => store.Users.Find("u1")!,
            () => store.Users.List(0, 1).Resources[0],
            () => store.Users.Query(filter, predicate, 0, 1).Resources[0],
            () => store.Users.Query(predicate, 0, 1).Resources[0],
            () => store.Users.Query(predicate, 0, 1, static (a, b) => 0).Resources[0],
            () => store.Users.QueryAfter(0, null, 1).Resources[0],
            () => store.Users.QueryAfter(0, predicate, 1).Resources[0],
        };
        foreach (var read in reads)
        {
            User first = read();
            first.Meta!.Location = "https://example.com/Users/u1";
            first.Meta.Version = "W/\"changed\"";
            first.DisplayName = "changed";
            first.Emails = null;
            first.Groups = [];

            User next = read();
            Assert.NotSame(first, next);
            Assert.Null(next.Meta!.Location);
            Assert.Equal("W/\"1\"", next.Meta.Version);
            Assert.Equal("Babs", next.DisplayName);
            Assert.Equal("b@example.com", Assert.Single(next.Emails!).Value);
            Assert.Null(next.Groups);
        }

        Group group = store.Groups.Find("g1")!;
        group.DisplayName = "changed";
        group.Meta!.Location = "https://example.com/Groups/g1";
        Assert.Single(group.Members!).Ref = "https://example.com/Users/u1";
        Group again = store.Groups.Query(static _ => true, 0, 1).Resources[0];
        Assert.Equal("Tour Guides", again.DisplayName);
        Assert.Null(again.Meta!.Location);
        Assert.Null(Assert.Single(again.Members!).Ref);
    }

    private static User NewUser(Random random, int n) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        UserName = "user" + n + "@example.com",
        ExternalId = random.Next(3) == 0 ? null : "ext" + random.Next(30),
        DisplayName = "User " + n,
        Emails = random.Next(3) == 0 ? null : [new Email { Value = "mail" + random.Next(50) + "@example.com", Type = "home" }],
    };

    /// <summary>Everything a reader can see: the users and groups in order, and what seeks on each indexed value find.</summary>
    private static (List<string> Users, List<string> Groups, List<string> Seeks) Describe(LiteDbTenantStore store)
    {
        var users = store.Users.List(0, int.MaxValue).Resources;
        var groups = store.Groups.List(0, int.MaxValue).Resources;
        var seeks = new List<string>();
        var filters = users.Select(u => "userName eq \"" + u.UserName + "\"")
            .Concat(users.Where(u => u.ExternalId is not null).Select(u => "externalId eq \"" + u.ExternalId + "\"").Distinct())
            .Concat(Enumerable.Range(0, 50).Select(i => "emails.value eq \"MAIL" + i + "@EXAMPLE.COM\""))
            .Concat(users.Select(u => "id eq \"" + u.Id + "\""));
        foreach (string text in filters)
        {
            var filter = FilterParser.Parse(text);
            var page = store.Users.Query(filter, FilterCompiler.CompileUser(filter), 0, 1000);
            seeks.Add(text + " -> " + page.TotalResults + ": " + string.Join(",", page.Resources.Select(static u => u.Id)));
        }

        foreach (string text in Enumerable.Range(0, 20).Select(i => "displayName eq \"group " + i + "\""))
        {
            var filter = FilterParser.Parse(text);
            var page = store.Groups.Query(filter, FilterCompiler.CompileGroup(filter), 0, 1000);
            seeks.Add(text + " -> " + string.Join(",", page.Resources.Select(static g => g.Id)));
        }

        return (
            [.. users.Select(static u => JsonSerializer.Serialize(ResourceCodecs.User.ToDocument(u)))],
            [.. groups.Select(static g => JsonSerializer.Serialize(ResourceCodecs.Group.ToDocument(g)))],
            seeks);
    }
}
