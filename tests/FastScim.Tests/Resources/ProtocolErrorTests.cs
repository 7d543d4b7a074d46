using System.Net;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>What the pipeline answers before any handler: 404, 405, 413, and HTTP/2.</summary>
public class ProtocolErrorTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/scim/v2/Users")]
    [InlineData("/t/default/api/v1/scim/v2/Me")]
    [InlineData("/t/default/api/v1/scim/v2/Users/a/b")]
    [InlineData("/t/default/api/v1/scim/v2")]
    public async Task Unknown_paths_are_404_scim_errors(string path)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Origin + path);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + server.DefaultToken);

        using var response = await client.SendAsync(request);

        await response.AssertScimErrorAsync(404);
    }

    [Theory]
    [InlineData("DELETE", "Users", "GET, POST")]
    [InlineData("PUT", "ServiceProviderConfig", "GET")]
    [InlineData("POST", "Schemas", "GET")]
    [InlineData("GET", "Bulk", "POST")]
    [InlineData("GET", "Users/.search", "POST")]
    public async Task A_known_path_with_the_wrong_method_is_405_with_Allow(string method, string path, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await server.Client(server.DefaultToken).SendAsync(request);

        await response.AssertScimErrorAsync(405);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_nothing_is_stored()
    {
        var client = server.Client(server.DefaultToken);
        var padding = new string('x', 1_100_000);

        using var response = await client.PostAsync("Users", Json($$"""{"userName":"big","displayName":"{{padding}}"}"""));

        await response.AssertScimErrorAsync(413);
        using var check = await client.GetAsync("Users");
        Assert.DoesNotContain("\"big\"", await check.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_query_parameters_on_the_base_url_are_ignored()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Users?aadOptscim062020");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Https_negotiates_http2_and_http11_is_still_served()
    {
        var data = TemporaryDirectory.Create();
        try
        {
            var (certificate, key) = SelfSignedCertificate.WritePem(data);
            await using var tls = await FastScim.Server.Hosting.ScimServer.StartAsync(
                new() { Urls = ["https://127.0.0.1:0"], DataDirectory = data, CertificatePath = certificate, CertificateKeyPath = key }, TextWriter.Null);
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=127.0.0.1" };
            using var client = new HttpClient(handler);

            foreach (var version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, tls.BaseUrl("default") + "/ServiceProviderConfig")
                {
                    Version = version,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tls.FirstTenantToken);
                using var response = await client.SendAsync(request);

                Assert.Equal(version, response.Version);
                Assert.Equal(200, (int)response.StatusCode);
                Assert.StartsWith("https://", (await response.JsonAsync()).GetProperty("meta").GetProperty("location").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            TemporaryDirectory.Delete(data);
        }
    }
}
