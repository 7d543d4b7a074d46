using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>attributes / excludedAttributes on reads and on write responses (RFC 7644 §3.4.2.5, §3.9).</summary>
public class ProjectionTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Get_list_and_create_honour_attributes_and_excludedAttributes()
    {
        var client = server.Client(server.DefaultToken);
        var userName = "proj-" + Guid.NewGuid().ToString("N")[..8];

        using var created = await client.PostAsync("Users?attributes=userName", Json($$"""{"userName":"{{userName}}","displayName":"Projected","emails":[{"value":"p@example.com","type":"work"}]}"""));
        var id = (await created.JsonAsync()).GetProperty("id").GetString();
        var one = await (await client.GetAsync($"Users/{id}?attributes=displayName,emails.type")).JsonAsync();
        var without = await (await client.GetAsync($"Users/{id}?excludedAttributes=emails,meta")).JsonAsync();
        var list = await (await client.GetAsync("Users?attributes=userName&count=200")).JsonAsync();

        Assert.Equal(["schemas", "id", "userName"], (await created.JsonAsync()).EnumerateObject().Select(p => p.Name));
        Assert.Equal(["schemas", "id", "displayName", "emails"], one.EnumerateObject().Select(p => p.Name));
        Assert.Equal("work", one.GetProperty("emails")[0].GetProperty("type").GetString());
        Assert.False(one.GetProperty("emails")[0].TryGetProperty("value", out _));
        Assert.False(without.TryGetProperty("emails", out _));
        Assert.False(without.TryGetProperty("meta", out _));
        Assert.Equal("Projected", without.GetProperty("displayName").GetString());
        Assert.All(list.GetProperty("Resources").EnumerateArray(), r => Assert.Equal(["schemas", "id", "userName"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task A_group_read_without_members_omits_them()
    {
        var client = server.Client(server.DefaultToken);
        using var user = await client.PostAsync("Users", Json($$"""{"userName":"m-{{Guid.NewGuid():N}}"}"""));
        var userId = (await user.JsonAsync()).GetProperty("id").GetString();
        using var group = await client.PostAsync("Groups", Json($$"""{"displayName":"G","members":[{"value":"{{userId}}"}]}"""));

        var without = await (await client.GetAsync(group.Headers.Location + "?excludedAttributes=members")).JsonAsync();
        var with = await (await client.GetAsync(group.Headers.Location)).JsonAsync();

        Assert.False(without.TryGetProperty("members", out _));
        Assert.Equal("G", without.GetProperty("displayName").GetString());
        Assert.Equal(userId, with.GetProperty("members")[0].GetProperty("value").GetString());
        Assert.EndsWith("/Users/" + userId, with.GetProperty("members")[0].GetProperty("$ref").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A projected read is written from the stored user as it is when nothing is derived for it
    /// (meta.location from the request), and from a completed copy when it is in a group.
    /// </summary>
    [Fact]
    public async Task A_projected_read_answers_a_users_location_and_its_groups()
    {
        var client = server.Client(server.DefaultToken);
        using var alone = await client.PostAsync("Users", Json($$"""{"userName":"a-{{Guid.NewGuid():N}}"}"""));
        using var member = await client.PostAsync("Users", Json($$"""{"userName":"m-{{Guid.NewGuid():N}}"}"""));
        var aloneId = (await alone.JsonAsync()).GetProperty("id").GetString();
        var memberId = (await member.JsonAsync()).GetProperty("id").GetString();
        using var group = await client.PostAsync("Groups", Json($$"""{"displayName":"P","members":[{"value":"{{memberId}}"}]}"""));
        var groupId = (await group.JsonAsync()).GetProperty("id").GetString();

        var aloneRead = await (await client.GetAsync($"Users/{aloneId}?attributes=userName,groups,meta")).JsonAsync();
        var memberRead = await (await client.GetAsync($"Users/{memberId}?attributes=userName,groups,meta")).JsonAsync();

        Assert.EndsWith("/Users/" + aloneId, aloneRead.GetProperty("meta").GetProperty("location").GetString(), StringComparison.Ordinal);
        Assert.False(aloneRead.TryGetProperty("groups", out _));
        Assert.EndsWith("/Users/" + memberId, memberRead.GetProperty("meta").GetProperty("location").GetString(), StringComparison.Ordinal);
        Assert.Equal(groupId, memberRead.GetProperty("groups")[0].GetProperty("value").GetString());
    }
}
