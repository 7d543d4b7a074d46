using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FastScim.Server.Hosting;

namespace FastScim.Tests.Infrastructure;

/// <summary>
/// The real server on 127.0.0.1 with an ephemeral port and a temporary data directory, spoken
/// to over HTTP as an identity provider would.
/// </summary>
public sealed class RunningServer : IAsyncLifetime
{
    public const string ScimMediaType = "application/scim+json";

    private readonly List<HttpClient> _clients = [];

    public string DataDirectory { get; } = TemporaryDirectory.Create();

    public ScimServer Server { get; private set; } = null!;

    /// <summary>The token of the tenant 'default' made at first start.</summary>
    public string DefaultToken { get; private set; } = null!;

    public string Origin => Server.Addresses[0].TrimEnd('/');

    public async Task InitializeAsync()
    {
        await StartAsync().ConfigureAwait(false);
        DefaultToken = Server.FirstTenantToken ?? throw new InvalidOperationException("The first start printed no token.");
    }

    public async Task StartAsync()
    {
        Server = await ScimServer.StartAsync(new ScimServerOptions { Urls = ["http://127.0.0.1:0"], DataDirectory = DataDirectory }, TextWriter.Null).ConfigureAwait(false);
    }

    public async Task RestartAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    public string BaseUrl(string tenant = "default") => Server.BaseUrl(tenant);

    /// <summary>A client for one tenant's base URL (a trailing slash, so relative paths append).</summary>
    public HttpClient Client(string? token, string tenant = "default")
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl(tenant) + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(ScimMediaType));
        _clients.Add(client);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, ScimMediaType);

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync().ConfigureAwait(false);
        TemporaryDirectory.Delete(DataDirectory);
    }
}
