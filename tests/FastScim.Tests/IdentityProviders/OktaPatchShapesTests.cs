using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>The PATCH requests Okta sends (shared/IDP-BEHAVIOUR.md, "Okta"), over HTTP.</summary>
public class OktaPatchShapesTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Path_less_deactivate_sets_active_false_and_the_user_stays_readable()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "active":true """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","value":{"active":false}}""");

        Assert.False(patched.GetProperty("active").GetBoolean());
        var fetched = await client.GetJsonAsync("Users/" + user.Id());
        Assert.False(fetched.GetProperty("active").GetBoolean());
        Assert.Equal(user.GetProperty("userName").GetString(), fetched.GetProperty("userName").GetString());
    }

    [Fact]
    public async Task Reactivate_with_a_path_less_replace_sets_active_true()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "active":false """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","value":{"active":true}}""");

        Assert.True(patched.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Group_rename_with_its_own_id_in_the_value_is_accepted()
    {
        var client = server.Client(server.DefaultToken);
        var member = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Test SCIMv2", member.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"replace","value":{"id":"{{group.Id()}}","displayName":"Test SCIMv2 renamed"} }""");

        Assert.Equal("Test SCIMv2 renamed", patched.GetProperty("displayName").GetString());
        var fetched = await client.GetJsonAsync("Groups/" + group.Id());
        Assert.Equal("Test SCIMv2 renamed", fetched.GetProperty("displayName").GetString());
        Assert.Equal([member.Id()], fetched.MemberIds());
    }

    [Fact]
    public async Task Group_rename_with_another_id_in_the_value_is_mutability()
    {
        var client = server.Client(server.DefaultToken);
        var group = await client.CreateGroupAsync("Keeps its id");
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"replace","value":{"id":"{{Guid.NewGuid()}}","displayName":"Renamed"} }""");

        await response.AssertScimErrorAsync(400, "mutability");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task Membership_remove_by_filter_and_add_in_one_request()
    {
        var client = server.Client(server.DefaultToken);
        var leaving = await client.CreateUserAsync();
        var staying = await client.CreateUserAsync();
        var joining = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Okta push", leaving.Id(), staying.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""
            {"op":"remove","path":"members[value eq \"{{leaving.Id()}}\"]"},
            {"op":"add","path":"members","value":[{"value":"{{joining.Id()}}","display":"test.user@okta.local"}]}
            """);

        Assert.Equal(Sorted(staying.Id(), joining.Id()), patched.MemberIds());
        Assert.Equal(Sorted(staying.Id(), joining.Id()), (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        Assert.Empty((await client.GetJsonAsync("Users/" + leaving.Id())).Groups());
    }

    [Fact]
    public async Task Replace_members_with_an_empty_list_clears_the_group()
    {
        var client = server.Client(server.DefaultToken);
        var a = await client.CreateUserAsync();
        var b = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Push now", a.Id(), b.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), """{"op":"replace","path":"members","value":[]}""");

        Assert.Empty(patched.MemberIds());
        Assert.Empty((await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        Assert.Empty((await client.GetJsonAsync("Users/" + a.Id())).Groups());
    }

    [Fact]
    public async Task Full_push_replaces_the_members_with_the_list_sent()
    {
        var client = server.Client(server.DefaultToken);
        var old = await client.CreateUserAsync();
        var kept = await client.CreateUserAsync();
        var added = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Full push", old.Id(), kept.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"replace","path":"members","value":[{"value":"{{kept.Id()}}"},{"value":"{{added.Id()}}"}]}""");

        Assert.Equal(Sorted(kept.Id(), added.Id()), patched.MemberIds());
        Assert.Equal(Sorted(kept.Id(), added.Id()), (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Password_sync_by_path_less_replace_is_accepted_and_not_returned()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "password":"1mz050nq" """);

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","value":{"password":"n3w-Pa55word"}}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.DoesNotContain("password", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
