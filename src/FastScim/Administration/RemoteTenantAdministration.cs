using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using FastScim.Storage.Tenancy;

namespace FastScim.Administration;

/// <summary>Administration through the running server's Unix domain socket (see AdminApplication).</summary>
internal sealed class RemoteTenantAdministration : ITenantAdministration, IDisposable
{
    private readonly HttpClient _client;

    public RemoteTenantAdministration(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri("http://fastscim-admin/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task PingAsync() => await SendAsync(HttpMethod.Get, "tenants").ConfigureAwait(false);

    public async Task<IReadOnlyList<TenantInfo>> ListTenantsAsync()
    {
        using var document = await SendAsync(HttpMethod.Get, "tenants").ConfigureAwait(false);
        var tenants = new List<TenantInfo>();
        foreach (var tenant in document.RootElement.GetProperty("tenants").EnumerateArray())
        {
            tenants.Add(new TenantInfo(tenant.GetProperty("name").GetString()!, tenant.GetProperty("created").GetDateTimeOffset()));
        }

        return tenants;
    }

    public async Task<string> CreateTenantAsync(string name)
    {
        using var document = await SendAsync(HttpMethod.Post, "tenants/" + Uri.EscapeDataString(name)).ConfigureAwait(false);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    public async Task DeleteTenantAsync(string name)
    {
        using var document = await SendAsync(HttpMethod.Delete, "tenants/" + Uri.EscapeDataString(name)).ConfigureAwait(false);
    }

    public async Task<string> CreateTokenAsync(string tenant)
    {
        using var document = await SendAsync(HttpMethod.Post, $"tenants/{Uri.EscapeDataString(tenant)}/tokens").ConfigureAwait(false);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    public async Task<int> RevokeTokenAsync(string tenant, string prefix)
    {
        using var document = await SendAsync(HttpMethod.Delete, $"tenants/{Uri.EscapeDataString(tenant)}/tokens/{Uri.EscapeDataString(prefix)}").ConfigureAwait(false);
        return document.RootElement.GetProperty("revoked").GetInt32();
    }

    public async Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string tenant)
    {
        using var document = await SendAsync(HttpMethod.Get, $"tenants/{Uri.EscapeDataString(tenant)}/tokens").ConfigureAwait(false);
        var tokens = new List<TokenInfo>();
        foreach (var token in document.RootElement.GetProperty("tokens").EnumerateArray())
        {
            tokens.Add(new TokenInfo(token.GetProperty("prefix").GetString()!, token.GetProperty("created").GetDateTimeOffset()));
        }

        return tokens;
    }

    public async Task<IReadOnlyDictionary<string, string>> SettingsAsync(string tenant, string? name, string? value)
    {
        var path = $"tenants/{Uri.EscapeDataString(tenant)}/settings";
        using var document = name is not null && value is not null
            ? await SendAsync(HttpMethod.Put, $"{path}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(value)}").ConfigureAwait(false)
            : await SendAsync(HttpMethod.Get, path).ConfigureAwait(false);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in document.RootElement.EnumerateObject())
        {
            settings[setting.Name] = setting.Value.GetString() ?? "";
        }

        return settings;
    }

    public async Task<IReadOnlyList<CompatibilityRecord>> CompatibilityReportAsync(string tenant)
    {
        using var document = await SendAsync(HttpMethod.Get, $"tenants/{Uri.EscapeDataString(tenant)}/compat").ConfigureAwait(false);
        var records = new List<CompatibilityRecord>();
        foreach (var row in document.RootElement.GetProperty("rules").EnumerateArray())
        {
            records.Add(new CompatibilityRecord(
                tenant,
                row.GetProperty("client").GetString()!,
                row.GetProperty("rule").GetString()!,
                row.GetProperty("count").GetInt64(),
                row.GetProperty("lastSeen").GetDateTimeOffset(),
                row.GetProperty("example").GetString()!));
        }

        return records;
    }

    public void Dispose() => _client.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var document = await JsonDocument.ParseAsync(stream).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var message = document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
                document.Dispose();
                throw new AdministrationException(message ?? string.Create(CultureInfo.InvariantCulture, $"The server answered {(int)response.StatusCode}."));
            }

            return document;
        }
    }
}
