using System.Net;
using System.Security.Cryptography.X509Certificates;
using FastScim.Server.Admin;
using FastScim.Server.Compatibility;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FastScim.Server.Hosting;

/// <summary>
/// A running FastScim server: Kestrel constructed directly (no generic host, no DI container on
/// the request path) with <see cref="ScimApplication"/> on the SCIM URLs and
/// <see cref="AdminApplication"/> on a Unix domain socket in the data directory.
/// </summary>
public sealed class ScimServer : IAsyncDisposable
{
    private readonly FileStream _lock;
    private readonly KestrelServer _scim;
    private readonly KestrelServer _admin;
    private readonly TenantStoreCache _stores;
    private readonly CompatibilityLog _compatibility;
    private readonly IdleCompaction _idleCompaction = new();
    private int _disposed;

    private ScimServer(FileStream dataLock, TenantRegistry registry, TenantStoreCache stores, CompatibilityLog compatibility, KestrelServer scim, KestrelServer admin, IReadOnlyList<string> addresses, string? firstToken)
    {
        _lock = dataLock;
        Registry = registry;
        _stores = stores;
        _compatibility = compatibility;
        _scim = scim;
        _admin = admin;
        Addresses = addresses;
        FirstTenantToken = firstToken;
    }

    /// <summary>The URLs the SCIM endpoints are served on, with the ports actually bound.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The token of the tenant made on the first start with an empty data directory; shown once, else null.</summary>
    public string? FirstTenantToken { get; }

    public TenantRegistry Registry { get; }

    /// <summary>
    /// Starts the server. Throws <see cref="InvalidOperationException"/> when another server
    /// holds the data directory.
    /// </summary>
    public static async Task<ScimServer> StartAsync(ScimServerOptions options, TextWriter errorLog, CancellationToken cancellationToken = default)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Core.Security.PasswordHash.Iterations = options.PasswordIterations;
        var dataLock = DataDirectory.TryLock(dataDirectory)
            ?? throw new InvalidOperationException($"Another FastScim process is using the data directory '{dataDirectory}'.");
        TenantRegistry? registry = null;
        TenantStoreCache? stores = null;
        CompatibilityLog? compatibility = null;
        try
        {
            registry = TenantRegistry.Open(dataDirectory);
            string? firstToken = null;
            if (registry.ListTenants().Count == 0)
            {
                firstToken = registry.CreateTenant(options.FirstTenant);
            }

            stores = registry.OpenStores(options.OpenTenantLimit);
            var addressesToBind = options.Urls.Select(ListenAddress.Parse).ToArray();
            var certificate = addressesToBind.Any(a => a.IsHttps) ? LoadCertificate(options) : null;
            // Built once, for both servers: composing it is most of what Kestrel adds to start-up.
            var kestrelServices = KestrelServices(https: certificate is not null);
            var scim = CreateKestrel(kestrelServices, o => Listen(o, addressesToBind, certificate));
            compatibility = new CompatibilityLog(registry, errorLog);
            await scim.StartAsync(new ScimApplication(registry, stores, compatibility, errorLog), cancellationToken).ConfigureAwait(false);

            var addresses = scim.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();
            var socket = DataDirectory.AdminSocket(dataDirectory);
            File.Delete(socket); // a stale socket of a dead server; we hold the lock, so no live one owns it
            var admin = CreateKestrel(kestrelServices, o => o.ListenUnixSocket(socket));
            var transfer = new TenantTransfer(registry, stores, new Uri(addresses[0]), errorLog);
            await admin.StartAsync(new AdminApplication(registry, stores, compatibility, transfer, errorLog), cancellationToken).ConfigureAwait(false);

            // Only the data directory's owner may administer tenants through the socket.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return new ScimServer(dataLock, registry, stores, compatibility, scim, admin, addresses, firstToken);
        }
        catch
        {
            if (compatibility is not null)
            {
                await compatibility.DisposeAsync().ConfigureAwait(false);
            }

            if (stores is not null)
            {
                await stores.DisposeAsync().ConfigureAwait(false);
            }

            registry?.Dispose();
            await dataLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void Listen(KestrelServerOptions options, ListenAddress[] addresses, X509Certificate2? certificate)
    {
        foreach (var address in addresses)
        {
            // HTTP/2 is negotiated by ALPN on https://; on cleartext http:// Kestrel cannot tell an
            // HTTP/2 preface from HTTP/1.1 on one port, so it serves HTTP/1.1 there.
            Action<ListenOptions> configure = address.IsHttps
                ? l =>
                {
                    l.Protocols = HttpProtocols.Http1AndHttp2;
                    l.UseHttps(certificate!);
                }
                : l => l.Protocols = HttpProtocols.Http1;
            if (address.IsLocalhost)
            {
                options.ListenLocalhost(address.Port, configure);
            }
            else
            {
                options.Listen(new IPEndPoint(address.Address, address.Port), configure);
            }
        }
    }

    /// <summary>
    /// Kestrel's services composed as ASP.NET composes them, never consulted on the request path.
    /// For the socket transport above all: built by hand, <c>SocketTransportFactory</c> rents
    /// every output buffer from the shared ArrayPool, which a 120 KB list response drained under
    /// load (a new array per 4 KB block and the GC work after it); composed here it gets Kestrel's
    /// pinned-block pool. With an https:// URL also the (internal) TLS configuration service
    /// UseHttps resolves, which only the slim host builder registers.
    /// </summary>
    private static IServiceProvider KestrelServices(bool https)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseSockets();
        if (https)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        return builder.Build().Services;
    }

    private static X509Certificate2 LoadCertificate(ScimServerOptions options)
    {
        if (options.CertificatePath is null || options.CertificateKeyPath is null)
        {
            throw new InvalidOperationException("An https:// URL needs --tls-cert and --tls-key (PEM files).");
        }

        using var pem = X509Certificate2.CreateFromPemFile(options.CertificatePath, options.CertificateKeyPath);

        // Re-import: an ephemeral PEM key cannot be used by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The SCIM base URL of a tenant on the first address served.</summary>
    public string BaseUrl(string tenant) => Addresses[0].TrimEnd('/') + Routing.Paths.BasePath(tenant);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _scim.StopAsync(timeout.Token).ConfigureAwait(false);
            await _admin.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        _scim.Dispose();
        _admin.Dispose();
        _idleCompaction.Dispose();
        await _stores.DisposeAsync().ConfigureAwait(false);
        await _compatibility.DisposeAsync().ConfigureAwait(false);
        Registry.Dispose();
        await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private static KestrelServer CreateKestrel(IServiceProvider services, Action<KestrelServerOptions> listen)
    {
        var options = new KestrelServerOptions
        {
            AddServerHeader = false,
            ApplicationServices = services,
        };

        // The handlers bound bodies themselves (413 with a SCIM error); Kestrel's own limit is a backstop.
        options.Limits.MaxRequestBodySize = 2 * Handlers.ScimHandlers.MaxBodySize;
        listen(options);
        var transport = options.ApplicationServices.GetRequiredService<IConnectionListenerFactory>();
        return new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
    }
}
