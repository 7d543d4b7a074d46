using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Planning;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.Planning;

/// <summary>
/// Every random filter gives the same page through the planned path (index seeks) and through a
/// full scan: the same ids in the same order, and the same totalResults (issue 4, item 4).
/// </summary>
public sealed class PlannedQueryPropertyTests : IAsyncLifetime, IDisposable
{
    // Characters whose case forms disagree between ToUpperInvariant and ToLowerInvariant
    // (µ U+00B5 / Μ U+039C, ſ U+017F / S, K U+212A KELVIN SIGN / k): userName seeks go through the
    // unique LOWER index, compared ignoring case, and must still find every match.
    private static readonly string[] Stems = ["bjensen", "Jsmith", "µser", "ſam", "\u212Aelvin", "straße", "ÉMILE", "x"];
    private static readonly string[] Domains = ["@example.com", "@Home.ORG", "@µ.net"];

    private readonly TempDirectory _data = new();
    private LiteDbTenantStore _store = null!;
    private readonly List<User> _users = [];
    private readonly List<Group> _groups = [];

    public async Task InitializeAsync()
    {
        _store = new LiteDbTenantStore("acme", _data.File("acme.db"), ResourceCodecs.User, ResourceCodecs.Group);
        var random = new Random(7643);
        for (int i = 0; i < 300; i++)
        {
            var user = new User
            {
                Id = Guid.NewGuid().ToString("N"),
                UserName = Vary(random, Stems[random.Next(Stems.Length)]) + i,
                ExternalId = random.Next(4) == 0 ? null : Vary(random, "ext-" + Stems[random.Next(Stems.Length)]),
                DisplayName = random.Next(3) == 0 ? null : Stems[random.Next(Stems.Length)] + " " + random.Next(5),
                Title = random.Next(2) == 0 ? "Tour Guide" : null,
                Active = random.Next(2) == 0,
            };
            if (random.Next(4) != 0)
            {
                user.Emails = [];
                for (int e = random.Next(1, 4); e > 0; e--)
                {
                    user.Emails.Add(new Email
                    {
                        Value = random.Next(8) == 0 ? null : Vary(random, Stems[random.Next(Stems.Length)] + Domains[random.Next(Domains.Length)]),
                        Type = random.Next(2) == 0 ? "work" : "home",
                    });
                }
            }

            await _store.Users.CreateAsync(user);
            _users.Add(user);
        }

        for (int i = 0; i < 40; i++)
        {
            var group = new Group
            {
                Id = Guid.NewGuid().ToString("N"),
                DisplayName = Vary(random, "Team " + Stems[random.Next(Stems.Length)]),
                ExternalId = random.Next(3) == 0 ? null : "g-" + random.Next(10),
                Members = [.. Enumerable.Range(0, random.Next(6)).Select(_ => new Member { Value = _users[random.Next(_users.Count)].Id })],
            };
            if (_groups.Count > 0 && random.Next(3) == 0)
            {
                group.Members.Add(new Member { Value = _groups[random.Next(_groups.Count)].Id });
            }

            await _store.Groups.CreateAsync(group);
            _groups.Add(group);
        }

        // Deleting leaves holes in creation order and memberships to clean up.
        for (int i = 0; i < 10; i++)
        {
            var user = _users[random.Next(_users.Count)];
            if (_store.Users.Find(user.Id!) is not null)
            {
                await _store.Users.DeleteAsync(user.Id!, null);
            }
        }
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Random_user_filters_give_the_same_page_planned_and_scanned()
    {
        var random = new Random(7644);
        int seeks = 0, hits = 0;
        for (int i = 0; i < 1500; i++)
        {
            FilterNode filter = UserFilter(random, depth: 3);
            var predicate = FilterCompiler.CompileUser(filter);
            int skip = random.Next(4) == 0 ? random.Next(5) : 0;
            int count = random.Next(4) == 0 ? random.Next(4) : 100;
            Comparison<User>? order = random.Next(4) == 0 ? ScimSort.Create<User, UserAccessors>(new AttributePath(null, random.Next(2) == 0 ? "userName" : "displayName", null), random.Next(2) == 0) : null;

            var planned = _store.Users.Query(filter, predicate, skip, count, order);
            var scanned = _store.Users.Query(predicate, skip, count, order);

            Assert.True(scanned.TotalResults == planned.TotalResults, $"{filter}: {planned.TotalResults} planned, {scanned.TotalResults} scanned ({QueryPlanner.Users.Plan(filter)})");
            Assert.Equal(scanned.Resources.Select(static u => u.Id), planned.Resources.Select(static u => u.Id));
            seeks += QueryPlanner.Users.Plan(filter).IsScan ? 0 : 1;
            hits += planned.TotalResults > 0 ? 1 : 0;
        }

        // The generator must exercise the seeks, and find something often enough to mean it.
        Assert.InRange(seeks, 500, 1500);
        Assert.InRange(hits, 300, 1500);
    }

    [Fact]
    public void A_scan_split_over_the_cores_gives_the_sequential_scans_page_and_total()
    {
        var random = new Random(7646);
        var threshold = LiteDbResourceCollection<User>.ParallelScanThreshold;
        try
        {
            for (int i = 0; i < 300; i++)
            {
                var predicate = FilterCompiler.CompileUser(UserFilter(random, depth: 3));
                int skip = random.Next(3) == 0 ? random.Next(20) : 0;
                int count = random.Next(3) == 0 ? random.Next(6) : 100;

                LiteDbResourceCollection<User>.ParallelScanThreshold = int.MaxValue;
                var sequential = _store.Users.Query(predicate, skip, count);
                LiteDbResourceCollection<User>.ParallelScanThreshold = 1;
                var parallel = _store.Users.Query(predicate, skip, count);

                Assert.Equal(sequential.TotalResults, parallel.TotalResults);
                Assert.Equal(sequential.Resources.Select(static u => u.Id), parallel.Resources.Select(static u => u.Id));
            }
        }
        finally
        {
            LiteDbResourceCollection<User>.ParallelScanThreshold = threshold;
        }
    }

    [Fact]
    public void Random_group_filters_give_the_same_page_planned_and_scanned()
    {
        var random = new Random(7645);
        int seeks = 0, hits = 0;
        for (int i = 0; i < 600; i++)
        {
            FilterNode filter = GroupFilter(random, depth: 3);
            var predicate = FilterCompiler.CompileGroup(filter);
            int skip = random.Next(4) == 0 ? random.Next(3) : 0;
            Comparison<Group>? order = random.Next(4) == 0 ? ScimSort.Create<Group, GroupAccessors>(new AttributePath(null, "displayName", null), random.Next(2) == 0) : null;

            var planned = _store.Groups.Query(filter, predicate, skip, 100, includeMembers: true, order);
            var scanned = _store.Groups.Query(predicate, skip, 100, includeMembers: true, order);

            Assert.True(scanned.TotalResults == planned.TotalResults, $"{filter}: {planned.TotalResults} planned, {scanned.TotalResults} scanned");
            Assert.Equal(scanned.Resources.Select(static g => g.Id), planned.Resources.Select(static g => g.Id));
            Assert.Equal(scanned.Resources.Select(static g => g.Members?.Count), planned.Resources.Select(static g => g.Members?.Count));
            seeks += QueryPlanner.Groups.Plan(filter).IsScan ? 0 : 1;
            hits += planned.TotalResults > 0 ? 1 : 0;
        }

        Assert.InRange(seeks, 200, 600);
        Assert.InRange(hits, 100, 600);
    }

    private FilterNode UserFilter(Random random, int depth)
    {
        int choice = random.Next(depth > 0 ? 10 : 6);
        return choice switch
        {
            0 or 1 => Eq(random, "userName", Existing(random, _users.Select(static u => u.UserName))),
            2 => Eq(random, random.Next(2) == 0 ? "externalId" : "id", Existing(random, random.Next(2) == 0 ? _users.Select(static u => u.ExternalId) : _users.Select(static u => u.Id))),
            3 => EmailFilter(random),
            4 => new ComparisonFilter(Path(random.Next(2) == 0 ? "displayName" : "userName"), random.Next(2) == 0 ? ComparisonOperator.Co : ComparisonOperator.Sw, FilterValue.FromText(Vary(random, Prefix(Stems[random.Next(Stems.Length)])))),
            5 => random.Next(3) switch
            {
                0 => new ComparisonFilter(Path("active"), ComparisonOperator.Eq, FilterValue.True),
                1 => new PresentFilter(Path("title")),
                _ => new ComparisonFilter(Path("userName"), ComparisonOperator.Ne, FilterValue.FromText(Existing(random, _users.Select(static u => u.UserName)))),
            },
            6 or 7 => new LogicalFilter(LogicalOperator.And, UserFilter(random, depth - 1), UserFilter(random, depth - 1)),
            8 => new LogicalFilter(LogicalOperator.Or, UserFilter(random, depth - 1), UserFilter(random, depth - 1)),
            _ => new NotFilter(UserFilter(random, depth - 1)),
        };
    }

    private FilterNode EmailFilter(Random random)
    {
        string value = Existing(random, _users.SelectMany(static u => u.Emails ?? []).Select(static e => e.Value));
        return random.Next(4) switch
        {
            0 => new ComparisonFilter(new AttributePath(null, "emails", "value"), ComparisonOperator.Eq, FilterValue.FromText(value)),
            1 => new ComparisonFilter(new AttributePath(null, "emails", null), ComparisonOperator.Eq, FilterValue.FromText(value)),
            2 => new ValuePathFilter(Path("emails"), new ComparisonFilter(Path("value"), ComparisonOperator.Eq, FilterValue.FromText(value))),
            _ => new ValuePathFilter(Path("emails"), new LogicalFilter(LogicalOperator.And, new ComparisonFilter(Path("type"), ComparisonOperator.Eq, FilterValue.FromText("work")), new ComparisonFilter(Path("value"), ComparisonOperator.Eq, FilterValue.FromText(value)))),
        };
    }

    private FilterNode GroupFilter(Random random, int depth)
    {
        int choice = random.Next(depth > 0 ? 9 : 5);
        return choice switch
        {
            0 => Eq(random, "displayName", Existing(random, _groups.Select(static g => g.DisplayName)), "Group"),
            1 => Eq(random, random.Next(2) == 0 ? "externalId" : "id", Existing(random, random.Next(2) == 0 ? _groups.Select(static g => g.ExternalId) : _groups.Select(static g => g.Id)), "Group"),
            2 => MemberFilter(random),
            3 => new ComparisonFilter(Path("displayName"), ComparisonOperator.Co, FilterValue.FromText(Vary(random, Prefix(Stems[random.Next(Stems.Length)])))),
            4 => new PresentFilter(Path("members")),
            5 or 6 => new LogicalFilter(LogicalOperator.And, GroupFilter(random, depth - 1), GroupFilter(random, depth - 1)),
            7 => new LogicalFilter(LogicalOperator.Or, GroupFilter(random, depth - 1), GroupFilter(random, depth - 1)),
            _ => new NotFilter(GroupFilter(random, depth - 1)),
        };
    }

    private FilterNode MemberFilter(Random random)
    {
        // members.value is not caseExact: an upper-cased id is the same member.
        string value = Vary(random, Existing(random, _groups.SelectMany(static g => g.Members ?? []).Select(static m => m.Value).Concat(_users.Select(static u => u.Id))));
        return random.Next(3) switch
        {
            0 => new ComparisonFilter(new AttributePath(null, "members", "value"), ComparisonOperator.Eq, FilterValue.FromText(value)),
            1 => new ComparisonFilter(new AttributePath(null, "members", null), ComparisonOperator.Eq, FilterValue.FromText(value)),
            _ => new ValuePathFilter(Path("members"), new ComparisonFilter(Path("value"), ComparisonOperator.Eq, FilterValue.FromText(value))),
        };
    }

    private static ComparisonFilter Eq(Random random, string name, string value, string resourceType = "User")
    {
        // The core URN may prefix a core attribute; attribute names are case-insensitive.
        var path = random.Next(6) switch
        {
            0 => new AttributePath("urn:ietf:params:scim:schemas:core:2.0:" + resourceType, name, null),
            1 => new AttributePath(null, name.ToUpperInvariant(), null),
            _ => new AttributePath(null, name, null),
        };
        return new ComparisonFilter(path, ComparisonOperator.Eq, FilterValue.FromText(value));
    }

    private static AttributePath Path(string name) => new(null, name, null);

    private static string Prefix(string stem) => stem[..Math.Min(2, stem.Length)];

    /// <summary>A stored value in some case form, or now and then one nobody has.</summary>
    private static string Existing(Random random, IEnumerable<string?> values)
    {
        var pool = values.Where(static v => v is not null).ToArray();
        return random.Next(8) == 0 || pool.Length == 0 ? "nobody-" + random.Next(3) : Vary(random, pool[random.Next(pool.Length)]!);
    }

    private static string Vary(Random random, string value) => random.Next(7) switch
    {
        0 => value.ToUpperInvariant(),
        1 => value.ToLowerInvariant(),
        2 => new string([.. value.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))]),
        3 => value.Replace('µ', 'Μ').Replace('ſ', 'S').Replace('\u212A', 'k'),
        _ => value,
    };
}
