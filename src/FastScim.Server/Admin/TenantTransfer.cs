using System.IO.Pipelines;
using FastScim.Server.Handlers;
using FastScim.Server.Hosting;
using FastScim.Server.Routing;
using FastScim.Storage;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Admin;

/// <summary>
/// A tenant's resources in and out without a client connection, for <c>fastscim import</c> and
/// <c>fastscim export</c>: served on the admin socket while a server runs (the CLI must not
/// open the server's files, LiteDB #2163), and run in the CLI's own process over the files when
/// none does. Either way the same handlers run as for a client's request.
/// </summary>
/// <param name="origin">
/// Where the tenant is served, e.g. <c>http://127.0.0.1:8080</c>: the URLs the handlers write
/// (meta.location, <c>$ref</c>, Location) name it, as they would for a client that came there.
/// </param>
public sealed class TenantTransfer(TenantRegistry registry, TenantStoreCache stores, Uri origin, TextWriter errorLog)
{
    /// <summary>
    /// Runs a BulkRequest (RFC 7644 §3.7) in the tenant. Answers the status and body: 200 with the
    /// BulkResponse, or a SCIM error (§3.12) when the request as a whole is refused.
    /// </summary>
    public async Task<(int Status, byte[] Body)> BulkAsync(string tenant, ReadOnlyMemory<byte> bulkRequest, CancellationToken cancellationToken = default)
    {
        using var lease = await stores.AcquireAsync(tenant, cancellationToken).ConfigureAwait(false);
        return await ScimHandlers.RunBulkRequestAsync(Request(tenant, lease.Store, cancellationToken), bulkRequest).ConfigureAwait(false);
    }

    /// <summary>Writes every User, then every Group, of the tenant as one ListResponse (RFC 7644 §3.4.2) to <paramref name="output"/>.</summary>
    public async Task ExportAsync(string tenant, PipeWriter output, CancellationToken cancellationToken = default)
    {
        using var lease = await stores.AcquireAsync(tenant, cancellationToken).ConfigureAwait(false);
        await ScimHandlers.ExportAsync(Request(tenant, lease.Store, cancellationToken), output).ConfigureAwait(false);
    }

    /// <summary>The tenant's request as the handlers see it, as if a client had addressed <c>origin</c>.</summary>
    private ScimRequest Request(string tenant, ITenantStore store, CancellationToken cancellationToken)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        headers.Host = origin.Authority;
        var path = Paths.BasePath(tenant);
        var request = new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = origin.Scheme,
            Method = "GET",
            PathBase = "",
            Path = path,
            QueryString = "",
            RawTarget = path,
            Headers = headers,
        };
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        return new ScimRequest(features, request, Router.Match(path), tenant, store, registry.SettingsOf(tenant)) { ErrorLog = errorLog };
    }
}
