using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Paging;

/// <summary>RFC 9865 cursors through 1,000 users in pages of 7 while users are added and deleted between pages.</summary>
public class CursorPagingTests(ThousandUsers users) : IClassFixture<ThousandUsers>
{
    private const int PageSize = 7;

    [Fact]
    public async Task A_user_that_exists_throughout_is_seen_exactly_once_and_none_twice()
    {
        var original = users.Ids.Values.ToHashSet();
        var seen = new List<string>();
        var deletedSeen = new HashSet<string>();
        var deletedUnseen = new HashSet<string>();
        var added = new HashSet<string>();
        var cursor = "";
        var page = 0;
        while (cursor is not null)
        {
            var body = await (await users.Client.GetAsync($"Users?cursor={cursor}&count={PageSize}")).JsonAsync();
            var ids = ThousandUsers.Resources(body).Select(r => r.GetProperty("id").GetString()!).ToList();
            Assert.InRange(ids.Count, 1, PageSize);
            seen.AddRange(ids);
            cursor = body.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            page++;

            if (page % 3 == 0)
            {
                // One user already seen and one not yet reached go; the latter must never appear.
                var gone = seen.First(id => original.Contains(id) && !deletedSeen.Contains(id));
                var unseen = original.Except(seen).Except(deletedUnseen).FirstOrDefault();
                Assert.Equal(204, (int)(await users.Client.DeleteAsync($"Users/{gone}")).StatusCode);
                deletedSeen.Add(gone);
                if (unseen is not null)
                {
                    Assert.Equal(204, (int)(await users.Client.DeleteAsync($"Users/{unseen}")).StatusCode);
                    deletedUnseen.Add(unseen);
                }
            }

            if (page % 2 == 0 && page < 150)
            {
                added.Add(await users.CreateAsync($"new{page:D4}"));
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var throughout = original.Except(deletedSeen).Except(deletedUnseen).ToHashSet();
        Assert.True(throughout.Count < ThousandUsers.Total - 50, "the test deleted users");
        Assert.Superset(throughout, seen.ToHashSet());
        Assert.Empty(seen.Intersect(deletedUnseen));
        Assert.Superset(added, seen.ToHashSet()); // created after the cursor's position: they come later
    }
}
