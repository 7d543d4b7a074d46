using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>PATCH cases beside the RFC examples: uniqueness, whole-list member filters, response shaping.</summary>
public class PatchEdgeTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Patching_userName_to_a_taken_one_is_409_uniqueness_and_stores_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var first = await client.CreateUserAsync();
        var second = await client.CreateUserAsync();
        var before = await client.GetTextAsync("Users/" + second.Id());

        using var response = await client.PatchOperationsAsync("Users/" + second.Id(), $$"""{"op":"replace","path":"userName","value":"{{first.GetProperty("userName").GetString()!.ToUpperInvariant()}}"}""");

        await response.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal(before, await client.GetTextAsync("Users/" + second.Id()));
    }

    [Fact]
    public async Task Removing_the_members_a_type_filter_matches_keeps_the_others()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var nested = await client.CreateGroupAsync("Nested");
        var group = await client.CreateGroupAsync("Mixed", user.Id(), nested.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), """{"op":"remove","path":"members[type eq \"Group\"]"}""");

        Assert.Equal([user.Id()], patched.MemberIds());
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Replacing_members_with_one_that_does_not_exist_is_invalidValue_and_keeps_the_old_members()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Keep", user.Id());
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"replace","path":"members","value":[{"value":"{{Guid.NewGuid()}}"}]}""");

        await response.AssertScimErrorAsync(400, "invalidValue");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task A_failing_rename_with_a_member_add_in_one_request_adds_no_member()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Atomic");
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""
            {"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]},
            {"op":"replace","path":"noSuchAttribute","value":"x"}
            """);

        await response.AssertScimErrorAsync(400, "invalidPath");
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
        Assert.Empty((await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task A_group_patch_with_excludedAttributes_members_answers_without_members()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Quiet");

        var patched = await client.PatchOkAsync("Groups/" + group.Id() + "?excludedAttributes=members", $$"""{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}""");

        Assert.False(patched.TryGetProperty("members", out _));
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task A_user_patch_answers_with_the_ETag_of_its_new_version()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"add","path":"title","value":"Guide"}""");

        var body = await response.JsonAsync();
        Assert.Equal(body.Version(), response.Headers.ETag?.ToString());
        using var next = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"add","path":"title","value":"Lead"}""", ifMatch: body.Version());
        Assert.Equal(200, (int)next.StatusCode);
    }
}
