using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>PATCH (RFC 7644 §3.5.2) over HTTP: versions, preconditions, passwords and errors.</summary>
public class PatchTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task A_patch_that_changes_something_moves_version_and_lastModified()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "displayName":"Before" """);
        await Task.Delay(50);

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","path":"displayName","value":"After"}""");

        Assert.Equal(200, (int)response.StatusCode);
        var patched = await response.JsonAsync();
        Assert.Equal("After", patched.GetProperty("displayName").GetString());
        Assert.NotEqual(user.Version(), patched.Version());
        Assert.NotEqual(user.LastModified(), patched.LastModified());
        Assert.Equal(user.GetProperty("meta").GetProperty("created").GetString(), patched.GetProperty("meta").GetProperty("created").GetString());
        Assert.Equal(patched.Version(), response.Headers.ETag?.ToString());
        Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_keeps_version_and_lastModified()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "displayName":"Same","emails":[{"value":"same@example.com","type":"work"}] """);
        var before = await client.GetTextAsync("Users/" + user.Id());
        await Task.Delay(50);

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """
            {"op":"replace","path":"displayName","value":"Same"},
            {"op":"add","path":"emails","value":[{"value":"same@example.com","type":"work"}]}
            """);

        Assert.Equal(200, (int)response.StatusCode);
        var patched = await response.JsonAsync();
        Assert.Equal(user.Version(), patched.Version());
        Assert.Equal(user.LastModified(), patched.LastModified());
        Assert.Equal(before, await client.GetTextAsync("Users/" + user.Id()));
    }

    [Fact]
    public async Task A_group_patch_that_changes_nothing_keeps_its_version()
    {
        var client = server.Client(server.DefaultToken);
        var member = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Unchanged", member.Id());
        var before = await client.GetTextAsync("Groups/" + group.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""
            {"op":"add","path":"members","value":[{"value":"{{member.Id()}}"}]},
            {"op":"replace","path":"displayName","value":"Unchanged"}
            """);

        Assert.Equal(group.Version(), patched.Version());
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task A_patch_with_a_stale_If_Match_is_412_and_stores_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "displayName":"v1" """);
        await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","path":"displayName","value":"v2"}""");
        var before = await client.GetTextAsync("Users/" + user.Id());

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","path":"displayName","value":"lost update"}""", ifMatch: user.Version());

        await response.AssertScimErrorAsync(412);
        Assert.Equal(before, await client.GetTextAsync("Users/" + user.Id()));
    }

    [Fact]
    public async Task A_group_patch_with_a_stale_If_Match_is_412_and_no_member_is_added()
    {
        var client = server.Client(server.DefaultToken);
        var member = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Stale");
        await client.PatchOkAsync("Groups/" + group.Id(), """{"op":"replace","path":"displayName","value":"Stale 2"}""");
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{member.Id()}}"}]}""", ifMatch: group.Version());

        await response.AssertScimErrorAsync(412);
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
        Assert.Empty((await client.GetJsonAsync("Users/" + member.Id())).Groups());
    }

    [Fact]
    public async Task A_patch_with_the_current_If_Match_succeeds()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","path":"title","value":"Guide"}""", ifMatch: user.Version());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Guide", (await client.GetJsonAsync("Users/" + user.Id())).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_password_set_by_patch_is_never_returned()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        using var withPath = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","path":"password","value":"t0p-s3cret!"}""");
        using var pathLess = await client.PatchOperationsAsync("Users/" + user.Id(), """{"op":"replace","value":{"password":"an0ther-s3cret!"}}""");
        using var fetched = await client.GetAsync("Users/" + user.Id());
        using var asked = await client.GetAsync("Users/" + user.Id() + "?attributes=password");
        using var listed = await client.GetAsync("Users?attributes=password,userName");

        foreach (var response in new[] { withPath, pathLess, fetched, asked, listed })
        {
            Assert.Equal(200, (int)response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("pbkdf2", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_patch_that_sets_a_password_moves_the_version()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"add","path":"password","value":"t0p-s3cret!"}""");

        Assert.NotEqual(user.Version(), patched.Version());
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"noSuchAttribute","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"replace","path":"name.noSuchSubAttribute","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"remove"}""", "noTarget")]
    [InlineData("""{"op":"replace","path":"id","value":"another-id"}""", "mutability")]
    [InlineData("""{"op":"remove","path":"userName"}""", "mutability")]
    [InlineData("""{"op":"replace","path":"active","value":[1,2]}""", "invalidValue")]
    [InlineData("""{"op":"replace","path":"displayName","value":{"nested":true}}""", "invalidValue")]
    [InlineData("""{"op":"replace","path":"title","value":"Changed first"},{"op":"replace","path":"noSuchAttribute","value":"x"}""", "invalidPath")]
    [InlineData("""{"op":"move","path":"title","value":"x"}""", "invalidSyntax")]
    public async Task A_failing_user_patch_is_a_400_with_its_scimType_and_leaves_the_user_byte_identical(string operations, string scimType)
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "title":"Original","name":{"givenName":"Babs"} """);
        var before = await client.GetTextAsync("Users/" + user.Id());

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), operations);

        await response.AssertScimErrorAsync(400, scimType);
        Assert.Equal(before, await client.GetTextAsync("Users/" + user.Id()));
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"x"}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{"op":"replace","path":"title","value":"x"}}""")]
    [InlineData("not json at all")]
    public async Task A_malformed_patch_body_is_invalidSyntax_and_leaves_the_user_byte_identical(string body)
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "title":"Original" """);
        var before = await client.GetTextAsync("Users/" + user.Id());

        using var response = await client.PatchRawAsync("Users/" + user.Id(), body);

        await response.AssertScimErrorAsync(400, "invalidSyntax");
        Assert.Equal(before, await client.GetTextAsync("Users/" + user.Id()));
    }

    [Fact]
    public async Task Replacing_the_id_with_its_own_value_is_accepted_and_changes_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var before = await client.GetTextAsync("Users/" + user.Id());

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""{"op":"replace","value":{"id":"{{user.Id()}}"} }""");

        Assert.Equal(user.Version(), patched.Version());
        Assert.Equal(before, await client.GetTextAsync("Users/" + user.Id()));
    }

    [Fact]
    public async Task A_group_patch_that_renames_to_an_empty_displayName_is_refused_and_stores_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var member = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Keep me", member.Id());
        var before = await client.GetTextAsync("Groups/" + group.Id());

        using var response = await client.PatchOperationsAsync("Groups/" + group.Id(), """{"op":"remove","path":"displayName"}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(before, await client.GetTextAsync("Groups/" + group.Id()));
    }

    [Fact]
    public async Task A_patch_of_an_unknown_user_is_404()
    {
        var client = server.Client(server.DefaultToken);

        using var response = await client.PatchOperationsAsync("Users/" + Guid.NewGuid(), """{"op":"replace","path":"title","value":"x"}""");

        await response.AssertScimErrorAsync(404);
    }
}
