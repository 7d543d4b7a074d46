using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>POST …/.search with a SearchRequest body (RFC 7644 §3.4.3).</summary>
public class SearchEndpointTests
{
    [Fact]
    public async Task A_search_pages_and_projects_like_the_same_GET()
    {
        await using var server = new RunningServer();
        await server.InitializeAsync();
        var client = server.Client(server.DefaultToken);
        for (var i = 0; i < 5; i++)
        {
            using var created = await client.PostAsync("Users", Json($$"""{"userName":"s{{i}}","displayName":"S {{i}}"}"""));
            Assert.Equal(201, (int)created.StatusCode);
        }

        using var searched = await client.PostAsync("Users/.search", Json("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
             "attributes":["userName"],"startIndex":2,"count":2}
            """));
        var viaGet = await (await client.GetAsync("Users?attributes=userName&startIndex=2&count=2")).JsonAsync();

        Assert.Equal(200, (int)searched.StatusCode);
        var body = await searched.JsonAsync();
        Assert.Equal(viaGet.ToString(), body.ToString());
        Assert.Equal(5, body.GetProperty("totalResults").GetInt32());
        Assert.Equal(["s1", "s2"], body.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
        Assert.All(body.GetProperty("Resources").EnumerateArray(), r => Assert.False(r.TryGetProperty("displayName", out _)));
    }

    [Fact]
    public async Task The_root_search_spans_users_and_groups()
    {
        await using var server = new RunningServer();
        await server.InitializeAsync();
        var client = server.Client(server.DefaultToken);
        using (var user = await client.PostAsync("Users", Json("""{"userName":"root-user"}""")))
        using (var group = await client.PostAsync("Groups", Json("""{"displayName":"root-group"}""")))
        {
            Assert.Equal(201, (int)user.StatusCode);
            Assert.Equal(201, (int)group.StatusCode);
        }

        using var all = await client.PostAsync(".search", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}"""));
        using var second = await client.PostAsync(".search", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"startIndex":2,"count":1}"""));

        var body = await all.JsonAsync();
        Assert.Equal(2, body.GetProperty("totalResults").GetInt32());
        Assert.Equal(["User", "Group"], body.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("meta").GetProperty("resourceType").GetString()));
        var page = await second.JsonAsync();
        Assert.Equal("root-group", Assert.Single(page.GetProperty("Resources").EnumerateArray()).GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""", "invalidSyntax")]
    [InlineData("""[]""", "invalidSyntax")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":"many"}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"sortOrder":"sideways"}""", "invalidValue")]
    public async Task Bad_search_requests_are_400(string json, string scimType)
    {
        await using var server = new RunningServer();
        await server.InitializeAsync();

        using var response = await server.Client(server.DefaultToken).PostAsync("Users/.search", Json(json));

        await response.AssertScimErrorAsync(400, scimType);
    }
}
