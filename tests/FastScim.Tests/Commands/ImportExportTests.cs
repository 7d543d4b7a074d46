using System.Text.Json;
using FastScim.Administration;
using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Commands;

/// <summary>
/// <c>fastscim import</c> and <c>fastscim export</c> against a running server: the CLI goes
/// through its admin socket and never opens the tenant files; results are checked over SCIM.
/// </summary>
public sealed class ImportExportTests(RunningServer server) : IClassFixture<RunningServer>, IDisposable
{
    private readonly string _files = TemporaryDirectory.Create();

    public void Dispose() => TemporaryDirectory.Delete(_files);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_ListResponse_or_an_array_is_imported_with_members_and_managers_on_new_ids(bool listResponse)
    {
        var (tenant, client) = await NewTenantAsync("imp");
        var file = ImportSamples.Write(_files, listResponse ? ImportSamples.ListResponse : ImportSamples.Array);

        var result = await Cli.RunAsync("import", file, "--tenant", tenant, "--data", server.DataDirectory);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal($"Created 2 of 2 users and 2 of 2 groups in '{tenant}'; 0 failed, 0 skipped.", result.Output.Trim());
        Assert.Equal("", result.Error);
        await ImportSamples.AssertImportedAsync(client);
    }

    [Fact]
    public async Task Export_then_import_into_another_tenant_gives_the_same_directory()
    {
        var (source, sourceClient) = await NewTenantAsync("src");
        var (target, targetClient) = await NewTenantAsync("dst");
        var carol = await sourceClient.CreateUserAsync("\"password\":\"Secret-123!\"");
        var dave = await sourceClient.CreateUserAsync("\"" + ScimResources.EnterpriseUrn + "\":{\"manager\":{\"value\":\"" + carol.Id() + "\"}}");
        var erin = await sourceClient.CreateUserAsync();
        var team = await sourceClient.CreateGroupAsync("Team", carol.Id(), dave.Id());
        await sourceClient.CreateGroupAsync("Division", team.Id(), erin.Id());

        var exported = await Cli.RunAsync("export", "--tenant", source, "--data", server.DataDirectory);
        var imported = await Cli.RunAsync("import", ImportSamples.Write(_files, exported.Output), "--tenant", target, "--data", server.DataDirectory);

        Assert.Equal(0, exported.ExitCode);
        using (var document = JsonDocument.Parse(exported.Output))
        {
            var root = document.RootElement;
            Assert.Equal(ImportSamples.ListResponseUrn, root.GetProperty("schemas")[0].GetString());
            Assert.Equal((5, 5, 1), (root.GetProperty("totalResults").GetInt32(), root.GetProperty("itemsPerPage").GetInt32(), root.GetProperty("startIndex").GetInt32()));
            var resources = root.GetProperty("Resources").EnumerateArray().ToList();
            Assert.Equal(["User", "User", "User", "Group", "Group"], resources.Select(r => r.GetProperty("meta").GetProperty("resourceType").GetString()));
            Assert.StartsWith(server.BaseUrl(source) + "/Users/", resources[0].GetProperty("meta").GetProperty("location").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("password", exported.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, imported.ExitCode);
        Assert.StartsWith("Created 3 of 3 users and 2 of 2 groups", imported.Output, StringComparison.Ordinal);
        var described = await ImportSamples.DescribeAsync(targetClient);
        Assert.Equal(await ImportSamples.DescribeAsync(sourceClient), described);
        Assert.Contains($"user {dave.GetProperty("userName").GetString()} manager={carol.GetProperty("userName").GetString()} groups=Division,Team", described);
    }

    [Fact]
    public async Task A_user_whose_userName_exists_fails_with_the_servers_409_and_exit_1()
    {
        var (tenant, client) = await NewTenantAsync("dup");
        using (var existing = await client.PostAsync("Users", RunningServer.Json("""{"userName":"alice"}""")))
        {
            Assert.Equal(201, (int)existing.StatusCode);
        }

        var result = await Cli.RunAsync("import", ImportSamples.Write(_files, ImportSamples.Array), "--tenant", tenant, "--data", server.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Created 1 of 2 users and 2 of 2 groups in '{tenant}'; 1 failed, 0 skipped.", lines[0]);
        Assert.Equal("Failed, or a member or manager not kept (2):", lines[1]);
        Assert.StartsWith("User 'alice' ([1], line 3, id u-alice): 409 uniqueness: ", lines[2], StringComparison.Ordinal);
        Assert.Equal("Group 'Eng' ([0], line 1, id g-eng): member 'u-alice' not kept: User 'alice' ([1], line 3, id u-alice) was not imported.", lines[3]);
        var eng = await client.FindAsync("Groups", "displayName eq \"Eng\"");
        Assert.Equal([(await client.FindAsync("Groups", "displayName eq \"Leads\"")).Id()], eng.MemberIds());
    }

    [Fact]
    public async Task A_malformed_file_is_refused_with_its_position_before_anything_is_imported()
    {
        var (tenant, client) = await NewTenantAsync("bad");
        var file = ImportSamples.Write(_files, "[\n  {\"schemas\":[\"" + ImportSamples.UserUrn + "\"],\"userName\":\"a\"},\n  {\"userName\": tru }\n]");

        var result = await Cli.RunAsync("import", file, "--tenant", tenant, "--data", server.DataDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"fastscim: {file}: line 3, byte 19: not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetJsonAsync("Users")).GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task An_unknown_tenant_or_a_missing_file_is_an_error_with_a_message()
    {
        var file = ImportSamples.Write(_files, ImportSamples.Array);

        var import = await Cli.RunAsync("import", file, "--tenant", "no-such-tenant", "--data", server.DataDirectory);
        var export = await Cli.RunAsync("export", "--tenant", "no-such-tenant", "--data", server.DataDirectory);
        var missing = await Cli.RunAsync("import", file + ".missing", "--tenant", "default", "--data", server.DataDirectory);

        Assert.Equal((1, "fastscim: There is no tenant 'no-such-tenant'."), (import.ExitCode, import.Error.Trim()));
        Assert.Equal((1, "fastscim: There is no tenant 'no-such-tenant'."), (export.ExitCode, export.Error.Trim()));
        Assert.Equal((1, $"fastscim: {file}.missing: there is no such file."), (missing.ExitCode, missing.Error.Trim()));
        Assert.Equal("", export.Output);
    }

    [Fact]
    public async Task A_progress_bar_is_drawn_only_on_a_terminal()
    {
        var (first, _) = await NewTenantAsync("bar");
        var (second, _) = await NewTenantAsync("nobar");
        var file = ImportSamples.Write(_files, ImportSamples.ListResponse);

        var terminal = await Cli.RunAsync(errorIsTerminal: true, "import", file, "--tenant", first, "--data", server.DataDirectory);
        var redirected = await Cli.RunAsync(errorIsTerminal: false, "import", file, "--tenant", second, "--data", server.DataDirectory);

        Assert.Equal(0, terminal.ExitCode);
        Assert.Contains("\r[##############################] 2/2 users", terminal.Error, StringComparison.Ordinal);
        Assert.Contains("\r[##############################] 2/2 groups", terminal.Error, StringComparison.Ordinal);
        Assert.Equal(0, redirected.ExitCode);
        Assert.Equal("", redirected.Error);
    }

    [Fact]
    public async Task A_BulkRequest_on_the_admin_socket_that_is_not_UTF8_is_refused_as_POST_Bulk_refuses_it_and_nothing_is_stored()
    {
        var (tenant, client) = await NewTenantAsync("utf8");
        using var admin = new RemoteTenantAdministration(FastScim.Server.Hosting.DataDirectory.AdminSocket(server.DataDirectory));
        string before = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"a\",\"data\":{\"schemas\":[\"" + ImportSamples.UserUrn + "\"],\"userName\":\"bj";
        byte[] bulkRequest =
        [
            .. System.Text.Encoding.UTF8.GetBytes(before),
            0xC3, 0x28, // a lead byte followed by one that cannot continue it
            .. "\"}}]}"u8,
        ];

        var (status, answer) = await admin.BulkAsync(tenant, bulkRequest);

        Assert.Equal(400, status);
        using var error = JsonDocument.Parse(answer);
        Assert.Equal("invalidSyntax", error.RootElement.GetProperty("scimType").GetString());
        Assert.Contains("not UTF-8", error.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement users = await client.GetJsonAsync("Users");
        Assert.Equal(0, users.GetProperty("totalResults").GetInt32());
    }

    private async Task<(string Name, HttpClient Client)> NewTenantAsync(string prefix)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Cli.RunAsync("tenant", "create", name, "--data", server.DataDirectory);
        Assert.Equal(0, created.ExitCode);
        return (name, server.Client(created.LastLine, name));
    }
}
