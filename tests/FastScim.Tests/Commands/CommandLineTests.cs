using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Commands;

/// <summary>The fastscim command on its own: usage errors, help, and working on the files when no server runs.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("tenant", "explode", "x")]
    [InlineData("serve", "--port", "80")]
    [InlineData("tenant", "create")]
    [InlineData("import", "--tenant", "acme")]
    [InlineData("import", "file.json")]
    [InlineData("export")]
    public async Task Unknown_commands_and_options_exit_2_with_a_message(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("fastscim --help", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("tenant", "create", "--help")]
    [InlineData("tenant", "delete", "--help")]
    [InlineData("token", "revoke", "--help")]
    [InlineData("import", "--help")]
    [InlineData("export", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_server_the_command_works_on_the_files_and_the_next_server_accepts_the_token()
    {
        var data = TemporaryDirectory.Create();
        try
        {
            var created = await Cli.RunAsync("tenant", "create", "offline", "--data", data);
            Assert.Equal(0, created.ExitCode);
            Assert.StartsWith("scim_", created.LastLine, StringComparison.Ordinal);

            await using var server = await FastScim.Server.Hosting.ScimServer.StartAsync(
                new() { Urls = ["http://127.0.0.1:0"], DataDirectory = data }, TextWriter.Null);
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl("offline") + "/Users");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + created.LastLine);
            using var response = await client.SendAsync(request);

            Assert.Equal(200, (int)response.StatusCode);
            Assert.Null(server.FirstTenantToken);
        }
        finally
        {
            TemporaryDirectory.Delete(data);
        }
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_directory_is_refused()
    {
        var data = TemporaryDirectory.Create();
        try
        {
            await using var first = await FastScim.Server.Hosting.ScimServer.StartAsync(new() { Urls = ["http://127.0.0.1:0"], DataDirectory = data }, TextWriter.Null);

            var second = await Cli.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--data", data);

            Assert.Equal(1, second.ExitCode);
            Assert.Contains("data directory", second.Error, StringComparison.Ordinal);
        }
        finally
        {
            TemporaryDirectory.Delete(data);
        }
    }
}
