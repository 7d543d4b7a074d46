using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>GET with filter= as identity providers send it (RFC 7644 §3.4.2.2).</summary>
public class FilterQueryTests : IAsyncLifetime
{
    private readonly RunningServer _server = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _client = _server.Client(_server.DefaultToken);
        foreach (var (userName, externalId, active, email) in new[]
        {
            ("Test.User@okta.local", "ext-1", true, "test.user@work.example"),
            ("jyoung", "jyoung", true, "jyoung@work.example"),
            ("inactive", "ext-3", false, "inactive@home.example"),
        })
        {
            using var created = await _client.PostAsync("Users", Json($$"""
                {"userName":"{{userName}}","externalId":"{{externalId}}","active":{{(active ? "true" : "false")}},
                 "emails":[{"value":"{{email}}","type":"{{(email.Contains("work", StringComparison.Ordinal) ? "work" : "home")}}"}]}
                """));
            Assert.Equal(201, (int)created.StatusCode);
        }

        using var group = await _client.PostAsync("Groups", Json("""{"displayName":"Engineering"}"""));
        Assert.Equal(201, (int)group.StatusCode);
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("userName eq \"test.user@okta.local\"", "Test.User@okta.local")]
    [InlineData("externalId eq jyoung", "jyoung")]
    [InlineData("externalId eq \"ext-3\" and active eq false", "inactive")]
    [InlineData("active eq false", "inactive")]
    [InlineData("emails[type eq \"work\"].value eq \"jyoung@work.example\"", "jyoung")]
    [InlineData("emails[type eq \"home\"]", "inactive")]
    [InlineData("userName sw \"J\" or userName eq \"nobody\"", "jyoung")]
    public async Task A_filter_finds_exactly_the_matching_user(string filter, string userName)
    {
        var body = await (await _client.GetAsync("Users?filter=" + Uri.EscapeDataString(filter))).JsonAsync();

        Assert.Equal(1, body.GetProperty("totalResults").GetInt32());
        Assert.Equal(userName, Assert.Single(body.GetProperty("Resources").EnumerateArray()).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_is_an_empty_list_response()
    {
        var body = await (await _client.GetAsync("Users?startIndex=1&count=100&filter=" + Uri.EscapeDataString("userName eq \"nobody@example.com\""))).JsonAsync();

        Assert.Equal(0, body.GetProperty("totalResults").GetInt32());
        Assert.Equal(0, body.GetProperty("itemsPerPage").GetInt32());
        Assert.Equal(0, body.GetProperty("Resources").GetArrayLength());
    }

    [Fact]
    public async Task Entra_group_lookup_by_displayName_without_members()
    {
        var body = await (await _client.GetAsync("Groups?excludedAttributes=members&filter=" + Uri.EscapeDataString("displayName eq \"Engineering\""))).JsonAsync();

        var group = Assert.Single(body.GetProperty("Resources").EnumerateArray());
        Assert.False(group.TryGetProperty("members", out _));
    }

    [Theory]
    [InlineData("userNmae eq \"x\"")]
    [InlineData("userName eq")]
    [InlineData("(userName eq \"x\"")]
    [InlineData("active gt true")]
    public async Task Bad_filters_are_400_invalidFilter(string filter)
    {
        using var response = await _client.GetAsync("Users?filter=" + Uri.EscapeDataString(filter));

        await response.AssertScimErrorAsync(400, "invalidFilter");
    }

    [Fact]
    public async Task Paging_applies_to_the_matches_and_totalResults_counts_them_all()
    {
        var body = await (await _client.GetAsync("Users?startIndex=2&count=1&filter=" + Uri.EscapeDataString("emails pr"))).JsonAsync();

        Assert.Equal(3, body.GetProperty("totalResults").GetInt32());
        Assert.Equal("jyoung", Assert.Single(body.GetProperty("Resources").EnumerateArray()).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task A_search_filter_spans_types_and_ignores_attributes_a_type_lacks()
    {
        using var response = await _client.PostAsync(".search", Json("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"Engineering\" or userName eq \"jyoung\""}
            """));

        var body = await response.JsonAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, body.GetProperty("totalResults").GetInt32());
    }
}
