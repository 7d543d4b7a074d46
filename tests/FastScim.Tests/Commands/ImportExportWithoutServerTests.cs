using System.Net.Http.Headers;
using FastScim.Server.Hosting;
using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Commands;

/// <summary>
/// <c>fastscim import</c> and <c>fastscim export</c> with no server running: the CLI works on the
/// files itself, under the data directory's lock, and the next server serves what it wrote.
/// </summary>
public sealed class ImportExportWithoutServerTests : IDisposable
{
    private readonly string _data = TemporaryDirectory.Create();
    private readonly string _files = TemporaryDirectory.Create();

    public void Dispose()
    {
        TemporaryDirectory.Delete(_data);
        TemporaryDirectory.Delete(_files);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Imported_resources_are_served_by_the_next_server(bool listResponse)
    {
        var token = (await Cli.RunAsync("tenant", "create", "offline", "--data", _data)).LastLine;

        var result = await Cli.RunAsync("import", ImportSamples.Write(_files, listResponse ? ImportSamples.ListResponse : ImportSamples.Array), "--tenant", "offline", "--data", _data);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.StartsWith("Created 2 of 2 users and 2 of 2 groups", result.Output, StringComparison.Ordinal);
        await using var server = await ScimServer.StartAsync(new() { Urls = ["http://127.0.0.1:0"], DataDirectory = _data }, TextWriter.Null);
        using var client = Client(server, "offline", token);
        await ImportSamples.AssertImportedAsync(client);
    }

    [Fact]
    public async Task Export_and_import_round_trip_without_a_server()
    {
        var sourceToken = (await Cli.RunAsync("tenant", "create", "source", "--data", _data)).LastLine;
        var targetToken = (await Cli.RunAsync("tenant", "create", "target", "--data", _data)).LastLine;
        Assert.Equal(0, (await Cli.RunAsync("import", ImportSamples.Write(_files, ImportSamples.Array), "--tenant", "source", "--data", _data)).ExitCode);

        var exported = await Cli.RunAsync("export", "--tenant", "source", "--data", _data);
        var imported = await Cli.RunAsync("import", ImportSamples.Write(_files, exported.Output), "--tenant", "target", "--data", _data);

        Assert.Equal(0, exported.ExitCode);
        Assert.Equal(0, imported.ExitCode);

        // Without a server to say where it serves, URLs in the export name the default address.
        Assert.Contains("\"location\":\"" + ScimServerOptions.DefaultUrl + "/t/source/api/v1/scim/v2/Users/", exported.Output, StringComparison.Ordinal);
        await using var server = await ScimServer.StartAsync(new() { Urls = ["http://127.0.0.1:0"], DataDirectory = _data }, TextWriter.Null);
        using var source = Client(server, "source", sourceToken);
        using var target = Client(server, "target", targetToken);
        Assert.Equal(await ImportSamples.DescribeAsync(source), await ImportSamples.DescribeAsync(target));
        await ImportSamples.AssertImportedAsync(target);
    }

    private static HttpClient Client(ScimServer server, string tenant, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl(tenant) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
