using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.IdentityProviders.ProvisioningClient;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>
/// Microsoft Entra ID's provisioning runs, replayed request by request as its SCIM tutorial and its
/// SCIM compatibility page document them (entra-docs, app-provisioning; shared/IDP-BEHAVIOUR.md,
/// "Microsoft Entra ID"): both PATCH shapes, the default one and the one sent when the tenant URL
/// carries <c>?aadOptscim062020</c>. That query stays on every request Entra builds from the URL.
/// </summary>
public class EntraProvisioningFlowTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string Flag = "aadOptscim062020";
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private const string AdScimGroupUrn = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

    private ProvisioningClient Entra(string? flag = null, string? token = null, string tenant = "default") =>
        new(server.Client(token ?? server.DefaultToken, tenant), flag);

    /// <summary>A user Entra would create: its fresh userName, work mail and externalId.</summary>
    private sealed record EntraUser(string UserName, string Mail, string ExternalId)
    {
        public static EntraUser Fresh() =>
            new("Test_User_" + Guid.NewGuid(), "Test_User_" + Guid.NewGuid() + "@testuser.com", Guid.NewGuid().ToString());

        /// <summary>The tutorial's "Create User" request: client meta, empty roles, the enterprise URN.</summary>
        public string CreateBody(bool withMail = true) => $$"""
            {"schemas":["{{UserUrn}}","{{EnterpriseUrn}}"],
             "externalId":"{{ExternalId}}",
             "userName":"{{UserName}}",
             "active":true,
             {{(withMail ? Emails : "")}}
             "meta":{"resourceType":"User"},
             "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
             "roles":[]}
            """;

        private string Emails => $$"""
            "emails":[{"primary":true,"type":"work","value":"{{Mail}}"}],
            """;

        public string ByUserName => $"Users?filter=userName eq \"{UserName}\"";
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Flag)]
    public async Task Test_connection_asks_for_a_random_user_and_group_and_hears_they_do_not_exist(string? flag)
    {
        var entra = Entra(flag);
        var random = Guid.NewGuid().ToString();

        // By the matching attribute the admin chose: userName, or externalId unquoted as the tutorial writes it.
        AssertListsNothing(await entra.GetAsync($"Users?filter=userName eq \"{random}\""));
        AssertListsNothing(await entra.GetAsync($"Users?filter=externalId eq {random}"));
        AssertListsNothing(await entra.GetAsync($"Groups?excludedAttributes=members&filter=displayName eq \"{random}\""));

        // And by id: 404 with a SCIM error, never 500.
        await entra.GetAsync("Users/" + random, 404);
        await entra.GetAsync("Groups/" + random + "?excludedAttributes=members", 404);
    }

    [Fact]
    public async Task Saving_the_provisioning_configuration_reads_Schemas()
    {
        var schemas = await Entra().GetAsync("Schemas");

        var resources = Listed(schemas);
        Assert.Equal(
            Sorted(UserUrn, GroupUrn, EnterpriseUrn),
            resources.Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToArray());
        foreach (var attribute in resources.SelectMany(s => s.GetProperty("attributes").EnumerateArray()))
        {
            // What the attribute-mapping page lists: each attribute's name, type and characteristics, camelCase.
            Assert.False(string.IsNullOrEmpty(attribute.GetProperty("name").GetString()));
            Assert.Contains(attribute.GetProperty("type").GetString(), new[] { "string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary" });
            Assert.Contains(attribute.GetProperty("mutability").GetString(), new[] { "readOnly", "readWrite", "immutable", "writeOnly" });
            Assert.Contains(attribute.GetProperty("returned").GetString(), new[] { "always", "never", "default", "request" });
            Assert.Contains(attribute.GetProperty("multiValued").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        }

        Assert.Empty(JsonShape.Nulls(schemas));
    }

    [Fact]
    public async Task A_new_user_is_matched_created_and_then_found_by_each_matching_attribute()
    {
        var entra = Entra();
        var user = EntraUser.Fresh();

        AssertListsNothing(await entra.GetAsync(user.ByUserName));
        var created = await entra.PostAsync("Users", user.CreateBody());

        // The client's meta is replaced by the server's; the empty roles leave nothing behind; no nulls.
        Assert.Equal(user.UserName, created.GetProperty("userName").GetString());
        Assert.Equal(user.ExternalId, created.GetProperty("externalId").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal("givenName familyName", created.GetProperty("name").GetProperty("formatted").GetString());
        var email = Assert.Single(created.GetProperty("emails").EnumerateArray());
        Assert.Equal(user.Mail, email.GetProperty("value").GetString());
        Assert.Equal("work", email.GetProperty("type").GetString());
        Assert.True(email.GetProperty("primary").GetBoolean());
        var meta = created.GetProperty("meta");
        Assert.Equal("User", meta.GetProperty("resourceType").GetString());
        Assert.True(meta.TryGetProperty("created", out _));
        Assert.Equal(server.BaseUrl() + "/Users/" + created.Id(), meta.GetProperty("location").GetString());
        Assert.True(!created.TryGetProperty("roles", out var roles) || roles.GetArrayLength() == 0);
        Assert.Empty(JsonShape.Nulls(created));

        // Each attribute an admin can make the matching one finds exactly this user.
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync(user.ByUserName)).Id());
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=externalId eq \"{user.ExternalId}\"")).Id());
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=externalId eq {user.ExternalId}")).Id());
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=emails[type eq \"work\"].value eq \"{user.Mail}\"")).Id());
        Assert.Equal(created.ToString(), (await entra.GetAsync("Users/" + created.Id())).ToString());
    }

    [Fact]
    public async Task Default_shape_updates_a_user_soft_deletes_restores_and_hard_deletes_it()
    {
        var entra = Entra();
        var manager = await entra.PostAsync("Users", EntraUser.Fresh().CreateBody());
        var user = EntraUser.Fresh();
        var created = await entra.PostAsync("Users", user.CreateBody());
        var path = "Users/" + created.Id();

        // Update User [Multi-valued properties], as the tutorial sends it.
        var newMail = "updated_" + user.Mail;
        var patched = await entra.PatchOpAsync(path, $$"""
            {"op":"Replace","path":"emails[type eq \"work\"].value","value":"{{newMail}}"},
            {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}
            """);
        Assert.Equal(newMail, Assert.Single(patched.GetProperty("emails").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal("updatedFamilyName", patched.GetProperty("name").GetProperty("familyName").GetString());

        // Requests to replace multiple attributes, without the flag: one Replace per attribute.
        var newExternalId = Guid.NewGuid().ToString();
        patched = await entra.PatchOpAsync(path, $$"""
            {"op":"Replace","path":"displayName","value":"Pvlo"},
            {"op":"Replace","path":"emails[type eq \"work\"].value","value":"{{user.Mail}}"},
            {"op":"Replace","path":"name.givenName","value":"Gtfd"},
            {"op":"Replace","path":"name.familyName","value":"Pkqf"},
            {"op":"Replace","path":"externalId","value":"{{newExternalId}}"},
            {"op":"Replace","path":"{{EnterpriseUrn}}:employeeNumber","value":"Eqpj"}
            """);
        Assert.Equal("Pvlo", patched.GetProperty("displayName").GetString());
        Assert.Equal(user.Mail, patched.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.Equal("Gtfd", patched.GetProperty("name").GetProperty("givenName").GetString());
        Assert.Equal("Pkqf", patched.GetProperty("name").GetProperty("familyName").GetString());
        Assert.Equal(newExternalId, patched.GetProperty("externalId").GetString());
        Assert.Equal("Eqpj", patched.GetProperty(EnterpriseUrn).GetProperty("employeeNumber").GetString());

        // Add of a single-valued attribute, capitalised; the manager as a plain string.
        patched = await entra.PatchOpAsync(path, $$"""
            {"op":"Add","path":"nickName","value":"Babs"},
            {"op":"Add","path":"{{EnterpriseUrn}}:manager","value":"{{manager.Id()}}"}
            """);
        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());
        Assert.Equal(manager.Id(), patched.GetProperty(EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());

        // The next cycle matches on the new externalId.
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=externalId eq {newExternalId}")).Id());

        // Disable User without the flag: capitalised op, the boolean as a string. A JSON boolean comes back.
        var disabled = await entra.PatchOpAsync(path, """{"op":"Replace","path":"active","value":"False"}""");
        Assert.Equal(JsonValueKind.False, disabled.GetProperty("active").ValueKind);

        // A soft-deleted user is still returned, by id and by its matching attribute.
        Assert.Equal(JsonValueKind.False, (await entra.GetAsync(path)).GetProperty("active").ValueKind);
        Assert.Equal(JsonValueKind.False, ListedOnly(await entra.GetAsync(user.ByUserName)).GetProperty("active").ValueKind);

        // Restored when it is in scope again.
        var restored = await entra.PatchOpAsync(path, """{"op":"Replace","path":"active","value":"True"}""");
        Assert.Equal(JsonValueKind.True, restored.GetProperty("active").ValueKind);
        Assert.Equal("Babs", restored.GetProperty("nickName").GetString());

        // Hard delete: gone by id and by filter.
        await entra.DeleteAsync(path);
        await entra.GetAsync(path, 404);
        AssertListsNothing(await entra.GetAsync(user.ByUserName));
    }

    [Fact]
    public async Task Flagged_shape_creates_updates_disables_and_deletes_a_user_with_the_flag_on_every_url()
    {
        var entra = Entra(Flag);
        var user = EntraUser.Fresh();

        AssertListsNothing(await entra.GetAsync(user.ByUserName));
        var created = await entra.PostAsync("Users", user.CreateBody());
        var path = "Users/" + created.Id();
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync(user.ByUserName)).Id());

        var patched = await entra.PatchOpAsync(path, """{"op":"add","path":"nickName","value":"Babs"}""");
        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());

        // Requests to replace multiple attributes, with the flag: a filtered path, then one path-less
        // map whose keys are dotted sub-attributes and a URN-qualified extension attribute.
        var newMail = "flagged_" + user.Mail;
        patched = await entra.PatchOpAsync(path, $$"""
            {"op":"replace","path":"emails[type eq \"work\"].value","value":"{{newMail}}"},
            {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
                                     "{{EnterpriseUrn}}:employeeNumber":"Aklq"} }
            """);
        Assert.Equal(newMail, Assert.Single(patched.GetProperty("emails").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal("Bjfe", patched.GetProperty("displayName").GetString());
        var name = patched.GetProperty("name");
        Assert.Equal("Kkom", name.GetProperty("givenName").GetString());
        Assert.Equal("Unua", name.GetProperty("familyName").GetString());
        Assert.Equal("givenName familyName", name.GetProperty("formatted").GetString());
        Assert.Equal("Aklq", patched.GetProperty(EnterpriseUrn).GetProperty("employeeNumber").GetString());
        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=emails[type eq \"work\"].value eq \"{newMail}\"")).Id());

        // Disable with the flag: lower-case op, a JSON boolean.
        var disabled = await entra.PatchOpAsync(path, """{"op":"replace","path":"active","value":false}""");
        Assert.False(disabled.GetProperty("active").GetBoolean());
        Assert.False((await entra.GetAsync(path)).GetProperty("active").GetBoolean());

        await entra.DeleteAsync(path);
        await entra.GetAsync(path, 404);
    }

    [Fact]
    public async Task A_work_mail_set_later_is_added_by_filter_and_then_matches()
    {
        var entra = Entra();
        var user = EntraUser.Fresh();
        var created = await entra.PostAsync("Users", user.CreateBody(withMail: false));
        Assert.False(created.TryGetProperty("emails", out _));
        var byMail = $"Users?filter=emails[type eq \"work\"].value eq \"{user.Mail}\"";
        AssertListsNothing(await entra.GetAsync(byMail));

        // Add through a filter that matches nothing yet: Entra expects a new work email (RFC 7644 erratum 8097).
        var patched = await entra.PatchOpAsync("Users/" + created.Id(), $$"""{"op":"Add","path":"emails[type eq \"work\"].value","value":"{{user.Mail}}"}""");

        var email = Assert.Single(patched.GetProperty("emails").EnumerateArray());
        Assert.Equal(user.Mail, email.GetProperty("value").GetString());
        Assert.Equal("work", email.GetProperty("type").GetString());
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync(byMail)).Id());
    }

    [Fact]
    public async Task The_validator_s_capitalised_attribute_names_create_find_and_replace_a_user()
    {
        var entra = Entra();
        var manager = await entra.PostAsync("Users", EntraUser.Fresh().CreateBody());
        var userName = NewUserName("UserName");
        var displayName = "BobIsAmazing " + Guid.NewGuid().ToString("N")[..8];

        // The Microsoft SCIM validator's "Post EnterpriseUser" (aka.ms/ProvisioningPostman).
        var created = await entra.PostAsync("Users", $$"""
            {"UserName":"{{userName}}","Active":true,"DisplayName":"{{displayName}}",
             "schemas":["{{EnterpriseUrn}}","{{UserUrn}}"],
             "externalId":"{{Guid.NewGuid():N}}",
             "name":{"formatted":"Adrew Ryan","familyName":"Ryan","givenName":"Andrew"},
             "emails":[{"Primary":true,"type":"work","value":"testing@bob2.com"},{"Primary":false,"type":"home","value":"testinghome@bob3.com"}],
             "{{EnterpriseUrn}}":{"Department":"bob","Manager":{"Value":"{{manager.Id()}}"} } }
            """);
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal(displayName, created.GetProperty("displayName").GetString());
        Assert.True(created.GetProperty("emails")[0].GetProperty("primary").GetBoolean());
        Assert.False(created.GetProperty("emails")[1].GetProperty("primary").GetBoolean());
        var enterprise = created.GetProperty(EnterpriseUrn);
        Assert.Equal("bob", enterprise.GetProperty("department").GetString());
        Assert.Equal(manager.Id(), enterprise.GetProperty("manager").GetProperty("value").GetString());

        // "Get User Filters": an attribute name capitalised in the filter too.
        Assert.Equal(created.Id(), ListedOnly(await entra.GetAsync($"Users?filter=DisplayName eq \"{displayName}\"")).Id());

        // "User 2 replace test": a PUT with the same capitalised names and the id.
        var replaced = await entra.PutAsync("Users/" + created.Id(), $$"""
            {"UserName":"{{userName}}","Active":true,"DisplayName":"{{displayName}}",
             "schemas":["{{EnterpriseUrn}}","{{UserUrn}}"],
             "id":"{{created.Id()}}",
             "name":{"formatted":"NewName","familyName":"Leenay","givenName":"Ryan"},
             "emails":[{"Primary":true,"type":"work","value":"testing@bobREPLACE.com"}]}
            """);
        Assert.Equal("NewName", replaced.GetProperty("name").GetProperty("formatted").GetString());
        Assert.Equal("NewName", (await entra.GetAsync("Users/" + created.Id())).GetProperty("name").GetProperty("formatted").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Flag)]
    public async Task Group_provisioning_matches_creates_renames_changes_members_and_deletes(string? flag)
    {
        // The guide's setting for Entra: group PATCH answers 204, as the tutorial asks.
        var tenant = "entra-" + Guid.NewGuid().ToString("N")[..8];
        var token = (await Cli.RunAsync("tenant", "create", tenant, "--data", server.DataDirectory)).LastLine;
        Assert.Equal(0, (await Cli.RunAsync("tenant", "set", tenant, "--group-patch-response", "204", "--data", server.DataDirectory)).ExitCode);
        var entra = Entra(flag, token, tenant);
        var first = await entra.PostAsync("Users", EntraUser.Fresh().CreateBody());
        var second = await entra.PostAsync("Users", EntraUser.Fresh().CreateBody());
        var displayName = "Sales " + Guid.NewGuid().ToString("N")[..8];
        var byName = $"Groups?excludedAttributes=members&filter=displayName eq \"{displayName}\"";

        // Match by displayName, then create with the extra ADSCIM schema URN and the client's meta.
        AssertListsNothing(await entra.GetAsync(byName));
        var externalId = Guid.NewGuid().ToString();
        var group = await entra.PostAsync("Groups", $$"""
            {"schemas":["{{GroupUrn}}","{{AdScimGroupUrn}}"],
             "externalId":"{{externalId}}","displayName":"{{displayName}}","meta":{"resourceType":"Group"} }
            """);
        Assert.Equal(displayName, group.GetProperty("displayName").GetString());
        Assert.Equal(externalId, group.GetProperty("externalId").GetString());
        Assert.Equal("Group", group.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.Empty(JsonShape.Nulls(group));
        var path = "Groups/" + group.Id();

        // Reads exclude members: by id and by the matching filter.
        var read = await entra.GetAsync(path + "?excludedAttributes=members");
        Assert.Equal(displayName, read.GetProperty("displayName").GetString());
        Assert.False(read.TryGetProperty("members", out _));
        var matched = ListedOnly(await entra.GetAsync(byName));
        Assert.Equal(group.Id(), matched.Id());
        Assert.False(matched.TryGetProperty("members", out _));

        // Rename, then add both members ($ref null), then remove one — each answered 204.
        var newName = displayName + " EMEA";
        if (flag is null)
        {
            await entra.PatchOpAsync(path, $$"""{"op":"Replace","path":"displayName","value":"{{newName}}"}""", 204);
            await entra.PatchOpAsync(path, $$"""{"op":"Add","path":"members","value":[{"$ref":null,"value":"{{first.Id()}}"},{"$ref":null,"value":"{{second.Id()}}"}]}""", 204);
            Assert.Equal(Sorted(first.Id(), second.Id()), (await entra.GetAsync(path)).MemberIds());
            await entra.PatchOpAsync(path, $$"""{"op":"Remove","path":"members","value":[{"$ref":null,"value":"{{first.Id()}}"}]}""", 204);
        }
        else
        {
            await entra.PatchOpAsync(path, $$"""{"op":"replace","value":{"displayName":"{{newName}}"} }""", 204);
            await entra.PatchOpAsync(path, $$"""{"op":"add","path":"members","value":[{"value":"{{first.Id()}}"},{"value":"{{second.Id()}}"}]}""", 204);
            Assert.Equal(Sorted(first.Id(), second.Id()), (await entra.GetAsync(path)).MemberIds());
            await entra.PatchOpAsync(path, $$"""{"op":"remove","path":"members[value eq \"{{first.Id()}}\"]"}""", 204);
        }

        var after = await entra.GetAsync(path);
        Assert.Equal(newName, after.GetProperty("displayName").GetString());
        Assert.Equal([second.Id()], after.MemberIds());
        Assert.Empty((await entra.GetAsync("Users/" + first.Id())).Groups());
        AssertListsNothing(await entra.GetAsync(byName));
        Assert.Equal(group.Id(), ListedOnly(await entra.GetAsync($"Groups?excludedAttributes=members&filter=displayName eq \"{newName}\"")).Id());

        await entra.DeleteAsync(path);
        await entra.GetAsync(path + "?excludedAttributes=members", 404);
        Assert.Empty((await entra.GetAsync("Users/" + second.Id())).Groups());
    }
}
