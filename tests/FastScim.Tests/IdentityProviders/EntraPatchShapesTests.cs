using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>The PATCH requests Entra ID sends, both with and without its compliance flag (shared/IDP-BEHAVIOUR.md, "Microsoft Entra ID").</summary>
public class EntraPatchShapesTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Theory]
    [InlineData("False")]
    [InlineData("false")]
    [InlineData("FALSE")]
    public async Task Capitalised_Replace_of_active_with_a_boolean_string_deactivates(string value)
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "active":true """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""{"op":"Replace","path":"active","value":"{{value}}"}""");

        Assert.False(patched.GetProperty("active").GetBoolean());
        Assert.False((await client.GetJsonAsync("Users/" + user.Id())).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_boolean_string_True_activates()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "active":false """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"Replace","path":"active","value":"True"}""");

        Assert.True(patched.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Flagged_replace_of_active_with_a_json_boolean_deactivates()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "active":true """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","path":"active","value":false}""");

        Assert.False(patched.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Capitalised_Add_of_a_single_valued_attribute_sets_it()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"Add","path":"nickName","value":"Babs"}""");

        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());
    }

    [Fact]
    public async Task Path_less_replace_with_dotted_and_URN_keys_sets_each_attribute()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "name":{"givenName":"Old","familyName":"Name","middleName":"Kept"} """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""
            {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
              "{{EnterpriseUrn}}:employeeNumber":"Aklq"} }
            """);

        Assert.Equal("Bjfe", patched.GetProperty("displayName").GetString());
        var name = patched.GetProperty("name");
        Assert.Equal("Kkom", name.GetProperty("givenName").GetString());
        Assert.Equal("Unua", name.GetProperty("familyName").GetString());
        Assert.Equal("Kept", name.GetProperty("middleName").GetString());
        Assert.Equal("Aklq", patched.GetProperty(EnterpriseUrn).GetProperty("employeeNumber").GetString());
        Assert.Contains(EnterpriseUrn, patched.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
        Assert.False(patched.TryGetProperty("name.givenName", out _));
        Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Fact]
    public async Task Replace_of_the_work_email_value_and_the_employeeNumber_by_URN_path()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "emails":[{"value":"old@contoso.com","type":"work","primary":true},{"value":"home@contoso.com","type":"home"}] """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""
            {"op":"Replace","path":"emails[type eq \"work\"].value","value":"x@y"},
            {"op":"Replace","path":"{{EnterpriseUrn}}:employeeNumber","value":"Eqpj"}
            """);

        var emails = patched.GetProperty("emails").EnumerateArray().ToArray();
        Assert.Equal(["x@y", "home@contoso.com"], emails.Select(e => e.GetProperty("value").GetString()));
        Assert.True(emails[0].GetProperty("primary").GetBoolean());
        Assert.Equal("Eqpj", patched.GetProperty(EnterpriseUrn).GetProperty("employeeNumber").GetString());
    }

    [Fact]
    public async Task Add_with_a_filter_on_absent_emails_creates_a_work_email()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@contoso.com"}""");

        var email = Assert.Single(patched.GetProperty("emails").EnumerateArray());
        Assert.Equal("new@contoso.com", email.GetProperty("value").GetString());
        Assert.Equal("work", email.GetProperty("type").GetString());
        Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Fact]
    public async Task Replace_with_a_filter_on_emails_without_a_work_one_creates_it_beside_the_others()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "emails":[{"value":"home@contoso.com","type":"home"}] """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"work@contoso.com"}""");

        var emails = patched.GetProperty("emails").EnumerateArray().ToArray();
        Assert.Equal(2, emails.Length);
        Assert.Equal("home", emails.Single(e => e.GetProperty("value").GetString() == "home@contoso.com").GetProperty("type").GetString());
        Assert.Equal("work", emails.Single(e => e.GetProperty("value").GetString() == "work@contoso.com").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Manager_as_a_plain_string_is_stored_as_its_value()
    {
        var client = server.Client(server.DefaultToken);
        var manager = await client.CreateUserAsync();
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""{"op":"Add","path":"{{EnterpriseUrn}}:manager","value":"{{manager.Id()}}"}""");

        Assert.Equal(manager.Id(), patched.GetProperty(EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());
        Assert.Equal(manager.Id(), (await client.GetJsonAsync("Users/" + user.Id())).GetProperty(EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Manager_as_an_object_is_stored()
    {
        var client = server.Client(server.DefaultToken);
        var manager = await client.CreateUserAsync();
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""{"op":"replace","path":"{{EnterpriseUrn}}:manager","value":{"value":"{{manager.Id()}}"} }""");

        Assert.Equal(manager.Id(), patched.GetProperty(EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Remove_of_members_with_a_value_array_removes_only_those_members()
    {
        var client = server.Client(server.DefaultToken);
        var a = await client.CreateUserAsync();
        var b = await client.CreateUserAsync();
        var c = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Entra legacy remove", a.Id(), b.Id(), c.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"Remove","path":"members","value":[{"value":"{{a.Id()}}"},{"value":"{{c.Id()}}"}]}""");

        Assert.Equal([b.Id()], patched.MemberIds());
        Assert.Equal([b.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Flagged_remove_of_one_member_by_filter()
    {
        var client = server.Client(server.DefaultToken);
        var a = await client.CreateUserAsync();
        var b = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Entra flagged remove", a.Id(), b.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"remove","path":"members[value eq \"{{a.Id()}}\"]"}""");

        Assert.Equal([b.Id()], patched.MemberIds());
    }

    [Fact]
    public async Task Add_of_a_member_with_a_null_ref_is_accepted()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Entra add");

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{user.Id()}}"}]}""");

        Assert.Equal([user.Id()], patched.MemberIds());
        Assert.EndsWith("/Users/" + user.Id(), patched.GetProperty("members")[0].GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Attribute_names_in_a_path_are_matched_case_insensitively()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"Replace","path":"DisplayName","value":"Cased"},{"op":"Replace","path":"Name.GivenName","value":"Babs"}""");

        Assert.Equal("Cased", patched.GetProperty("displayName").GetString());
        Assert.Equal("Babs", patched.GetProperty("name").GetProperty("givenName").GetString());
    }

    [Fact]
    public async Task The_compliance_flag_on_the_base_url_is_ignored()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        using var response = await client.PatchOperationsAsync("Users/" + user.Id() + "?aadOptscim062020", """{"op":"replace","path":"active","value":false}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.False((await response.JsonAsync()).GetProperty("active").GetBoolean());
    }
}
