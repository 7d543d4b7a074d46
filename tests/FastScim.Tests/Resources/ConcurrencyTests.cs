using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>Concurrent writers (RFC 7644 §3.14): no lost update, uniqueness under a race.</summary>
public class ConcurrencyTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Fifty_parallel_patches_each_adding_a_member_all_land()
    {
        var client = server.Client(server.DefaultToken);
        var users = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            users.Add((await client.CreateUserAsync()).Id());
        }

        var group = await client.CreateGroupAsync("Crowd");

        var responses = await Task.WhenAll(users.Select(id =>
            client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{id}}"}]}""")));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(Sorted([.. users]), (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Two_parallel_creates_with_one_userName_give_one_201_and_one_409()
    {
        var client = server.Client(server.DefaultToken);
        var userName = NewUserName("race");

        var responses = await Task.WhenAll(
            client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"}""")),
            client.PostAsync("Users", Json($$"""{"userName":"{{userName.ToUpperInvariant()}}"}""")));

        Assert.Equal([201, 409], responses.Select(r => (int)r.StatusCode).Order());
        await responses.Single(r => (int)r.StatusCode == 409).AssertScimErrorAsync(409, "uniqueness");
        Assert.Single(await AllUserNamesAsync(client), u => string.Equals(u, userName, StringComparison.OrdinalIgnoreCase));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Twenty_parallel_patches_with_the_current_If_Match_let_exactly_one_win()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync(""" "displayName":"start" """);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PatchOperationsAsync("Users/" + user.Id(), $$"""{"op":"replace","path":"displayName","value":"writer {{i}}"}""", ifMatch: user.Version())));

        var winners = responses.Where(r => (int)r.StatusCode == 200).ToArray();
        var winner = Assert.Single(winners);
        foreach (var loser in responses.Where(r => r != winner))
        {
            await loser.AssertScimErrorAsync(412);
        }

        var stored = await client.GetJsonAsync("Users/" + user.Id());
        Assert.Equal((await winner.JsonAsync()).GetProperty("displayName").GetString(), stored.GetProperty("displayName").GetString());
        Assert.Equal(winner.Headers.ETag!.ToString(), stored.Version());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Twenty_parallel_group_patches_with_the_current_If_Match_let_exactly_one_member_in()
    {
        var client = server.Client(server.DefaultToken);
        var users = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            users.Add((await client.CreateUserAsync()).Id());
        }

        var group = await client.CreateGroupAsync("One wins");

        var responses = await Task.WhenAll(users.Select(id =>
            client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{id}}"}]}""", ifMatch: group.Version())));

        Assert.Single(responses, r => (int)r.StatusCode == 200);
        Assert.Equal(19, responses.Count(r => (int)r.StatusCode == 412));
        Assert.Single((await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<List<string>> AllUserNamesAsync(HttpClient client)
    {
        var names = new List<string>();
        for (var start = 1; ; start += 100)
        {
            var page = await client.GetJsonAsync($"Users?startIndex={start}&count=100");
            names.AddRange(page.GetProperty("Resources").EnumerateArray().Select(u => u.GetProperty("userName").GetString()!));
            if (start + 100 > page.GetProperty("totalResults").GetInt32())
            {
                return names;
            }
        }
    }

    /// <summary>RFC 7644 §3.14: each answer carries the version its own change produced.</summary>
    [Fact]
    public async Task Parallel_member_patches_each_answer_with_the_version_they_produced()
    {
        var client = server.Client(server.DefaultToken);
        var users = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            users.Add((await client.CreateUserAsync()).Id());
        }

        var group = await client.CreateGroupAsync("Versions");

        var responses = await Task.WhenAll(users.Select(id =>
            client.PatchOperationsAsync("Groups/" + group.Id(), $$"""{"op":"add","path":"members","value":[{"value":"{{id}}"}]}""")));

        Assert.All(responses, r => Assert.Equal(200, (int)r.StatusCode));
        Assert.Equal(20, responses.Select(r => r.Headers.ETag!.Tag).Distinct().Count());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

/// <summary>
/// A PUT without a password keeps the stored one (it is never returned, so a client cannot send it
/// back) — the one stored when the PUT is applied, not the one stored when it arrived: here a
/// PATCH that changes the password is applied just before it, in the same Bulk batch, while the
/// PUT is already prepared against the older state. The hash is read from the tenant's file.
/// </summary>
public class ReplaceKeepsTheLatestPasswordTests
{
    [Fact]
    public async Task A_put_without_a_password_after_a_password_patch_in_the_same_batch_keeps_the_new_password()
    {
        var server = new RunningServer();
        await server.InitializeAsync();
        try
        {
            var client = server.Client(server.DefaultToken);
            const string Core = "urn:ietf:params:scim:schemas:core:2.0:User";
            using var created = await client.PostAsync("Users", RunningServer.Json($$"""{"schemas":["{{Core}}"],"userName":"rotating","password":"first-Pa55w0rd!"}"""));
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            var id = (await created.JsonAsync()).GetProperty("id").GetString()!;

            for (int round = 0; round < 5; round++)
            {
                string password = $"rotated-{round}-Pa55w0rd!";
                using var bulk = await client.PostAsync("Bulk", RunningServer.Json($$$"""
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[
                      {"method":"PATCH","path":"/Users/{{{id}}}","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"password","value":"{{{password}}}"}]}},
                      {"method":"PUT","path":"/Users/{{{id}}}","data":{"schemas":["{{{Core}}}"],"userName":"rotating","title":"round {{{round}}}"}}]}
                    """));
                var operations = (await bulk.JsonAsync()).GetProperty("Operations");
                Assert.Equal(["200", "200"], operations.EnumerateArray().Select(o => o.GetProperty("status").GetString()));
            }

            await server.Server.DisposeAsync();
            await using (var file = new FastScim.Storage.LiteDb.LiteDbTenantStore("default", Path.Combine(server.DataDirectory, "tenants", "default.db"), FastScim.Storage.ResourceCodecs.User, FastScim.Storage.ResourceCodecs.Group))
            {
                var stored = file.Users.Find(id)!;
                Assert.Equal("round 4", stored.Title);
                Assert.True(FastScim.Core.Security.PasswordHash.Verify("rotated-4-Pa55w0rd!", stored.Password!), "The PUT brought back an older password.");
            }

            await server.StartAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
