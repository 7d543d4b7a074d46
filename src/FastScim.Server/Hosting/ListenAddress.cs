using System.Globalization;
using System.Net;

namespace FastScim.Server.Hosting;

/// <summary>A parsed <c>--urls</c> entry: <c>http://HOST:PORT</c> or <c>https://HOST:PORT</c>.</summary>
public readonly record struct ListenAddress(IPAddress Address, int Port, bool IsLocalhost, bool IsHttps = false)
{
    public static ListenAddress Parse(string url)
    {
        var isHttps = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!isHttps && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{url}' is not an http:// or https:// URL.");
        }

        var rest = url[(isHttps ? "https://" : "http://").Length..].TrimEnd('/');
        int colon = rest.LastIndexOf(':');
        if (colon < 0 || rest.EndsWith(']'))
        {
            throw new FormatException($"'{url}' names no port: write it as http://HOST:PORT.");
        }

        var host = rest[..colon];
        var portText = rest[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"'{portText}' in '{url}' is not a port number.");
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(IPAddress.Loopback, port, true, isHttps);
        }

        if (host is "*" or "+")
        {
            return new ListenAddress(IPAddress.Any, port, false, isHttps);
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new FormatException($"'{host}' in '{url}' is not an IP address or 'localhost'.");
        }

        return new ListenAddress(address, port, false, isHttps);
    }
}
