using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>POST and GET of Groups over HTTP (RFC 7644 §3.3, §3.4.1; RFC 7643 §4.2).</summary>
public class GroupEndpointTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task A_group_with_members_is_created_and_read_back()
    {
        var client = server.Client(server.DefaultToken);
        using var user = await client.PostAsync("Users", Json($$"""{"userName":"member-{{Guid.NewGuid():N}}"}"""));
        var userId = (await user.JsonAsync()).GetProperty("id").GetString();

        using var created = await client.PostAsync("Groups", Json($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
             "displayName":"Tour Guides","members":[{"value":"{{userId}}","$ref":null}]}
            """));

        Assert.Equal(201, (int)created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("Group", body.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.Equal(userId, body.GetProperty("members")[0].GetProperty("value").GetString());
        Assert.Equal("User", body.GetProperty("members")[0].GetProperty("type").GetString());
        using var fetched = await client.GetAsync(created.Headers.Location);
        Assert.Equal(200, (int)fetched.StatusCode);
        Assert.Equal(body.ToString(), (await fetched.JsonAsync()).ToString());
    }

    [Fact]
    public async Task Okta_group_push_with_an_empty_member_list_is_created()
    {
        using var created = await server.Client(server.DefaultToken).PostAsync("Groups", Json("""{"displayName":"Test SCIMv2","members":[]}"""));

        Assert.Equal(201, (int)created.StatusCode);
    }

    [Fact]
    public async Task A_member_that_does_not_exist_is_refused_and_nothing_is_stored()
    {
        var client = server.Client(server.DefaultToken);
        var before = (await (await client.GetAsync("Groups")).JsonAsync()).GetProperty("totalResults").GetInt32();

        using var response = await client.PostAsync("Groups", Json($$"""{"displayName":"Ghosts","members":[{"value":"{{Guid.NewGuid()}}"}]}"""));

        await response.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal(before, (await (await client.GetAsync("Groups")).JsonAsync()).GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task A_group_needs_a_displayName()
    {
        using var response = await server.Client(server.DefaultToken).PostAsync("Groups", Json("""{"members":[]}"""));

        await response.AssertScimErrorAsync(400, "invalidValue");
    }

    [Fact]
    public async Task An_unknown_group_is_404()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Groups/" + Guid.NewGuid());

        await response.AssertScimErrorAsync(404);
    }
}
