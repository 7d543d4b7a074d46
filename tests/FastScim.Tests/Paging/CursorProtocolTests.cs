using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Paging;

/// <summary>RFC 9865's parameters, response attributes and errors, end to end.</summary>
public class CursorProtocolTests : IAsyncLifetime
{
    private readonly RunningServer _server = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _client = _server.Client(_server.DefaultToken);
        for (var i = 0; i < 5; i++)
        {
            using var created = await _client.PostAsync("Users", Json($$"""{"userName":"user{{i}}"}"""));
            Assert.Equal(201, (int)created.StatusCode);
            using var group = await _client.PostAsync("Groups", Json($$"""{"displayName":"group{{i}}"}"""));
            Assert.Equal(201, (int)group.StatusCode);
        }
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<string> FirstCursorAsync(string query = "Users?cursor=&count=2")
    {
        var body = await (await _client.GetAsync(query)).JsonAsync();
        return body.GetProperty("nextCursor").GetString()!;
    }

    [Fact]
    public async Task A_bare_cursor_parameter_starts_cursor_paging_and_the_last_page_has_no_nextCursor()
    {
        var first = await (await _client.GetAsync("Users?filter=userName%20sw%20%22user%22&cursor&count=3")).JsonAsync();
        Assert.Equal(5, first.GetProperty("totalResults").GetInt32());
        Assert.Equal(3, first.GetProperty("itemsPerPage").GetInt32());
        Assert.False(first.TryGetProperty("startIndex", out _));
        var next = first.GetProperty("nextCursor").GetString();

        var last = await (await _client.GetAsync($"Users?filter=userName%20sw%20%22user%22&cursor={next}&count=3")).JsonAsync();

        Assert.Equal(["user3", "user4"], ThousandUsers.Resources(last).Select(r => r.GetProperty("userName").GetString()));
        Assert.False(last.TryGetProperty("nextCursor", out _));
        Assert.False(last.TryGetProperty("previousCursor", out _));
    }

    [Fact]
    public async Task Groups_and_search_bodies_page_by_cursor()
    {
        using var first = await _client.PostAsync("Groups/.search", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"cursor":"","count":4,"excludedAttributes":["members"]}"""));
        var body = await first.JsonAsync();
        Assert.Equal(4, body.GetProperty("itemsPerPage").GetInt32());
        var next = body.GetProperty("nextCursor").GetString();

        using var second = await _client.PostAsync("Groups/.search", Json($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"cursor":"{{next}}","count":4,"excludedAttributes":["members"]}"""));
        var last = await second.JsonAsync();

        Assert.Equal("group4", Assert.Single(ThousandUsers.Resources(last)).GetProperty("displayName").GetString());
        Assert.False(last.TryGetProperty("nextCursor", out _));
    }

    [Theory]
    [InlineData("zzzz")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%21%21")]
    public async Task A_malformed_cursor_is_400_invalidCursor(string cursor)
    {
        using var response = await _client.GetAsync($"Users?cursor={cursor}");

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Fact]
    public async Task A_tampered_cursor_is_400_invalidCursor()
    {
        var cursor = await FirstCursorAsync();
        var tampered = cursor[..5] + (cursor[5] == 'A' ? 'B' : 'A') + cursor[6..];

        using var response = await _client.GetAsync($"Users?cursor={tampered}&count=2");

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Theory]
    [InlineData("Users?filter=userName%20eq%20%22user1%22&count=2&cursor=")]
    [InlineData("Groups?count=2&cursor=")]
    public async Task A_cursor_replayed_with_another_query_is_400_invalidCursor(string query)
    {
        var cursor = await FirstCursorAsync();

        using var response = await _client.GetAsync(query + cursor);

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Theory]
    [InlineData("Users?cursor=&startIndex=1")]
    [InlineData("Users?cursor=&sortBy=userName")]
    public async Task Cursor_with_startIndex_or_sortBy_is_400_invalidCursor(string query)
    {
        using var response = await _client.GetAsync(query);

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Fact]
    public async Task Cursor_with_a_later_startIndex_is_refused_too()
    {
        var cursor = await FirstCursorAsync();

        using var response = await _client.GetAsync($"Users?cursor={cursor}&count=2&startIndex=3");

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Fact]
    public async Task Count_zero_with_a_cursor_is_400_invalidCount_and_a_large_count_is_lowered()
    {
        using var zero = await _client.GetAsync("Users?cursor=&count=0");
        await zero.AssertScimErrorAsync(400, "invalidCount");

        var large = await (await _client.GetAsync("Users?cursor=&count=100000")).JsonAsync();
        Assert.Equal(5, large.GetProperty("itemsPerPage").GetInt32());
        Assert.False(large.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task The_root_search_refuses_a_cursor()
    {
        using var response = await _client.PostAsync(".search", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"cursor":""}"""));

        await response.AssertScimErrorAsync(400, "invalidCursor");
    }

    [Fact]
    public async Task ServiceProviderConfig_advertises_both_pagination_methods()
    {
        var config = await (await _client.GetAsync("ServiceProviderConfig")).JsonAsync();
        var pagination = config.GetProperty("pagination");

        Assert.True(pagination.GetProperty("cursor").GetBoolean());
        Assert.True(pagination.GetProperty("index").GetBoolean());
        Assert.Equal(200, pagination.GetProperty("maxPageSize").GetInt32());
    }
}
