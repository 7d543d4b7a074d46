using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>
/// JSON may escape a lone surrogate (<c>"\ud800"</c>), which is no Unicode character (RFC 8259
/// §8.2): such a string has no text. Wherever a request carries one where its text counts, the
/// answer is a 400 SCIM error saying so, never a 500, and nothing is stored or changed.
/// </summary>
public class UnpairedSurrogateTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string Lone = "\\ud800";

    [Theory]
    [InlineData("""{"op":"replace","path":"displayName","value":"\ud800"}""", "invalidValue")]
    [InlineData("""{"op":"replace","path":"name.givenName","value":"\ud800"}""", "invalidValue")]
    [InlineData("""{"op":"replace","path":"emails[type eq \"work\"].value","value":"\ud800"}""", "invalidValue")]
    [InlineData("""{"op":"add","value":{"title":"\ud800"}}""", "invalidValue")]
    [InlineData("""{"op":"add","value":{"\ud800":"x"}}""", "invalidSyntax")]
    [InlineData("""{"op":"add","path":"emails","value":[{"value":"\ud800","type":"home"}]}""", "invalidValue")]
    [InlineData("""{"op":"replace","path":"\ud800","value":"x"}""", "invalidSyntax")]
    [InlineData("""{"op":"\ud800","path":"title","value":"x"}""", "invalidSyntax")]
    [InlineData("""{"op":"replace","path":"emails[type eq \"\\ud800\"].value","value":"x@example.org"}""", "invalidFilter")]
    public async Task A_patch_is_refused_and_the_user_is_unchanged(string operation, string scimType)
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("\"displayName\":\"Before\",\"emails\":[{\"value\":\"w@example.org\",\"type\":\"work\"}]");

        using var response = await client.PatchOperationsAsync("Users/" + user.Id(), operation);

        var error = await response.AssertScimErrorAsync(400, scimType);
        Assert.Contains("no Unicode character", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(user.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Theory]
    [InlineData("displayName", "\"\\ud800\"", "invalidValue")]
    [InlineData("name", "{\"givenName\":\"\\ud800\"}", "invalidValue")]
    [InlineData("emails", "[{\"value\":\"\\ud800\"}]", "invalidValue")]
    [InlineData("manager", "\"\\ud800\"", "invalidValue")]
    [InlineData("\\ud800", "\"x\"", "invalidSyntax")]
    public async Task A_post_or_put_is_refused_and_nothing_is_stored_or_changed(string attribute, string value, string scimType)
    {
        var client = server.Client(server.DefaultToken);
        var userName = NewUserName("surrogate");
        var member = attribute == "manager" ? "\"" + EnterpriseUrn + "\":{\"manager\":" + value + "}" : "\"" + attribute + "\":" + value;

        using var post = await client.PostAsync("Users", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}",{{member}}}"""));
        var error = await post.AssertScimErrorAsync(400, scimType);
        Assert.Contains("no Unicode character", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var found = await client.GetJsonAsync("Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\""));
        Assert.Equal(0, found.GetProperty("totalResults").GetInt32());

        var user = await client.CreateUserAsync();
        using var put = await client.PutAsync("Users/" + user.Id(), Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{user.GetProperty("userName").GetString()}}",{{member}}}"""));
        await put.AssertScimErrorAsync(400, scimType);
        Assert.Equal(user.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    [Fact]
    public async Task A_bulk_operation_whose_data_has_no_text_fails_alone()
    {
        var client = server.Client(server.DefaultToken);
        string good = NewUserName("bulk"), bad = NewUserName("bulk");

        // The second operation refers to the first by bulkId, so its data is rewritten before it is read.
        var byBulkId = await PostBulkAsync(client, $$"""
            {"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{good}}"} },
            {"method":"POST","path":"/Users","bulkId":"b","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{bad}}","title":"{{Lone}}","{{EnterpriseUrn}}":{"manager":{"value":"bulkId:a"} } } }
            """);

        Assert.Equal("201", byBulkId["a"].GetProperty("status").GetString());
        Assert.Equal("400", byBulkId["b"].GetProperty("status").GetString());
        Assert.Contains("no Unicode character", byBulkId["b"].GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(client, good));
        Assert.Equal(0, await CountAsync(client, bad));
    }

    [Fact]
    public async Task A_filter_literal_escaping_a_lone_surrogate_is_an_invalid_filter()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Users?filter=" + Uri.EscapeDataString("userName eq \"\\ud800\""));

        var error = await response.AssertScimErrorAsync(400, "invalidFilter");
        Assert.Contains("no Unicode character", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bulk_operation_on_a_reference_cycle_whose_data_has_no_text_fails_alone()
    {
        var client = server.Client(server.DefaultToken);
        string first = NewUserName("cycle"), second = NewUserName("cycle");

        // Each names the other as manager (RFC 7644 §3.7.1): the first runs first, without its
        // manager, so its data is split before it is read.
        var byBulkId = await PostBulkAsync(client, $$"""
            {"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{first}}","title":"{{Lone}}","{{EnterpriseUrn}}":{"manager":{"value":"bulkId:b"} } } },
            {"method":"POST","path":"/Users","bulkId":"b","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{second}}","{{EnterpriseUrn}}":{"manager":{"value":"bulkId:a"} } } }
            """);
        Assert.Equal("400", byBulkId["a"].GetProperty("status").GetString());
        Assert.Contains("no Unicode character", byBulkId["a"].GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("409", byBulkId["b"].GetProperty("status").GetString()); // its manager's POST failed
        Assert.Equal(0, await CountAsync(client, first));
        Assert.Equal(0, await CountAsync(client, second));
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"\ud800"}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["\ud800"]}""", "invalidValue")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"\ud800":1}""", "invalidSyntax")]
    public async Task A_search_is_refused(string body, string scimType)
    {
        using var response = await server.Client(server.DefaultToken).PostAsync("Users/.search", Json(body));

        var error = await response.AssertScimErrorAsync(400, scimType);
        Assert.Contains("no Unicode character", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Posts a BulkRequest of <paramref name="operations"/>, which must answer 200; each operation's answer by its bulkId.</summary>
    private static async Task<Dictionary<string, JsonElement>> PostBulkAsync(HttpClient client, string operations)
    {
        using var response = await client.PostAsync("Bulk", Json("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[""" + operations + "]}"));
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.JsonAsync()).GetProperty("Operations").EnumerateArray().ToDictionary(o => o.GetProperty("bulkId").GetString()!);
    }

    private static async Task<int> CountAsync(HttpClient client, string userName) =>
        (await client.GetJsonAsync("Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\""))).GetProperty("totalResults").GetInt32();
}
