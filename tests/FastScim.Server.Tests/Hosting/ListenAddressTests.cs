using System.Net;
using FastScim.Server.Hosting;

namespace FastScim.Server.Tests.Hosting;

public class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080, false)]
    [InlineData("http://127.0.0.1:0/", "127.0.0.1", 0, false)]
    [InlineData("http://localhost:5000", "127.0.0.1", 5000, true)]
    [InlineData("http://[::1]:8080", "::1", 8080, false)]
    [InlineData("http://*:80", "0.0.0.0", 80, false)]
    [InlineData("https://127.0.0.1:8443", "127.0.0.1", 8443, false)]
    public void Urls_parse_into_address_and_port(string url, string address, int port, bool localhost)
    {
        var parsed = ListenAddress.Parse(url);

        Assert.Equal(IPAddress.Parse(address), parsed.Address);
        Assert.Equal(port, parsed.Port);
        Assert.Equal(localhost, parsed.IsLocalhost);
        Assert.Equal(url.StartsWith("https", StringComparison.Ordinal), parsed.IsHttps);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:99999")]
    [InlineData("http://example.com:80")]
    public void Bad_urls_are_refused_with_a_reason(string url)
    {
        var error = Assert.Throws<FormatException>(() => ListenAddress.Parse(url));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }
}
