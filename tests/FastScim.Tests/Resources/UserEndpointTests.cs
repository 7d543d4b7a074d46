using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>POST and GET of Users over HTTP (RFC 7644 §3.3, §3.4.1).</summary>
public class UserEndpointTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Create_answers_201_with_location_etag_and_server_assigned_id_and_meta()
    {
        var client = server.Client(server.DefaultToken);
        var userName = Unique("bjensen");

        using var response = await client.PostAsync("Users", Json($$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
             "userName":"{{userName}}","externalId":"bjensen-ext","id":"client-chosen",
             "name":{"givenName":"Barbara","familyName":"Jensen"},
             "emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
             "meta":{"resourceType":"Nonsense","version":"W/\"99\""} }
            """));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetString()!;
        Assert.NotEqual("client-chosen", id);
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(userName, body.GetProperty("userName").GetString());
        Assert.Equal("bjensen-ext", body.GetProperty("externalId").GetString());
        Assert.Equal("Barbara", body.GetProperty("name").GetProperty("givenName").GetString());
        Assert.True(body.GetProperty("emails")[0].GetProperty("primary").GetBoolean());
        var meta = body.GetProperty("meta");
        Assert.Equal("User", meta.GetProperty("resourceType").GetString());
        Assert.Equal(server.BaseUrl() + "/Users/" + id, meta.GetProperty("location").GetString());
        Assert.Equal(meta.GetProperty("created").GetString(), meta.GetProperty("lastModified").GetString());
        Assert.True(DateTimeOffset.UtcNow - meta.GetProperty("created").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        Assert.Equal(server.BaseUrl() + "/Users/" + id, response.Headers.Location?.ToString());
        Assert.Equal(meta.GetProperty("version").GetString(), response.Headers.ETag?.ToString());
        Assert.True(response.Headers.ETag?.IsWeak);
    }

    [Fact]
    public async Task Get_returns_what_create_returned()
    {
        var client = server.Client(server.DefaultToken);
        using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{Unique("get")}}","displayName":"Get Me","active":true}"""));
        var createdBody = await created.JsonAsync();

        using var response = await client.GetAsync("Users/" + createdBody.GetProperty("id").GetString());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(createdBody.ToString(), (await response.JsonAsync()).ToString());
        Assert.Equal(created.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task A_get_whose_If_None_Match_names_the_current_version_is_304()
    {
        var client = server.Client(server.DefaultToken);
        using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{Unique("etag")}}"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Get, created.Headers.Location);
        request.Headers.IfNoneMatch.Add(created.Headers.ETag!);

        using var response = await client.SendAsync(request);

        Assert.Equal(304, (int)response.StatusCode);
    }

    [Fact]
    public async Task The_password_is_accepted_but_never_returned()
    {
        var client = server.Client(server.DefaultToken);

        using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{Unique("pw")}}","password":"t1meMa$heen"}"""));
        using var fetched = await client.GetAsync(created.Headers.Location);

        Assert.Equal(201, (int)created.StatusCode);
        Assert.DoesNotContain("password", await created.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("t1meMa$heen", await fetched.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("password", await fetched.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_second_user_with_the_same_userName_in_any_case_is_409_uniqueness()
    {
        var client = server.Client(server.DefaultToken);
        var userName = Unique("Dup.User");
        using var first = await client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"}"""));
        Assert.Equal(201, (int)first.StatusCode);

        using var same = await client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"}"""));
        using var otherCase = await client.PostAsync("Users", Json($$"""{"userName":"{{userName.ToUpperInvariant()}}"}"""));

        await same.AssertScimErrorAsync(409, "uniqueness");
        await otherCase.AssertScimErrorAsync(409, "uniqueness");
    }

    [Fact]
    public async Task Attribute_names_match_case_insensitively_and_boolean_strings_are_accepted()
    {
        var client = server.Client(server.DefaultToken);
        var userName = Unique("casey");

        using var response = await client.PostAsync("Users", Json($$"""{"UserName":"{{userName}}","Active":"True","DISPLAYNAME":"Casey"}"""));

        Assert.Equal(201, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(userName, body.GetProperty("userName").GetString());
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal("Casey", body.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_scim_error()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Users/" + Guid.NewGuid());

        await response.AssertScimErrorAsync(404);
    }

    [Theory]
    [InlineData("{\"userName\":", "invalidSyntax")]
    [InlineData("not json", "invalidSyntax")]
    [InlineData("", "invalidSyntax")]
    [InlineData("[1,2]", "invalidSyntax")]
    [InlineData("{\"userName\":\"x\",\"active\":\"maybe\"}", "invalidValue")]
    [InlineData("{\"userName\":42}", "invalidValue")]
    [InlineData("{\"userName\":\"x\",\"emails\":{\"value\":\"a@b\"}}", "invalidValue")]
    [InlineData("{\"displayName\":\"no userName\"}", "invalidValue")]
    public async Task Bad_bodies_are_400_with_the_right_scimType_and_store_nothing(string json, string scimType)
    {
        var client = server.Client(server.DefaultToken);
        var before = (await (await client.GetAsync("Users")).JsonAsync()).GetProperty("totalResults").GetInt32();

        using var response = await client.PostAsync("Users", Json(json));

        await response.AssertScimErrorAsync(400, scimType);
        var after = (await (await client.GetAsync("Users")).JsonAsync()).GetProperty("totalResults").GetInt32();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Plain_application_json_is_accepted_and_other_media_types_are_415()
    {
        var client = server.Client(server.DefaultToken);

        using var json = await client.PostAsync("Users", new StringContent($$"""{"userName":"{{Unique("json")}}"}""", System.Text.Encoding.UTF8, "application/json"));
        using var text = await client.PostAsync("Users", new StringContent($$"""{"userName":"{{Unique("text")}}"}""", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(201, (int)json.StatusCode);
        await text.AssertScimErrorAsync(415);
    }

    [Fact]
    public async Task List_returns_users_in_creation_order_with_integer_paging_fields()
    {
        await using var own = new RunningServer();
        await own.InitializeAsync();
        var client = own.Client(own.DefaultToken);
        var names = Enumerable.Range(0, 5).Select(i => $"order-{i}").ToArray();
        foreach (var name in names)
        {
            using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{name}}"}"""));
            Assert.Equal(201, (int)created.StatusCode);
        }

        var all = await (await client.GetAsync("Users")).JsonAsync();
        var page = await (await client.GetAsync("Users?startIndex=2&count=2")).JsonAsync();
        var none = await (await client.GetAsync("Users?count=0")).JsonAsync();

        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", all.GetProperty("schemas")[0].GetString());
        Assert.Equal(names, all.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
        Assert.Equal(5, all.GetProperty("totalResults").GetInt32());
        Assert.Equal(JsonValueKind.Number, page.GetProperty("startIndex").ValueKind);
        Assert.Equal(2, page.GetProperty("startIndex").GetInt32());
        Assert.Equal(2, page.GetProperty("itemsPerPage").GetInt32());
        Assert.Equal(5, page.GetProperty("totalResults").GetInt32());
        Assert.Equal(["order-1", "order-2"], page.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
        Assert.Equal(5, none.GetProperty("totalResults").GetInt32());
        Assert.Equal(0, none.GetProperty("Resources").GetArrayLength());
    }

    [Fact]
    public async Task A_created_user_survives_a_restart()
    {
        await using var own = new RunningServer();
        await own.InitializeAsync();
        var client = own.Client(own.DefaultToken);
        using var created = await client.PostAsync("Users", Json("""{"userName":"durable"}"""));
        var id = (await created.JsonAsync()).GetProperty("id").GetString();

        await own.RestartAsync();
        using var fetched = await own.Client(own.DefaultToken).GetAsync("Users/" + id);

        Assert.Equal(200, (int)fetched.StatusCode);
        Assert.Equal("durable", (await fetched.JsonAsync()).GetProperty("userName").GetString());
        Assert.Null(own.Server.FirstTenantToken);
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("Users", "userName")]
    [InlineData("Groups", "displayName")]
    public async Task A_body_that_arrives_after_its_headers_is_read_whole_to_create_and_to_replace(string endpoint, string nameAttribute)
    {
        // Most bodies come with their headers and are handed on at once; this one makes the
        // handler wait for the rest of it (ScimHandlers.WithBodyAsync).
        var client = server.Client(server.DefaultToken);
        var name = Unique("trickle");

        // The tenant open and the handlers compiled first, so that the 200 ms are the body's only wait.
        using (var warm = await client.GetAsync(endpoint + "?count=1"))
        {
            Assert.Equal(200, (int)warm.StatusCode);
        }

        using var created = await client.PostAsync(endpoint, new TrickleContent($$"""{"{{nameAttribute}}":"{{name}}","externalId":"first"}"""));
        Assert.Equal(201, (int)created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();

        using var replaced = await client.PutAsync($"{endpoint}/{id}", new TrickleContent($$"""{"{{nameAttribute}}":"{{name}}","externalId":"second"}"""));
        Assert.Equal(200, (int)replaced.StatusCode);
        using var fetched = await client.GetAsync($"{endpoint}/{id}");
        var stored = await fetched.JsonAsync();
        Assert.Equal((name, "second"), (stored.GetProperty(nameAttribute).GetString(), stored.GetProperty("externalId").GetString()));
    }

    /// <summary>A JSON body sent in two parts, the second a while after the headers and the first.</summary>
    private sealed class TrickleContent : HttpContent
    {
        private readonly byte[] _body;

        public TrickleContent(string json)
        {
            _body = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(ScimMediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            int half = _body.Length / 2;
            await stream.WriteAsync(_body.AsMemory(0, half));
            await stream.FlushAsync();
            await Task.Delay(200);
            await stream.WriteAsync(_body.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
