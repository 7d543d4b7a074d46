using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Paging;

/// <summary>RFC 7644 §3.4.2.4 and RFC 9865 through 1,000 users in pages of 7, while nothing changes.</summary>
public class IndexPagingTests(ThousandUsers users) : IClassFixture<ThousandUsers>
{
    private const int PageSize = 7;

    private async Task<List<(string Id, string UserName)>> ByIndexAsync(string extra)
    {
        var seen = new List<(string, string)>();
        for (var start = 1; ; start += PageSize)
        {
            var page = await (await users.Client.GetAsync($"Users?startIndex={start}&count={PageSize}{extra}")).JsonAsync();
            Assert.Equal(ThousandUsers.Total, page.GetProperty("totalResults").GetInt32());
            Assert.Equal(start, page.GetProperty("startIndex").GetInt32());
            var resources = ThousandUsers.Resources(page).ToList();
            Assert.Equal(resources.Count, page.GetProperty("itemsPerPage").GetInt32());
            Assert.False(page.TryGetProperty("nextCursor", out _));
            seen.AddRange(resources.Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("userName").GetString()!)));
            if (resources.Count < PageSize)
            {
                return seen;
            }
        }
    }

    private async Task<List<string>> ByCursorAsync()
    {
        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        while (cursor is not null)
        {
            var page = await (await users.Client.GetAsync($"Users?cursor={cursor}&count={PageSize}")).JsonAsync();
            pages++;
            Assert.False(page.TryGetProperty("startIndex", out _));
            Assert.Equal(ThousandUsers.Total, page.GetProperty("totalResults").GetInt32());
            seen.AddRange(ThousandUsers.Resources(page).Select(r => r.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }

        Assert.Equal((ThousandUsers.Total + PageSize - 1) / PageSize, pages);
        return seen;
    }

    [Fact]
    public async Task Without_sortBy_every_user_comes_once_in_creation_order()
    {
        var seen = await ByIndexAsync("");

        Assert.Equal(ThousandUsers.Total, seen.Count);
        Assert.Equal(ThousandUsers.Total, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(users.Ids.Values.Order(), seen.Select(s => s.Id).Order());

        // Batches were created one after another, so creation order never goes back a batch…
        var batches = seen.Select(s => users.BatchOf[s.Id]).ToList();
        Assert.Equal(batches.Order(), batches);

        // …and the keyset order of cursor paging (another code path over _seq) is the same order.
        Assert.Equal(seen.Select(s => s.Id), await ByCursorAsync());
    }

    [Fact]
    public async Task With_sortBy_userName_every_user_comes_once_sorted()
    {
        var seen = await ByIndexAsync("&sortBy=userName");

        Assert.Equal(users.Ids.Keys.Order(StringComparer.Ordinal), seen.Select(s => s.UserName));
        Assert.Equal(ThousandUsers.Total, seen.Select(s => s.Id).Distinct().Count());
        Assert.All(seen, s => Assert.Equal(users.Ids[s.UserName], s.Id));
    }
}
