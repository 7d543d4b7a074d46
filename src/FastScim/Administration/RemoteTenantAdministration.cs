using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using FastScim.Storage.Tenancy;

namespace FastScim.Administration;

/// <summary>Administration through the running server's Unix domain socket (see AdminApplication).</summary>
internal sealed class RemoteTenantAdministration : ITenantAdministration, IDisposable
{
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(30);

    // One BulkRequest of an import runs up to maxOperations durable writes (and password hashes)
    // on the server before it answers.
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(10);

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
        // Each call sets its own timeout: an export streams for as long as the tenant is large.
        _client = new HttpClient(handler) { BaseAddress = new Uri("http://fastscim-admin/"), Timeout = Timeout.InfiniteTimeSpan };
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

    public async Task<(int Status, byte[] Body)> BulkAsync(string tenant, ReadOnlyMemory<byte> bulkRequest)
    {
        using var timeout = new CancellationTokenSource(BulkTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"tenants/{Uri.EscapeDataString(tenant)}/bulk", UriKind.Relative))
        {
            Content = new ReadOnlyMemoryContent(bulkRequest),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/scim+json");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);

        // The admin API's own refusals (no such tenant) carry "error"; the Bulk handler's are SCIM errors, answered as they are.
        if (!response.IsSuccessStatusCode && AdminError(body) is { } message)
        {
            throw new AdministrationException(message);
        }

        return ((int)response.StatusCode, body);
    }

    public async Task ExportAsync(string tenant, Stream output)
    {
        using var timeout = new CancellationTokenSource(AdminTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"tenants/{Uri.EscapeDataString(tenant)}/export", UriKind.Relative));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            throw new AdministrationException(AdminError(body) ?? string.Create(CultureInfo.InvariantCulture, $"The server answered {(int)response.StatusCode}."));
        }

        // The answer has begun: from here on it streams for as long as the tenant takes.
        var stream = await response.Content.ReadAsStreamAsync(CancellationToken.None).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(output).ConfigureAwait(false);
        }
    }

    public void Dispose() => _client.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path)
    {
        using var timeout = new CancellationTokenSource(AdminTimeout);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
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

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationTokenSource timeout)
    {
        try
        {
            return await _client.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new AdministrationException($"The server did not answer {request.Method} /{request.RequestUri} in time.");
        }
    }

    /// <summary>The admin API's error message (<c>{"error": "…"}</c>), or null for any other body.</summary>
    private static string? AdminError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
