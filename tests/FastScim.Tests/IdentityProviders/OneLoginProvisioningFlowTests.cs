using FastScim.Tests.Infrastructure;
using static FastScim.Tests.IdentityProviders.ProvisioningClient;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>
/// What OneLogin's generic "SCIM Provisioner" connectors send (shared/IDP-BEHAVIOUR.md, "OneLogin"):
/// the user body is a JSON template the administrator writes on the Configuration tab, filled in
/// per user, and group PATCHes use lower-case ops. OneLogin publishes no request log, so these
/// runs replay the templates of public setup guides (scim.dev, OneLogin KB0013904) and nothing more.
/// </summary>
public class OneLoginProvisioningFlowTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string LegacyCoreUrn = "urn:scim:schemas:core:1.0";

    private ProvisioningClient OneLogin() => new(server.Client(server.DefaultToken));

    private static string NewEmail() => NewUserName("jdoe") + "@example.com";

    /// <summary>A minimal admin-written template, filled in: userName, name and emails only.</summary>
    private static string CoreTemplate(string schemaUrn, string userName) => $$"""
        {"schemas":["{{schemaUrn}}"],
         "userName":"{{userName}}",
         "name":{"givenName":"Jane","familyName":"Doe","formatted":"Jane Doe"},
         "emails":[{"value":"{{userName}}","type":"work","primary":true}]}
        """;

    [Fact]
    public async Task A_template_with_only_userName_emails_and_name_creates_a_user_that_reads_back_the_same()
    {
        var onelogin = OneLogin();
        var userName = NewEmail();

        var created = await onelogin.PostAsync("Users", CoreTemplate(UserUrn, userName));

        Assert.Equal(userName, created.GetProperty("userName").GetString());
        var name = created.GetProperty("name");
        Assert.Equal("Jane", name.GetProperty("givenName").GetString());
        Assert.Equal("Doe", name.GetProperty("familyName").GetString());
        Assert.Equal("Jane Doe", name.GetProperty("formatted").GetString());
        var email = Assert.Single(created.GetProperty("emails").EnumerateArray());
        Assert.Equal(userName, email.GetProperty("value").GetString());
        Assert.True(email.GetProperty("primary").GetBoolean());
        Assert.Equal(created.ToString(), (await onelogin.GetAsync("Users/" + created.Id())).ToString());
        Assert.Equal(created.Id(), ListedOnly(await onelogin.GetAsync($"Users?filter=userName eq \"{userName}\"")).Id());
    }

    [Fact]
    public async Task A_template_still_naming_the_SCIM_1_0_core_schema_is_read_as_the_core_User()
    {
        var onelogin = OneLogin();
        var userName = NewEmail();

        // scim.dev's OneLogin guide pastes this URN into a SCIM v2 connector's template.
        var created = await onelogin.PostAsync("Users", CoreTemplate(LegacyCoreUrn, userName));

        // Answered as what it is: a SCIM 2.0 core User with the attributes sent.
        var schemas = created.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()).ToArray();
        Assert.Contains(UserUrn, schemas);
        Assert.DoesNotContain(LegacyCoreUrn, schemas);
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.Equal("Doe", created.GetProperty("name").GetProperty("familyName").GetString());
        Assert.Equal(userName, created.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.Equal(created.ToString(), (await onelogin.GetAsync("Users/" + created.Id())).ToString());
    }

    [Fact]
    public async Task Group_membership_changes_with_lower_case_ops()
    {
        var onelogin = OneLogin();
        var first = await onelogin.PostAsync("Users", CoreTemplate(UserUrn, NewEmail()));
        var second = await onelogin.PostAsync("Users", CoreTemplate(UserUrn, NewEmail()));
        var group = await onelogin.PostAsync("Groups", $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"OneLogin {{Guid.NewGuid():N}}"}""");
        var path = "Groups/" + group.Id();

        // Lower-case "add", which Microsoft's old SCIM library refused (AzureAD-BYOA-Provisioning-Samples#24).
        var added = await onelogin.PatchOpAsync(path, $$"""{"op":"add","path":"members","value":[{"value":"{{first.Id()}}"},{"value":"{{second.Id()}}"}]}""");
        Assert.Equal(Sorted(first.Id(), second.Id()), added.MemberIds());
        Assert.Equal(group.Id(), Assert.Single((await onelogin.GetAsync("Users/" + first.Id())).Groups()).Value);

        var removed = await onelogin.PatchOpAsync(path, $$"""{"op":"remove","path":"members[value eq \"{{first.Id()}}\"]"}""");
        Assert.Equal([second.Id()], removed.MemberIds());
        Assert.Empty((await onelogin.GetAsync("Users/" + first.Id())).Groups());
    }

    [Fact]
    public async Task A_user_attribute_changes_with_lower_case_ops()
    {
        var onelogin = OneLogin();
        var created = await onelogin.PostAsync("Users", CoreTemplate(UserUrn, NewEmail()));
        var path = "Users/" + created.Id();

        var patched = await onelogin.PatchOpAsync(path, """
            {"op":"replace","path":"name.givenName","value":"Janet"},
            {"op":"add","path":"title","value":"Engineer"},
            {"op":"remove","path":"name.formatted"}
            """);

        var name = patched.GetProperty("name");
        Assert.Equal("Janet", name.GetProperty("givenName").GetString());
        Assert.Equal("Doe", name.GetProperty("familyName").GetString());
        Assert.False(name.TryGetProperty("formatted", out _));
        Assert.Equal("Engineer", patched.GetProperty("title").GetString());
        Assert.Equal(patched.ToString(), (await onelogin.GetAsync(path)).ToString());
    }
}
