using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>Group membership over HTTP (RFC 7643 §4.1.2, §4.2; RFC 7644 §3.5.2): validation, nesting, User.groups, deletes.</summary>
public class MembershipTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Adding_a_member_that_does_not_exist_is_invalidValue_and_the_group_is_unchanged()
    {
        var client = server.Client(server.DefaultToken);
        var real = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Real only");
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""
            {"op":"add","path":"members","value":[{"value":"{{real.Id()}}"},{"value":"{{Guid.NewGuid()}}"}]}
            """);

        await response.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
        Assert.Empty((await client.GetJsonAsync("Users/" + real.Id())).Groups());
    }

    [Fact]
    public async Task Adding_an_existing_member_again_keeps_one_membership()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("No duplicates");

        await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"},{"value":"{{user.Id()}}"}]}""");
        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}""");

        Assert.Equal([user.Id()], patched.MemberIds());
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        Assert.Single((await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task A_group_created_with_one_member_twice_stores_it_once()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var group = await client.CreateGroupAsync("Twice", user.Id(), user.Id());

        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Nested_groups_give_the_user_direct_and_indirect_groups()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var child = await client.CreateGroupAsync("Child", user.Id());
        var parent = await client.CreateGroupAsync("Parent");

        var patched = await client.PatchOkAsync("Groups/" + parent.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{child.Id()}}","type":"Group"}]}""");

        var member = Assert.Single(patched.GetProperty("members").EnumerateArray());
        Assert.Equal(child.Id(), member.GetProperty("value").GetString());
        Assert.Equal("Group", member.GetProperty("type").GetString());
        var expected = new[] { (child.Id(), (string?)"direct"), (parent.Id(), (string?)"indirect") }.OrderBy(g => g.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, (await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task A_group_cannot_contain_itself()
    {
        var client = server.Client(server.DefaultToken);
        var group = await client.CreateGroupAsync("Narcissus");
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{group.Id()}}"}]}""");

        await response.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task Groups_may_contain_each_other_and_a_users_groups_list_each_group_once()
    {
        // A cycle through other groups is allowed (RFC 7644 §3.7.1 resolves one in Bulk); walks
        // over nested groups visit each group once.
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var inner = await client.CreateGroupAsync("Inner", user.Id());
        var middle = await client.CreateGroupAsync("Middle", inner.Id());
        var outer = await client.CreateGroupAsync("Outer", middle.Id());

        var patched = await client.PatchOkAsync("Groups/" + inner.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{outer.Id()}}"}]}""");

        Assert.Equal(ScimResources.Sorted(user.Id(), outer.Id()), patched.MemberIds());
        var expected = new[] { (inner.Id(), (string?)"direct"), (middle.Id(), (string?)"indirect"), (outer.Id(), (string?)"indirect") }.OrderBy(g => g.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, (await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task A_put_may_make_a_cycle_but_not_list_the_group_itself()
    {
        var client = server.Client(server.DefaultToken);
        var inner = await client.CreateGroupAsync("Inner put");
        var outer = await client.CreateGroupAsync("Outer put", inner.Id());

        using (var cycle = await client.PutAsync("Groups/" + inner.Id(), RunningServer.Json($$"""{"displayName":"Inner put","members":[{"value":"{{outer.Id()}}"}]}""")))
        {
            Assert.Equal(200, (int)cycle.StatusCode);
        }

        var before = await client.GetTextAsync("Groups/" + inner.Id());
        using var itself = await client.PutAsync("Groups/" + inner.Id(), RunningServer.Json($$"""{"displayName":"Inner put","members":[{"value":"{{inner.Id()}}"}]}"""));

        await itself.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + inner.Id()));
        Assert.Equal([outer.Id()], (await client.GetJsonAsync("Groups/" + inner.Id())).MemberIds());
    }

    [Fact]
    public async Task Deleting_a_user_removes_it_from_every_group_and_moves_their_versions()
    {
        var client = server.Client(server.DefaultToken);
        var leaving = await client.CreateUserAsync();
        var staying = await client.CreateUserAsync();
        var first = await client.CreateGroupAsync("First", leaving.Id(), staying.Id());
        var second = await client.CreateGroupAsync("Second", leaving.Id());

        using var deleted = await client.DeleteAsync("Users/" + leaving.Id());

        Assert.Equal(204, (int)deleted.StatusCode);
        var firstAfter = await client.GetJsonAsync("Groups/" + first.Id());
        var secondAfter = await client.GetJsonAsync("Groups/" + second.Id());
        Assert.Equal([staying.Id()], firstAfter.MemberIds());
        Assert.Empty(secondAfter.MemberIds());
        Assert.NotEqual(first.Version(), firstAfter.Version());
        Assert.NotEqual(second.Version(), secondAfter.Version());
    }

    [Fact]
    public async Task Deleting_a_group_removes_it_from_its_parents()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var child = await client.CreateGroupAsync("Doomed child", user.Id());
        var sibling = await client.CreateGroupAsync("Sibling");
        var parent = await client.CreateGroupAsync("Parent of doomed", child.Id(), sibling.Id());

        using var deleted = await client.DeleteAsync("Groups/" + child.Id());

        Assert.Equal(204, (int)deleted.StatusCode);
        var parentAfter = await client.GetJsonAsync("Groups/" + parent.Id());
        Assert.Equal([sibling.Id()], parentAfter.MemberIds());
        Assert.NotEqual(parent.Version(), parentAfter.Version());
        Assert.Empty((await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task ExcludedAttributes_members_omits_the_members()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Entra lookup", user.Id());

        var fetched = await client.GetJsonAsync("Groups/" + group.Id() + "?excludedAttributes=members");

        Assert.False(fetched.TryGetProperty("members", out _));
        Assert.Equal("Entra lookup", fetched.GetProperty("displayName").GetString());
        Assert.Equal(group.Id(), fetched.Id());
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Patching_the_readOnly_User_groups_is_mutability_and_adds_no_membership()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Not by the user");

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), $$"""{"op":"add","path":"groups","value":[{"value":"{{group.Id()}}"}]}""");

        await response.AssertScimErrorAsync(400, "mutability");
        Assert.Empty((await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        Assert.Empty((await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }
}
