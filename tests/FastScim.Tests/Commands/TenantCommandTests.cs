using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Commands;

/// <summary>The fastscim command against a running server (over its admin socket).</summary>
public class TenantCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task A_tenant_created_while_the_server_runs_is_served_at_once()
    {
        var name = "acme-" + Guid.NewGuid().ToString("N")[..8];

        var result = await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("scim_", result.LastLine, StringComparison.Ordinal);
        using var response = await server.Client(result.LastLine, name).GetAsync("Users");
        Assert.Equal(200, (int)response.StatusCode);
        var list = await Cli.RunAsync("tenant", "list", "--data", server.DataDirectory);
        Assert.Contains(name, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_can_be_added_and_revoked_for_rotation()
    {
        var name = "rot-" + Guid.NewGuid().ToString("N")[..8];
        var first = (await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory)).LastLine;
        var second = await Cli.RunAsync("token", "create", name, "--data", server.DataDirectory);
        Assert.Equal(0, second.ExitCode);

        var tokens = await Cli.RunAsync("token", "list", name, "--data", server.DataDirectory);
        var prefixes = tokens.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToArray();
        Assert.Equal(2, prefixes.Length);
        Assert.DoesNotContain(first, tokens.Output, StringComparison.Ordinal);
        var firstPrefix = prefixes.Single(p => first.StartsWith(p, StringComparison.Ordinal));
        var revoked = await Cli.RunAsync("token", "revoke", name, firstPrefix, "--data", server.DataDirectory);

        Assert.Equal(0, revoked.ExitCode);
        using var withFirst = await server.Client(first, name).GetAsync("Users");
        using var withSecond = await server.Client(second.LastLine, name).GetAsync("Users");
        Assert.Equal(401, (int)withFirst.StatusCode);
        Assert.Equal(200, (int)withSecond.StatusCode);
    }

    [Fact]
    public async Task A_deleted_tenant_is_gone_with_its_tokens()
    {
        var name = "gone-" + Guid.NewGuid().ToString("N")[..8];
        var token = (await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory)).LastLine;
        using (var created = await server.Client(token, name).PostAsync("Users", RunningServer.Json("""{"userName":"x"}""")))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        var refused = await Cli.RunAsync("tenant", "delete", name, "--data", server.DataDirectory);
        var deleted = await Cli.RunAsync("tenant", "delete", name, "--yes", "--data", server.DataDirectory);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(0, deleted.ExitCode);
        using var response = await server.Client(token, name).GetAsync("Users");
        Assert.Equal(401, (int)response.StatusCode);
        Assert.DoesNotContain(name, (await Cli.RunAsync("tenant", "list", "--data", server.DataDirectory)).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("ac_me")]
    [InlineData("a.b")]
    public async Task Invalid_tenant_names_are_refused_with_a_message(string name)
    {
        var result = await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(name, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_cannot_be_created_twice()
    {
        var result = await Cli.RunAsync("tenant", "create", "default", "--data", server.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("default", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_can_answer_group_patches_with_204_as_Entra_expects()
    {
        var name = "entra-" + Guid.NewGuid().ToString("N")[..8];
        var token = (await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory)).LastLine;
        var client = server.Client(token, name);
        using var created = await client.PostAsync("Groups", RunningServer.Json("""{"displayName":"Before"}"""));
        var patch = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"After"}]}""";

        var set = await Cli.RunAsync("tenant", "set", name, "--group-patch-response", "204", "--data", server.DataDirectory);
        using var noContent = await client.PatchAsync(created.Headers.Location, RunningServer.Json(patch));
        var reset = await Cli.RunAsync("tenant", "set", name, "--group-patch-response", "200", "--data", server.DataDirectory);
        using var withBody = await client.PatchAsync(created.Headers.Location, RunningServer.Json(patch.Replace("After", "Again", StringComparison.Ordinal)));
        var bad = await Cli.RunAsync("tenant", "set", name, "--group-patch-response", "201", "--data", server.DataDirectory);

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("group-patch-response\t204", set.Output, StringComparison.Ordinal);
        Assert.Equal(204, (int)noContent.StatusCode);
        Assert.NotNull(noContent.Headers.ETag);
        Assert.Equal(0, reset.ExitCode);
        Assert.Equal(200, (int)withBody.StatusCode);
        Assert.Equal("Again", (await withBody.JsonAsync()).GetProperty("displayName").GetString());
        Assert.Equal(2, bad.ExitCode);
    }
}
