using System.Net.Http.Headers;
using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Auth;

/// <summary>Every authentication failure is one indistinguishable 401 (RFC 6750 §3).</summary>
public class AuthenticationTests(RunningServer server) : IClassFixture<RunningServer>
{
    public static TheoryData<string?> BadAuthorizationHeaders => new()
    {
        null,
        "",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer not-a-token-at-all",
        "Bearer scim_ with spaces",
    };

    [Theory]
    [MemberData(nameof(BadAuthorizationHeaders))]
    public async Task Missing_malformed_or_unknown_tokens_get_401_with_a_bearer_challenge(string? header)
    {
        var body = await UnauthorizedBodyAsync("default", header);

        Assert.Equal(await UnauthorizedBodyAsync("default", null), body);
    }

    [Fact]
    public async Task A_valid_token_on_another_tenants_url_gets_the_same_401()
    {
        var created = await Cli.RunAsync("tenant", "create", "other-" + Guid.NewGuid().ToString("N")[..8], "--data", server.DataDirectory);
        Assert.Equal(0, created.ExitCode);

        var onDefault = await UnauthorizedBodyAsync("default", "Bearer " + created.LastLine);
        var onNobody = await UnauthorizedBodyAsync("no-such-tenant", "Bearer " + server.DefaultToken);

        Assert.Equal(await UnauthorizedBodyAsync("default", null), onDefault);
        Assert.Equal(onDefault, onNobody);
    }

    [Fact]
    public async Task The_default_token_is_accepted()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Users");

        Assert.Equal(200, (int)response.StatusCode);
    }

    private async Task<string> UnauthorizedBodyAsync(string tenant, string? header)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl(tenant) + "/Users");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        using var response = await client.SendAsync(request);
        await response.AssertScimErrorAsync(401);
        Assert.Contains(response.Headers.WwwAuthenticate, (AuthenticationHeaderValue h) => h.Scheme == "Bearer");
        return await response.Content.ReadAsStringAsync();
    }
}
