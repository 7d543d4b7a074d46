using System.Net.Http.Headers;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>PUT (RFC 7644 §3.5.1), DELETE (§3.6) and their preconditions (§3.14) over HTTP.</summary>
public class ReplaceAndDeleteTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Put_replaces_the_resource_and_moves_its_version()
    {
        var client = server.Client(server.DefaultToken);
        var (location, created) = await CreateUserAsync(client, """ "displayName":"Before","nickName":"Babs","title":"Guide" """);

        using var replaced = await client.PutAsync(location, Json($$"""{"userName":"{{created.GetProperty("userName").GetString()}}","displayName":"After"}"""));

        Assert.Equal(200, (int)replaced.StatusCode);
        var body = await replaced.JsonAsync();
        Assert.Equal("After", body.GetProperty("displayName").GetString());
        Assert.False(body.TryGetProperty("nickName", out _));
        Assert.Equal(created.GetProperty("id").GetString(), body.GetProperty("id").GetString());
        Assert.Equal(created.GetProperty("meta").GetProperty("created").GetString(), body.GetProperty("meta").GetProperty("created").GetString());
        Assert.NotEqual(created.GetProperty("meta").GetProperty("version").GetString(), body.GetProperty("meta").GetProperty("version").GetString());
        Assert.Equal(body.GetProperty("meta").GetProperty("version").GetString(), replaced.Headers.ETag?.ToString());
        var fetched = await (await client.GetAsync(location)).JsonAsync();
        Assert.Equal(body.ToString(), fetched.ToString());
    }

    [Fact]
    public async Task A_put_that_changes_nothing_keeps_version_and_lastModified()
    {
        var client = server.Client(server.DefaultToken);
        var (location, created) = await CreateUserAsync(client, """ "displayName":"Same" """);

        using var replaced = await client.PutAsync(location, Json($$"""{"id":"{{created.GetProperty("id").GetString()}}","userName":"{{created.GetProperty("userName").GetString()}}","displayName":"Same","meta":{"version":"W/\"7\""} }"""));

        Assert.Equal(200, (int)replaced.StatusCode);
        var meta = (await replaced.JsonAsync()).GetProperty("meta");
        Assert.Equal(created.GetProperty("meta").GetProperty("version").GetString(), meta.GetProperty("version").GetString());
        Assert.Equal(created.GetProperty("meta").GetProperty("lastModified").GetString(), meta.GetProperty("lastModified").GetString());
    }

    [Fact]
    public async Task Put_with_another_resources_id_is_refused()
    {
        var client = server.Client(server.DefaultToken);
        var (location, created) = await CreateUserAsync(client, "");

        using var response = await client.PutAsync(location, Json($$"""{"id":"{{Guid.NewGuid()}}","userName":"{{created.GetProperty("userName").GetString()}}"}"""));

        await response.AssertScimErrorAsync(400, "mutability");
    }

    [Fact]
    public async Task Put_to_a_taken_userName_is_409_and_changes_nothing()
    {
        var client = server.Client(server.DefaultToken);
        var (_, first) = await CreateUserAsync(client, "");
        var (location, second) = await CreateUserAsync(client, "");

        using var response = await client.PutAsync(location, Json($$"""{"userName":"{{first.GetProperty("userName").GetString()!.ToUpperInvariant()}}"}"""));

        await response.AssertScimErrorAsync(409, "uniqueness");
        var fetched = await (await client.GetAsync(location)).JsonAsync();
        Assert.Equal(second.ToString(), fetched.ToString());
    }

    [Fact]
    public async Task Put_without_a_password_keeps_the_stored_one()
    {
        var client = server.Client(server.DefaultToken);
        var userName = "pw-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{userName}}","password":"s3cret!"}"""));

        using var replaced = await client.PutAsync(created.Headers.Location, Json($$"""{"userName":"{{userName}}","active":false}"""));

        Assert.Equal(200, (int)replaced.StatusCode);
        Assert.DoesNotContain("password", await replaced.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.False((await replaced.JsonAsync()).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task If_Match_with_a_stale_version_is_412_and_the_current_one_succeeds()
    {
        var client = server.Client(server.DefaultToken);
        var (location, created) = await CreateUserAsync(client, "");
        var userName = created.GetProperty("userName").GetString();
        var firstVersion = created.GetProperty("meta").GetProperty("version").GetString()!;
        using (var bump = await client.PutAsync(location, Json($$"""{"userName":"{{userName}}","displayName":"v2"}""")))
        {
            Assert.Equal(200, (int)bump.StatusCode);
        }

        using var stale = await SendWithIfMatchAsync(client, HttpMethod.Put, location, firstVersion, $$"""{"userName":"{{userName}}","displayName":"lost update"}""");
        using var staleDelete = await SendWithIfMatchAsync(client, HttpMethod.Delete, location, firstVersion, null);
        var current = (await (await client.GetAsync(location)).JsonAsync()).GetProperty("meta").GetProperty("version").GetString()!;
        using var fresh = await SendWithIfMatchAsync(client, HttpMethod.Put, location, current, $$"""{"userName":"{{userName}}","displayName":"v3"}""");
        using var any = await SendWithIfMatchAsync(client, HttpMethod.Put, location, "*", $$"""{"userName":"{{userName}}","displayName":"v4"}""");

        await stale.AssertScimErrorAsync(412);
        await staleDelete.AssertScimErrorAsync(412);
        Assert.Equal(200, (int)fresh.StatusCode);
        Assert.Equal(200, (int)any.StatusCode);
        Assert.Equal("v4", (await (await client.GetAsync(location)).JsonAsync()).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Delete_answers_204_then_the_resource_is_404()
    {
        var client = server.Client(server.DefaultToken);
        var (location, _) = await CreateUserAsync(client, "");

        using var deleted = await client.DeleteAsync(location);
        using var fetched = await client.GetAsync(location);
        using var again = await client.DeleteAsync(location);

        Assert.Equal(204, (int)deleted.StatusCode);
        await fetched.AssertScimErrorAsync(404);
        await again.AssertScimErrorAsync(404);
    }

    [Fact]
    public async Task Put_and_delete_of_an_unknown_id_are_404()
    {
        var client = server.Client(server.DefaultToken);

        using var put = await client.PutAsync("Users/" + Guid.NewGuid(), Json("""{"userName":"nobody"}"""));
        using var delete = await client.DeleteAsync("Groups/" + Guid.NewGuid());

        await put.AssertScimErrorAsync(404);
        await delete.AssertScimErrorAsync(404);
    }

    [Fact]
    public async Task Parallel_puts_without_If_Match_are_serialised_and_each_moves_the_version()
    {
        var client = server.Client(server.DefaultToken);
        var (location, created) = await CreateUserAsync(client, "");
        var userName = created.GetProperty("userName").GetString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PutAsync(location, Json($$"""{"userName":"{{userName}}","displayName":"writer {{i}}"}"""))));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        var versions = responses.Select(r => r.Headers.ETag!.Tag).ToHashSet();
        Assert.Equal(20, versions.Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<(Uri Location, System.Text.Json.JsonElement Body)> CreateUserAsync(HttpClient client, string extra)
    {
        var userName = "put-" + Guid.NewGuid().ToString("N")[..8];
        var comma = string.IsNullOrWhiteSpace(extra) ? "" : "," + extra;
        using var created = await client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"{{comma}}}"""));
        Assert.Equal(201, (int)created.StatusCode);
        return (created.Headers.Location!, await created.JsonAsync());
    }

    private static Task<HttpResponseMessage> SendWithIfMatchAsync(HttpClient client, HttpMethod method, Uri location, string version, string? json)
    {
        var request = new HttpRequestMessage(method, location);
        request.Headers.TryAddWithoutValidation("If-Match", version);
        if (json is not null)
        {
            request.Content = Json(json);
        }

        return client.SendAsync(request);
    }
}
