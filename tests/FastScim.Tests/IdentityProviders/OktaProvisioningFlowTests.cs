using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.IdentityProviders.ProvisioningClient;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.IdentityProviders;

/// <summary>
/// Okta's provisioning runs, replayed request by request as its SCIM 2.0 reference documents them
/// (okta-developer-docs, reference/scim/scim-20) with the headers its client sends
/// (shared/IDP-BEHAVIOUR.md, "Okta"). Each step asserts what Okta reads from the answer before
/// it sends the next request.
/// </summary>
public class OktaProvisioningFlowTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private static string NewOktaUserName() => NewUserName("test.user") + "@okta.local";

    /// <summary>The create body of Okta's reference: password, empty groups, locale, externalId.</summary>
    private static string OktaUser(string userName, string externalId, string? password = "1mz050nq")
    {
        var passwordMember = password is null ? "" : $$""","password":"{{password}}" """;
        return $$"""
            {"schemas":["{{UserUrn}}"],
             "userName":"{{userName}}",
             "name":{"givenName":"Test","familyName":"User"},
             "emails":[{"primary":true,"value":"{{userName}}","type":"work"}],
             "displayName":"Test User","locale":"en-US","externalId":"{{externalId}}",
             "groups":[]{{passwordMember}},"active":true}
            """;
    }

    /// <summary>Okta's existence check, URL-encoded as it sends it.</summary>
    private static string UserNameLookup(string userName) =>
        $"Users?filter=userName%20eq%20%22{Uri.EscapeDataString(userName)}%22&startIndex=1&count=100";

    private static string NewExternalId() => "00u" + Guid.NewGuid().ToString("N")[..17];

    [Fact]
    public async Task Test_connection_reads_two_users_with_integer_paging_fields()
    {
        var okta = Okta(server);
        for (var i = 0; i < 3; i++)
        {
            await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        }

        var page = await okta.GetAsync("Users?startIndex=1&count=2");

        var users = Listed(page);
        Assert.Equal(2, users.Length);
        Assert.Equal(1, page.GetProperty("startIndex").GetInt32());
        Assert.True(page.GetProperty("totalResults").GetInt32() >= 3);
        Assert.All(users, u => Assert.False(string.IsNullOrEmpty(u.GetProperty("userName").GetString())));

        // Runscope's variant of the check: the first user is the same whatever the count.
        var first = Assert.Single(Listed(await okta.GetAsync("Users?count=1&startIndex=1")));
        Assert.Equal(users[0].Id(), first.Id());
    }

    [Fact]
    public async Task Assigning_a_user_looks_it_up_creates_it_and_finds_it_again_whatever_the_case()
    {
        var okta = Okta(server);
        var userName = NewOktaUserName();
        var externalId = NewExternalId();

        // 1. Does the user exist? An empty ListResponse means "no".
        AssertListsNothing(await okta.GetAsync(UserNameLookup(userName)));

        // 2. Create it with Okta's whole profile; Okta keeps the returned id and fails on an empty body.
        var created = await okta.PostAsync("Users", OktaUser(userName, externalId));
        Assert.False(string.IsNullOrEmpty(created.Id()));
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.Equal(externalId, created.GetProperty("externalId").GetString());
        Assert.Equal("en-US", created.GetProperty("locale").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Equal("User", created.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.False(created.TryGetProperty("password", out _));
        Assert.Empty(created.Groups());

        // 3. The next run looks it up again; Okta's test suite sends another case (caseExact false).
        var found = ListedOnly(await okta.GetAsync(UserNameLookup(userName.ToUpperInvariant())));
        Assert.Equal(created.Id(), found.Id());

        // 4. Creating it once more is a 409 with the Error schema, which stops Okta's job cleanly.
        var conflict = await okta.PostAsync("Users", OktaUser(userName.ToUpperInvariant(), NewExternalId()), 409);
        Assert.Equal("uniqueness", conflict.GetProperty("scimType").GetString());

        // 5. "Does it still exist?" by id.
        var fetched = await okta.GetAsync("Users/" + created.Id());
        Assert.Equal(created.ToString(), fetched.ToString());
    }

    [Fact]
    public async Task A_profile_change_is_a_GET_then_a_PUT_of_the_whole_user_carrying_its_id()
    {
        var okta = Okta(server);
        var userName = NewOktaUserName();
        var created = await okta.PostAsync("Users", OktaUser(userName, NewExternalId()));

        var current = await okta.GetAsync("Users/" + created.Id());
        var replaced = await okta.PutAsync("Users/" + created.Id(), $$"""
            {"schemas":["{{UserUrn}}"],
             "id":"{{current.Id()}}",
             "userName":"{{userName}}",
             "name":{"givenName":"Another","middleName":"Excited","familyName":"User"},
             "emails":[{"primary":true,"value":"{{userName}}","type":"work","display":"{{userName}}"}],
             "active":true,
             "groups":[],
             "meta":{"resourceType":"User"} }
            """);

        Assert.Equal(created.Id(), replaced.Id());
        var name = replaced.GetProperty("name");
        Assert.Equal("Another", name.GetProperty("givenName").GetString());
        Assert.Equal("Excited", name.GetProperty("middleName").GetString());
        Assert.Equal(userName, replaced.GetProperty("emails")[0].GetProperty("display").GetString());
        Assert.True(replaced.GetProperty("active").GetBoolean());
        Assert.NotEqual(current.Version(), replaced.Version());
        Assert.Equal(replaced.ToString(), (await okta.GetAsync("Users/" + created.Id())).ToString());
    }

    [Fact]
    public async Task Deactivate_reactivate_and_password_sync_are_PATCHes_and_the_user_is_never_deleted()
    {
        var okta = Okta(server);
        var userName = NewOktaUserName();
        var created = await okta.PostAsync("Users", OktaUser(userName, NewExternalId()));

        // Unassigned or deactivated in Okta: a path-less replace of active. Okta never sends DELETE for users.
        var deactivated = await okta.PatchOpAsync("Users/" + created.Id(), """{"op":"replace","value":{"active":false}}""");
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal(userName, deactivated.GetProperty("userName").GetString());

        // The deactivated user is still there, by id and by the lookup a re-assignment starts with.
        Assert.False((await okta.GetAsync("Users/" + created.Id())).GetProperty("active").GetBoolean());
        var found = ListedOnly(await okta.GetAsync(UserNameLookup(userName)));
        Assert.Equal(created.Id(), found.Id());
        Assert.False(found.GetProperty("active").GetBoolean());

        // Re-assigned: the same shape with true.
        var reactivated = await okta.PatchOpAsync("Users/" + created.Id(), """{"op":"replace","value":{"active":true}}""");
        Assert.True(reactivated.GetProperty("active").GetBoolean());

        // Password sync: accepted, stored (the version moves), never returned.
        var synced = await okta.PatchOpAsync("Users/" + created.Id(), """{"op":"replace","value":{"password":"n3w-Pa55word"}}""");
        Assert.False(synced.TryGetProperty("password", out _));
        Assert.NotEqual(reactivated.Version(), synced.Version());
        Assert.True(synced.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_wizard_built_app_deactivates_with_a_full_PUT_of_what_it_read()
    {
        var okta = Okta(server);
        var userName = NewOktaUserName();
        var created = await okta.PostAsync("Users", OktaUser(userName, NewExternalId()));

        // AIW integrations send every change, deactivation included, as a PUT of the user read before.
        var current = await okta.GetAsync("Users/" + created.Id());
        var deactivated = await okta.PutAsync("Users/" + created.Id(), WithActive(current, false));

        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Equal(userName, deactivated.GetProperty("userName").GetString());
        Assert.Equal("User", deactivated.GetProperty("name").GetProperty("familyName").GetString());
        Assert.Equal(userName, deactivated.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.False((await okta.GetAsync("Users/" + created.Id())).GetProperty("active").GetBoolean());

        var reactivated = await okta.PutAsync("Users/" + created.Id(), WithActive(await okta.GetAsync("Users/" + created.Id()), true));
        Assert.True(reactivated.GetProperty("active").GetBoolean());
    }

    /// <summary>What Okta's wizard sends back: the user as read (id, meta and all) with active changed and its groups list.</summary>
    private static string WithActive(JsonElement user, bool active)
    {
        var body = JsonNode.Parse(user.GetRawText())!.AsObject();
        body["active"] = active;
        body["groups"] = new JsonArray();
        return body.ToJsonString();
    }

    [Fact]
    public async Task Group_push_creates_renames_changes_members_and_unlinking_deletes_the_group()
    {
        var okta = Okta(server);
        var leaving = await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        var staying = await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        var joining = await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        var displayName = "Test SCIMv2 " + Guid.NewGuid().ToString("N")[..8];

        // Push Groups: the group arrives empty; Okta keeps its id.
        var group = await okta.PostAsync("Groups", $$"""{"schemas":["{{GroupUrn}}"],"displayName":"{{displayName}}","members":[]}""");
        Assert.Equal(displayName, group.GetProperty("displayName").GetString());
        Assert.Equal("Group", group.GetProperty("meta").GetProperty("resourceType").GetString());
        Assert.Empty(group.MemberIds());
        var path = "Groups/" + group.Id();

        // Every membership update starts with a "rename" to the same name, the read-only id inside the value.
        var renamed = await okta.PatchOpAsync(path, $$"""{"op":"replace","value":{"id":"{{group.Id()}}","displayName":"{{displayName}}"} }""");
        Assert.Equal(displayName, renamed.GetProperty("displayName").GetString());
        Assert.Equal(group.Id(), renamed.Id());
        await okta.PatchOpAsync(path, $$"""
            {"op":"add","path":"members","value":[{"value":"{{leaving.Id()}}","display":"{{leaving.GetProperty("userName").GetString()}}"},
                                                 {"value":"{{staying.Id()}}","display":"{{staying.GetProperty("userName").GetString()}}"}]}
            """);
        Assert.Equal(Sorted(leaving.Id(), staying.Id()), (await okta.GetAsync(path)).MemberIds());

        // The group is renamed in Okta.
        var newName = displayName + " renamed";
        renamed = await okta.PatchOpAsync(path, $$"""{"op":"replace","value":{"id":"{{group.Id()}}","displayName":"{{newName}}"} }""");
        Assert.Equal(newName, renamed.GetProperty("displayName").GetString());

        // One user leaves and one joins: a filtered remove and an add in one request.
        var changed = await okta.PatchOpAsync(path, $$"""
            {"op":"remove","path":"members[value eq \"{{leaving.Id()}}\"]"},
            {"op":"add","path":"members","value":[{"value":"{{joining.Id()}}","display":"{{joining.GetProperty("userName").GetString()}}"}]}
            """);
        Assert.Equal(Sorted(staying.Id(), joining.Id()), changed.MemberIds());
        Assert.Equal(newName, changed.GetProperty("displayName").GetString());
        Assert.Empty((await okta.GetAsync("Users/" + leaving.Id())).Groups());
        var joined = Assert.Single((await okta.GetAsync("Users/" + joining.Id())).Groups());
        Assert.Equal((group.Id(), "direct"), joined);

        // "Push now" after everyone left in Okta.
        await okta.PatchOpAsync(path, """{"op":"replace","path":"members","value":[]}""");
        Assert.Empty((await okta.GetAsync(path)).MemberIds());

        // Okta's group import pages through /Groups and must meet the pushed group there.
        var imported = Listed(await okta.GetAsync("Groups?startIndex=1&count=100"));
        Assert.Contains(imported, g => g.Id() == group.Id() && g.GetProperty("displayName").GetString() == newName);

        // "Unlink pushed group" with "Delete the group in the target app": the only DELETE Okta sends.
        await okta.DeleteAsync(path);
        await okta.GetAsync(path, 404);
        Assert.Empty((await okta.GetAsync("Users/" + staying.Id())).Groups());
        Assert.True((await okta.GetAsync("Users/" + staying.Id())).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_wizard_built_app_pushes_group_names_and_members_with_PUT()
    {
        var okta = Okta(server);
        var first = await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        var second = await okta.PostAsync("Users", OktaUser(NewOktaUserName(), NewExternalId(), password: null));
        var displayName = "AIW group " + Guid.NewGuid().ToString("N")[..8];
        var group = await okta.PostAsync("Groups", $$"""{"schemas":["{{GroupUrn}}"],"displayName":"{{displayName}}","members":[]}""");
        var path = "Groups/" + group.Id();

        // AIW integrations update a pushed group's name and members by PUT of the whole group, id included.
        string Put(string name, params JsonElement[] members) => $$"""
            {"schemas":["{{GroupUrn}}"],"id":"{{group.Id()}}","displayName":"{{name}}",
             "members":[{{string.Join(",", members.Select(m => $$"""{"value":"{{m.Id()}}","display":"{{m.GetProperty("userName").GetString()}}"}"""))}}]}
            """;

        var joined = await okta.PutAsync(path, Put(displayName, first, second));
        Assert.Equal(Sorted(first.Id(), second.Id()), joined.MemberIds());
        Assert.Equal(group.Id(), Assert.Single((await okta.GetAsync("Users/" + second.Id())).Groups()).Value);

        var renamed = await okta.PutAsync(path, Put(displayName + " renamed", second));
        Assert.Equal(displayName + " renamed", renamed.GetProperty("displayName").GetString());
        Assert.Equal([second.Id()], renamed.MemberIds());
        Assert.Empty((await okta.GetAsync("Users/" + first.Id())).Groups());

        var emptied = await okta.PutAsync(path, Put(displayName + " renamed"));
        Assert.Empty(emptied.MemberIds());
        Assert.Equal(emptied.ToString(), (await okta.GetAsync(path)).ToString());
    }

    [Fact]
    public async Task Okta_s_spec_test_suite_runs_through_in_order()
    {
        // Okta's Runscope spec test (as encoded in python-scim/scim2-server tests/integration/test_okta.py),
        // on a tenant of its own: it reads "the first user" and expects it to be complete.
        var tenant = "runscope-" + Guid.NewGuid().ToString("N")[..8];
        var token = (await Cli.RunAsync("tenant", "create", tenant, "--data", server.DataDirectory)).LastLine;
        var okta = Okta(server, token, tenant);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var randomUserName = $"Runscope300Hfluaklab{suffix}@example.com";
        await okta.PostAsync("Users", """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen@example.com",
             "name":{"givenName":"Barbara","familyName":"Jensen"},
             "emails":[{"primary":true,"value":"bjensen@example.com","type":"work"}],
             "displayName":"Barbara Jensen","active":true}
            """);

        // Test Users endpoint: the first user, complete.
        var first = Assert.Single(Listed(await okta.GetAsync("Users?count=1&startIndex=1")));
        Assert.Equal("Jensen", first.GetProperty("name").GetProperty("familyName").GetString());
        Assert.Equal("Barbara", first.GetProperty("name").GetProperty("givenName").GetString());
        Assert.Equal(JsonValueKind.True, first.GetProperty("active").ValueKind);
        Assert.Equal("bjensen@example.com", first.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.Equal(first.ToString(), (await okta.GetAsync("Users/" + first.Id())).ToString());

        // Invalid user by userName and by id; the random user does not exist yet.
        AssertListsNothing(await okta.GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"abcdefgh@example.com\"")));
        var missing = await okta.GetAsync("Users/010101001010101011001010101011", 404);
        Assert.False(string.IsNullOrEmpty(missing.GetProperty("detail").GetString()));
        AssertListsNothing(await okta.GetAsync("Users?filter=" + Uri.EscapeDataString($"userName eq \"{randomUserName}\"")));

        // Create with realistic values, read it back, fail to create it again.
        var realistic = $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{randomUserName}}",
             "name":{"givenName":"Runscope300","familyName":"Hfluaklab{{suffix}}"},
             "emails":[{"primary":true,"value":"{{randomUserName}}","type":"work"}],
             "displayName":"Runscope300 Hfluaklab{{suffix}}","active":true}
            """;
        var created = await okta.PostAsync("Users", realistic);
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.Contains(UserUrn, created.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(randomUserName, (await okta.GetAsync("Users/" + created.Id())).GetProperty("userName").GetString());
        await okta.PostAsync("Users", realistic, 409);

        // Username case sensitivity check: the upper-cased name finds the user.
        var upper = Uri.EscapeDataString($"userName eq \"{randomUserName.ToUpperInvariant()}\"");
        Assert.Equal(created.Id(), ListedOnly(await okta.GetAsync("Users?filter=" + upper)).Id());

        // Groups endpoint (optional in the suite): an integer total and a Resources list.
        var groups = await okta.GetAsync("Groups");
        Assert.Equal(0, groups.GetProperty("totalResults").GetInt32());
        Assert.Equal(JsonValueKind.Array, groups.GetProperty("Resources").ValueKind);
    }

    [Fact]
    public async Task Import_pages_through_more_than_100_users_in_one_stable_order()
    {
        const int total = 150;
        var tenant = "okta-" + Guid.NewGuid().ToString("N")[..8];
        var token = (await Cli.RunAsync("tenant", "create", tenant, "--data", server.DataDirectory)).LastLine;
        var okta = Okta(server, token, tenant);
        var operations = string.Join(",", Enumerable.Range(0, total).Select(i => $$"""
            {"method":"POST","path":"/Users","bulkId":"u{{i}}","data":{"schemas":["{{UserUrn}}"],"userName":"import.{{i.ToString("D3", CultureInfo.InvariantCulture)}}@okta.local"} }
            """));
        var bulk = await okta.PostAsync("Bulk", $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{{operations}}]}""", 200);
        var results = bulk.GetProperty("Operations").EnumerateArray().ToArray();
        Assert.Equal(total, results.Length);
        Assert.All(results, r => Assert.Equal("201", r.GetProperty("status").GetString()));
        var createdInOrder = results.Select(r => r.GetProperty("location").GetString()!.Split('/')[^1]).ToList();

        var walk = await ImportAsync(okta, 100, total);

        // Every user once, none missing, in creation order.
        Assert.Equal(total, walk.Distinct().Count());
        Assert.Equal(createdInOrder, walk);

        // The same order on the next import, and whatever page size is asked for.
        Assert.Equal(walk, await ImportAsync(okta, 100, total));
        Assert.Equal(walk, await ImportAsync(okta, 37, total));
    }

    /// <summary>Okta's import loop: <c>startIndex += count</c> until <c>totalResults</c> is reached.</summary>
    private static async Task<List<string>> ImportAsync(ProvisioningClient okta, int count, int total)
    {
        var ids = new List<string>();
        for (var startIndex = 1; startIndex <= total; startIndex += count)
        {
            var page = await okta.GetAsync($"Users?startIndex={startIndex}&count={count}");
            var users = Listed(page);
            Assert.Equal(total, page.GetProperty("totalResults").GetInt32());
            Assert.Equal(startIndex, page.GetProperty("startIndex").GetInt32());
            Assert.Equal(Math.Min(count, total - startIndex + 1), users.Length);
            ids.AddRange(users.Select(u => u.Id()));
        }

        return ids;
    }
}
