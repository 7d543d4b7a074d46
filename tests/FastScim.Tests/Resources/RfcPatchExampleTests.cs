using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>
/// Every example of RFC 7644 §3.5.2.1 (add), §3.5.2.2 (remove) and §3.5.2.3 (replace), sent over
/// HTTP against users and groups the test creates (the RFC's ids replaced by real ones).
/// </summary>
public class RfcPatchExampleTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string BabsEmails = """
        "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}]
        """;

    [Fact]
    public async Task Add_a_member_to_a_group_3_5_2_1()
    {
        var client = server.Client(server.DefaultToken);
        var existing = await client.CreateUserAsync();
        var babs = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Tour Guides", existing.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""
            {"op":"add","path":"members","value":[{"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{babs.Id()}}","value":"{{babs.Id()}}"}]}
            """);

        Assert.Equal(Sorted(existing.Id(), babs.Id()), patched.MemberIds());
        var added = patched.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("value").GetString() == babs.Id());
        Assert.EndsWith("/Users/" + babs.Id(), added.GetProperty("$ref").GetString());
        Assert.Equal(Sorted(existing.Id(), babs.Id()), (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Add_without_path_adds_an_email_and_the_nickname_3_5_2_1()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("""
            "emails":[{"value":"bjensen@example.com","type":"work"}]
            """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """
            {"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}
            """);

        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());
        Assert.Equal(["bjensen@example.com", "babs@jensen.org"], patched.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("value").GetString()));
        Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Fact]
    public async Task Remove_all_members_of_a_group_3_5_2_2()
    {
        var client = server.Client(server.DefaultToken);
        var a = await client.CreateUserAsync();
        var b = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Tour Guides", a.Id(), b.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), """{"op":"remove","path":"members"}""");

        Assert.Empty(patched.MemberIds());
        var fetched = await client.GetJsonAsync("Groups/" + group.Id());
        Assert.Empty(fetched.MemberIds());
        Assert.Equal("Tour Guides", fetched.GetProperty("displayName").GetString());
        Assert.Empty((await client.GetJsonAsync("Users/" + a.Id())).Groups());
    }

    [Fact]
    public async Task Remove_a_single_member_by_value_filter_3_5_2_2()
    {
        var client = server.Client(server.DefaultToken);
        var a = await client.CreateUserAsync();
        var b = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Tour Guides", a.Id(), b.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""{"op":"remove","path":"members[value eq \"{{a.Id()}}\"]"}""");

        Assert.Equal([b.Id()], patched.MemberIds());
        Assert.Equal([b.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Remove_the_emails_a_complex_filter_matches_3_5_2_2()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("""
            "emails":[{"value":"bjensen@example.com","type":"work"},{"value":"babs@jensen.org","type":"work"},{"value":"home@example.com","type":"home"}]
            """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}""");

        Assert.Equal(["babs@jensen.org", "home@example.com"], patched.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task Remove_all_members_then_add_two_in_one_request_3_5_2_2()
    {
        var client = server.Client(server.DefaultToken);
        var old = await client.CreateUserAsync();
        var babs = await client.CreateUserAsync();
        var james = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Tour Guides", old.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""
            {"op":"remove","path":"members"},
            {"op":"add","path":"members","value":[
              {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{babs.Id()}}","value":"{{babs.Id()}}"},
              {"display":"James Smith","$ref":"https://example.com/v2/Users/{{james.Id()}}","value":"{{james.Id()}}"}]}
            """);

        Assert.Equal(Sorted(babs.Id(), james.Id()), patched.MemberIds());
        Assert.Equal(Sorted(babs.Id(), james.Id()), (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Remove_a_single_valued_attribute_3_5_2_2()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "title":"Tour Guide","userType":"Employee" """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"remove","path":"title"}""");

        Assert.False(patched.TryGetProperty("title", out _));
        Assert.Equal("Employee", patched.GetProperty("userType").GetString());
    }

    [Fact]
    public async Task Replace_all_members_of_a_group_3_5_2_3()
    {
        var client = server.Client(server.DefaultToken);
        var old = await client.CreateUserAsync();
        var babs = await client.CreateUserAsync();
        var james = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync("Tour Guides", old.Id());

        var patched = await client.PatchOkAsync("Groups/" + group.Id(), $$"""
            {"op":"replace","path":"members","value":[
              {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/{{babs.Id()}}","value":"{{babs.Id()}}"},
              {"display":"James Smith","$ref":"https://example.com/v2/Users/{{james.Id()}}","value":"{{james.Id()}}"}]}
            """);

        Assert.Equal(Sorted(babs.Id(), james.Id()), patched.MemberIds());
        Assert.Empty((await client.GetJsonAsync("Users/" + old.Id())).Groups());
    }

    [Fact]
    public async Task Replace_the_work_address_by_value_filter_3_5_2_3()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("""
            "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood"},{"type":"home","streetAddress":"456 Hollywood Blvd"}]
            """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """
            {"op":"replace","path":"addresses[type eq \"work\"]","value":{
              "type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA",
              "postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true}}
            """);

        var addresses = patched.GetProperty("addresses").EnumerateArray().ToArray();
        Assert.Equal(2, addresses.Length);
        var work = addresses.Single(a => a.GetProperty("type").GetString() == "work");
        Assert.Equal("911 Universal City Plaza", work.GetProperty("streetAddress").GetString());
        Assert.Equal("91608", work.GetProperty("postalCode").GetString());
        Assert.True(work.GetProperty("primary").GetBoolean());
        Assert.Equal("456 Hollywood Blvd", addresses.Single(a => a.GetProperty("type").GetString() == "home").GetProperty("streetAddress").GetString());
    }

    [Fact]
    public async Task Replace_a_sub_attribute_of_the_filtered_address_3_5_2_3()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("""
            "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood"},{"type":"home","streetAddress":"456 Hollywood Blvd"}]
            """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), """{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}""");

        var addresses = patched.GetProperty("addresses").EnumerateArray().ToArray();
        var work = addresses.Single(a => a.GetProperty("type").GetString() == "work");
        Assert.Equal("1010 Broadway Ave", work.GetProperty("streetAddress").GetString());
        Assert.Equal("Hollywood", work.GetProperty("locality").GetString());
        Assert.Equal("456 Hollywood Blvd", addresses.Single(a => a.GetProperty("type").GetString() == "home").GetProperty("streetAddress").GetString());
    }

    [Fact]
    public async Task Replace_without_path_replaces_emails_and_nickname_3_5_2_3()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "nickName":"Bee","emails":[{"value":"old@example.com","type":"other"}] """);

        var patched = await client.PatchOkAsync("Users/" + user.Id(), $$"""
            {"op":"replace","value":{ {{BabsEmails}},"nickname":"Babs"} }
            """);

        Assert.Equal("Babs", patched.GetProperty("nickName").GetString());
        Assert.Equal(["bjensen@example.com", "babs@jensen.org"], patched.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("value").GetString()));
        Assert.Equal(patched.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }
}
