using System.Text.Json;

namespace FastScim.Tests.Infrastructure;

/// <summary>
/// Import files as other identity providers hand them over: Users and Groups with ids of their
/// own, a group listed before its members, a nested group, and a manager later in the file.
/// </summary>
public static class ImportSamples
{
    public const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string ListResponseUrn = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private static readonly string Resources = $$$"""
          {"schemas":["{{{GroupUrn}}}"],"id":"g-eng","displayName":"Eng","meta":{"resourceType":"Group","location":"https://idp.example.com/Groups/g-eng"},
           "members":[{"value":"u-alice","type":"User","$ref":"https://idp.example.com/Users/u-alice"},{"value":"g-leads","type":"Group"}]},
          {"schemas":["{{{UserUrn}}}","{{{ScimResources.EnterpriseUrn}}}"],"id":"u-alice","userName":"alice","active":true,
           "emails":[{"value":"alice@example.com","type":"work","primary":true}],
           "{{{ScimResources.EnterpriseUrn}}}":{"employeeNumber":"701","manager":{"value":"u-bob"} }},
          {"schemas":["{{{UserUrn}}}"],"id":"u-bob","userName":"bob","name":{"givenName":"Bob","familyName":"Jones"},"meta":{"resourceType":"User"}},
          {"schemas":["{{{GroupUrn}}}"],"id":"g-leads","displayName":"Leads","members":[{"value":"u-bob"}]}
        """;

    /// <summary>The sample as a ListResponse (RFC 7644 §3.4.2) with members before and after Resources.</summary>
    public static string ListResponse => $$"""
        {"schemas":["{{ListResponseUrn}}"],"totalResults":4,
         "Resources":[{{Resources}}],
         "itemsPerPage":4,"startIndex":1}
        """;

    /// <summary>The sample as a plain JSON array of resources.</summary>
    public static string Array => "[" + Resources + "]";

    /// <summary>Writes <paramref name="content"/> to a new file in <paramref name="directory"/>.</summary>
    public static string Write(string directory, string content)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Asserts that the tenant holds what the sample describes, with new ids.</summary>
    public static async Task AssertImportedAsync(HttpClient client)
    {
        var alice = await client.FindAsync("Users", "userName eq \"alice\"");
        var bob = await client.FindAsync("Users", "userName eq \"bob\"");
        var eng = await client.FindAsync("Groups", "displayName eq \"Eng\"");
        var leads = await client.FindAsync("Groups", "displayName eq \"Leads\"");

        Assert.NotEqual("u-alice", alice.Id());
        Assert.Equal(ScimResources.Sorted(alice.Id(), leads.Id()), eng.MemberIds());
        Assert.Equal([bob.Id()], leads.MemberIds());
        var enterprise = alice.GetProperty(ScimResources.EnterpriseUrn);
        Assert.Equal(bob.Id(), enterprise.GetProperty("manager").GetProperty("value").GetString());
        Assert.Equal("701", enterprise.GetProperty("employeeNumber").GetString());
        Assert.Equal("alice@example.com", alice.GetProperty("emails")[0].GetProperty("value").GetString());
        Assert.Equal("Jones", bob.GetProperty("name").GetProperty("familyName").GetString());

        // User.groups is derived from the memberships: bob is in Leads directly and in Eng through Leads.
        Assert.Equal(ScimResources.Sorted(eng.Id(), leads.Id()), bob.Groups().Select(g => g.Value).ToArray());
        Assert.Equal(2, (await client.GetJsonAsync("Users")).GetProperty("totalResults").GetInt32());
        Assert.Equal(2, (await client.GetJsonAsync("Groups")).GetProperty("totalResults").GetInt32());
    }

    /// <summary>The one resource a filter finds.</summary>
    public static async Task<JsonElement> FindAsync(this HttpClient client, string endpoint, string filter)
    {
        var list = await client.GetJsonAsync(endpoint + "?filter=" + Uri.EscapeDataString(filter));
        Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
        return list.GetProperty("Resources")[0];
    }

    /// <summary>
    /// A tenant's users and groups by name, ids left out: each user with its manager and groups,
    /// each group with its members. Two tenants with equal descriptions hold the same directory.
    /// </summary>
    public static async Task<string[]> DescribeAsync(HttpClient client)
    {
        var users = (await client.GetJsonAsync("Users?count=200")).GetProperty("Resources").EnumerateArray().ToList();
        var groups = (await client.GetJsonAsync("Groups?count=200")).GetProperty("Resources").EnumerateArray().ToList();
        var names = users.ToDictionary(u => u.Id(), u => u.GetProperty("userName").GetString()!);
        foreach (var group in groups)
        {
            names[group.Id()] = group.GetProperty("displayName").GetString()!;
        }

        string Names(IEnumerable<string> ids) => string.Join(",", ids.Select(id => names[id]).Order(StringComparer.Ordinal));
        var lines = users.Select(u =>
        {
            var manager = u.TryGetProperty(ScimResources.EnterpriseUrn, out var e) && e.TryGetProperty("manager", out var m) ? names[m.GetProperty("value").GetString()!] : "-";
            return $"user {names[u.Id()]} manager={manager} groups={Names(u.Groups().Select(g => g.Value))}";
        });
        lines = lines.Concat(groups.Select(g => $"group {names[g.Id()]} members={Names(g.MemberIds())}"));
        return lines.Order(StringComparer.Ordinal).ToArray();
    }
}
