using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>
/// Reads of an unchanged user copy the JSON rendered the first time (ResourceRendering): what a
/// client sees must be exactly what rendering it now would give — after every kind of write, with
/// derived groups, with a projection, under another host name.
/// </summary>
public class KeptRenderingTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static string ByName(string userName) => "Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");

    private static JsonElement Only(JsonElement list)
    {
        Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
        return list.GetProperty("Resources")[0];
    }

    [Fact]
    public async Task A_read_after_a_patch_a_put_or_a_delete_never_answers_the_version_before_it()
    {
        var client = server.Client(server.DefaultToken);
        var created = await client.CreateUserAsync("\"displayName\":\"First\"");
        string id = created.Id(), userName = created.GetProperty("userName").GetString()!;

        // Twice each: the first read renders and keeps, the second copies what was kept; a list
        // first, so that what it keeps is the resource alone, not the list around it.
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(created.ToString(), Only(await client.GetJsonAsync(ByName(userName))).ToString());
            Assert.Equal(created.ToString(), (await client.GetJsonAsync("Users/" + id)).ToString());
        }

        var patched = await client.PatchOkAsync("Users/" + id, """{"op":"replace","path":"displayName","value":"Second"}""");
        Assert.Equal("Second", patched.GetProperty("displayName").GetString());
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + id)).ToString());
            Assert.Equal(patched.ToString(), Only(await client.GetJsonAsync(ByName(userName))).ToString());
        }

        using var put = await client.PutAsync("Users/" + id, Json($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"{{id}}","userName":"{{userName}}","displayName":"Third","title":"Put"}
            """));
        Assert.Equal(200, (int)put.StatusCode);
        var replaced = await put.JsonAsync();
        Assert.NotEqual(patched.Version(), replaced.Version());
        for (int i = 0; i < 2; i++)
        {
            var read = await client.GetJsonAsync("Users/" + id);
            Assert.Equal(replaced.ToString(), read.ToString());
            Assert.Equal("Third", read.GetProperty("displayName").GetString());
            Assert.Equal("Put", read.GetProperty("title").GetString());
        }

        using var deleted = await client.DeleteAsync("Users/" + id);
        Assert.Equal(204, (int)deleted.StatusCode);
        using var gone = await client.GetAsync("Users/" + id);
        await gone.AssertScimErrorAsync(404);
        Assert.Equal(0, (await client.GetJsonAsync(ByName(userName))).GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task Derived_groups_appear_and_vanish_with_the_membership_although_the_user_is_unchanged()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        string id = user.Id();
        Assert.Empty((await client.GetJsonAsync("Users/" + id)).Groups());
        Assert.Empty((await client.GetJsonAsync("Users/" + id)).Groups());

        var group = await client.CreateGroupAsync("Kept " + Guid.NewGuid().ToString("N")[..8], id);

        var member = await client.GetJsonAsync("Users/" + id);
        Assert.Equal([(group.Id(), "direct")], member.Groups());
        Assert.Equal(user.Version(), member.Version());
        Assert.Equal(member.ToString(), (await client.GetJsonAsync("Users/" + id)).ToString());
        Assert.Equal([(group.Id(), "direct")], Only(await client.GetJsonAsync(ByName(user.GetProperty("userName").GetString()!))).Groups());

        // The group's new name, and a group it joins, reach the user's groups though the user is unchanged.
        await client.PatchOkAsync("Groups/" + group.Id(), """{"op":"replace","path":"displayName","value":"Kept renamed"}""");
        var renamed = await client.GetJsonAsync("Users/" + id);
        Assert.Equal("Kept renamed", renamed.GetProperty("groups")[0].GetProperty("display").GetString());
        Assert.Equal(user.Version(), renamed.Version());
        var parent = await client.CreateGroupAsync("Kept parent " + Guid.NewGuid().ToString("N")[..8], group.Id());
        Assert.Equal(Sorted(group.Id(), parent.Id()), (await client.GetJsonAsync("Users/" + id)).Groups().Select(static g => g.Value).ToArray());
        Assert.Equal("indirect", (await client.GetJsonAsync("Users/" + id)).Groups().Single(g => g.Value == parent.Id()).Type);
        using (var deletedParent = await client.DeleteAsync("Groups/" + parent.Id()))
        {
            Assert.Equal(204, (int)deletedParent.StatusCode);
        }

        Assert.Equal([(group.Id(), "direct")], (await client.GetJsonAsync("Users/" + id)).Groups());

        await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"remove","path":"members[value eq \"{{id}}\"]"}""");

        var left = await client.GetJsonAsync("Users/" + id);
        Assert.Empty(left.Groups());
        Assert.False(left.TryGetProperty("groups", out _));
    }

    [Fact]
    public async Task A_projection_after_a_kept_read_returns_only_what_it_asks_for()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("\"displayName\":\"Projected\",\"title\":\"Engineer\"");
        string id = user.Id();
        _ = await client.GetJsonAsync("Users/" + id);
        _ = await client.GetJsonAsync("Users/" + id);

        var only = await client.GetJsonAsync("Users/" + id + "?attributes=displayName");
        var without = await client.GetJsonAsync("Users/" + id + "?excludedAttributes=title");

        Assert.Equal("Projected", only.GetProperty("displayName").GetString());
        Assert.False(only.TryGetProperty("title", out _));
        Assert.False(only.TryGetProperty("userName", out _));
        Assert.Equal("Projected", without.GetProperty("displayName").GetString());
        Assert.False(without.TryGetProperty("title", out _));
        Assert.Equal(user.ToString(), (await client.GetJsonAsync("Users/" + id)).ToString());
    }

    [Fact]
    public async Task A_read_under_another_host_name_has_its_own_location()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        string id = user.Id();
        string location = user.GetProperty("meta").GetProperty("location").GetString()!;
        Assert.Equal(location, (await client.GetJsonAsync("Users/" + id)).GetProperty("meta").GetProperty("location").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Get, "Users/" + id);
        request.Headers.Host = "scim.example.test";
        using var response = await client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var elsewhere = (await response.JsonAsync()).GetProperty("meta").GetProperty("location").GetString()!;

        Assert.StartsWith("http://scim.example.test/", elsewhere, StringComparison.Ordinal);
        Assert.EndsWith("/Users/" + id, elsewhere, StringComparison.Ordinal);
        Assert.Equal(location, (await client.GetJsonAsync("Users/" + id)).GetProperty("meta").GetProperty("location").GetString());
    }
}
