using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>More PATCH shapes over HTTP: extension objects, member removal of non-members, If-Match on groups.</summary>
public class PatchShapesTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Path_less_add_of_the_enterprise_extension_object_merges_it()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync($$""" "schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{EnterpriseUrn}}"],"{{EnterpriseUrn}}":{"employeeNumber":"7"} """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""{"op":"add","value":{"{{EnterpriseUrn}}":{"department":"Tours"} } }""");

        var extension = patched.GetProperty(EnterpriseUrn);
        Assert.Equal("Tours", extension.GetProperty("department").GetString());
        Assert.Equal("7", extension.GetProperty("employeeNumber").GetString());
    }

    [Fact]
    public async Task Removing_a_non_member_by_value_array_changes_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var member = await client.CreateUserAsync();
        var outsider = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Untouched", member.Id());
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"Remove","path":"members","value":[{"value":"{{outsider.Id()}}"}]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task A_group_patch_with_If_Match_star_succeeds()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Star");

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}""", ifMatch: "*");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Deleting_a_group_with_a_stale_If_Match_is_412_and_keeps_it()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Stale delete");
        await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{user.Id()}}"}]}""");
        var request = new HttpRequestMessage(HttpMethod.Delete, "Groups/" + group.Id());
        request.Headers.TryAddWithoutValidation("If-Match", group.Version());

        using var response = await client.SendAsync(request);

        await response.AssertScimErrorAsync(412);
        Assert.Equal([user.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Replace_of_the_work_email_by_filter_without_sub_attribute_creates_it_when_absent()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","path":"emails[type eq \"work\"]","value":{"value":"w@contoso.com"}}""");

        var email = Assert.Single(patched.GetProperty("emails").EnumerateArray());
        Assert.Equal("w@contoso.com", email.GetProperty("value").GetString());
        Assert.Equal("work", email.GetProperty("type").GetString());
    }
}
