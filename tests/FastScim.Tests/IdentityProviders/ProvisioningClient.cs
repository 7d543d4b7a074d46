using System.Text.Json;
using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.IdentityProviders;

/// <summary>
/// One identity provider speaking to one tenant, step by step: its own headers on every request,
/// an optional query string it appends to the tenant URL (Entra's <c>?aadOptscim062020</c>), and
/// the checks every step makes before the provider reads the answer — the status it needs, a SCIM
/// content type on every body, and an empty body on 204.
/// </summary>
public sealed class ProvisioningClient
{
    private readonly HttpClient _http;
    private readonly string? _baseQuery;

    /// <param name="http">A client for the tenant's base URL (<see cref="RunningServer.Client"/>).</param>
    /// <param name="baseQuery">A query the administrator typed after the tenant URL, without '?'.</param>
    public ProvisioningClient(HttpClient http, string? baseQuery = null)
    {
        _http = http;
        _baseQuery = baseQuery;
    }

    /// <summary>Okta's client: the headers its SCIM 2.0 reference and its test suite send.</summary>
    public static ProvisioningClient Okta(RunningServer server, string? token = null, string tenant = "default")
    {
        var http = server.Client(token ?? server.DefaultToken, tenant);
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Okta SCIM Client 1.0.0");
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Charset", "utf-8");
        return new ProvisioningClient(http);
    }

    /// <summary>The request target as the provider builds it: its base query first, then the step's own.</summary>
    public string Target(string path)
    {
        if (_baseQuery is null)
        {
            return path;
        }

        var question = path.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? path + "?" + _baseQuery : path[..question] + "?" + _baseQuery + "&" + path[(question + 1)..];
    }

    public Task<JsonElement> GetAsync(string path, int status = 200) => SendAsync(HttpMethod.Get, path, null, status);

    public Task<JsonElement> PostAsync(string path, string body, int status = 201) => SendAsync(HttpMethod.Post, path, body, status);

    public Task<JsonElement> PutAsync(string path, string body, int status = 200) => SendAsync(HttpMethod.Put, path, body, status);

    public Task<JsonElement> PatchAsync(string path, string body, int status = 200) => SendAsync(HttpMethod.Patch, path, body, status);

    public Task<JsonElement> DeleteAsync(string path, int status = 204) => SendAsync(HttpMethod.Delete, path, null, status);

    /// <summary>PATCH with a PatchOp body around these operations.</summary>
    public Task<JsonElement> PatchOpAsync(string path, string operations, int status = 200) =>
        PatchAsync(path, $$"""{"schemas":["{{ScimResources.PatchOpUrn}}"],"Operations":[{{operations}}]}""", status);

    /// <summary>Sends one step and returns its body (<c>default</c> for 204), after the checks every step makes.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, int status)
    {
        using var response = await SendRawAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {Target(path)} answered {(int)response.StatusCode}, the provider needs {status}: {text}");
        if (status == 204)
        {
            Assert.Equal("", text);
            return default;
        }

        Assert.Equal(RunningServer.ScimMediaType, response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var json = document.RootElement.Clone();
        if (status >= 400)
        {
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", json.GetProperty("schemas")[0].GetString());
            Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("status").GetString());
        }
        else if (status == 201)
        {
            // Okta and Entra read the new id from the body; RFC 7644 §3.3 puts the same URL in Location.
            Assert.Equal(json.GetProperty("meta").GetProperty("location").GetString(), response.Headers.Location?.ToString());
        }

        return json;
    }

    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, Target(path)) { Content = body is null ? null : RunningServer.Json(body) };
        return await _http.SendAsync(request);
    }

    /// <summary>The checks a provider makes of any ListResponse: the message URN, integer paging fields, Resources as long as itemsPerPage.</summary>
    public static JsonElement[] Listed(JsonElement list)
    {
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", list.GetProperty("schemas")[0].GetString());
        Assert.Equal(JsonValueKind.Number, list.GetProperty("totalResults").ValueKind);
        Assert.Equal(JsonValueKind.Number, list.GetProperty("itemsPerPage").ValueKind);
        Assert.Equal(JsonValueKind.Number, list.GetProperty("startIndex").ValueKind);
        var resources = list.GetProperty("Resources").EnumerateArray().ToArray();
        Assert.Equal(resources.Length, list.GetProperty("itemsPerPage").GetInt32());
        return resources;
    }

    /// <summary>A ListResponse with nothing in it — what Okta's existence check and Entra's test connection accept.</summary>
    public static void AssertListsNothing(JsonElement list)
    {
        Assert.Empty(Listed(list));
        Assert.Equal(0, list.GetProperty("totalResults").GetInt32());
        Assert.Equal(1, list.GetProperty("startIndex").GetInt32());
    }

    /// <summary>Finds exactly one resource and returns it.</summary>
    public static JsonElement ListedOnly(JsonElement list)
    {
        var resource = Assert.Single(Listed(list));
        Assert.Equal(1, list.GetProperty("totalResults").GetInt32());
        return resource;
    }
}
