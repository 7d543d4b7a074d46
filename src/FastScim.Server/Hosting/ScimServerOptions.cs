namespace FastScim.Server.Hosting;

/// <summary>How a FastScim server is started.</summary>
public sealed class ScimServerOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Where to listen, e.g. <c>http://127.0.0.1:8080</c>; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>The data directory: the registry, one LiteDB file per tenant, the admin socket.</summary>
    public string DataDirectory { get; init; } = "./data";

    /// <summary>The most tenants kept open at once (least recently used ones are closed).</summary>
    public int OpenTenantLimit { get; init; } = 256;

    /// <summary>PEM certificate (chain) for https:// URLs; HTTP/2 is negotiated there by ALPN.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; init; }

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (RFC 7643 §4.1.1 password; OWASP's figure by default).</summary>
    public int PasswordIterations { get; init; } = Core.Security.PasswordHash.DefaultIterations;

    /// <summary>The tenant created on the first start with an empty data directory.</summary>
    public string FirstTenant { get; init; } = "default";
}
