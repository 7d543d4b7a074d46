using FastScim.Core.Protocol;
using FastScim.Server.Routing;
using FastScim.Storage;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace FastScim.Server.Hosting;

/// <summary>One authenticated SCIM request: its features, where it was routed, and its tenant's store.</summary>
internal sealed class ScimRequest
{
    private Dictionary<string, StringValues>? _query;
    private BaseUrls.Entry? _urls;
    private SearchRequest? _search;
    private string? _client;
    private (Core.Patch.ResourceSchema Schema, Core.Protocol.AttributeProjection? Projection)? _projection;

    public ScimRequest(IFeatureCollection features, IHttpRequestFeature request, RouteMatch route, string tenant, ITenantStore store, TenantSettings settings)
    {
        Settings = settings;
        Features = features;
        Request = request;
        Route = route;
        Tenant = tenant;
        Store = store;
    }

    public IFeatureCollection Features { get; }
    public IHttpRequestFeature Request { get; }
    public RouteMatch Route { get; }
    public string Tenant { get; }
    public ITenantStore Store { get; }
    public TenantSettings Settings { get; }

    /// <summary>Where the compatibility rules this request needs are counted (null: not counted).</summary>
    public Compatibility.CompatibilityLog? CompatibilityLog { get; init; }

    /// <summary>The body being served, while it is held (an example for the compatibility report).</summary>
    public Io.RequestBody? Body { get; set; }

    /// <summary>The identity provider that sent the request, for the compatibility report.</summary>
    public string Client
    {
        get => _client ??= Compatibility.IdentityProviderClient.Recognise(Request.Headers.UserAgent.ToString(), Request.QueryString);
        init => _client = value;
    }

    /// <summary>A Bulk operation's place in the writer's queue (RFC 7644 §3.7 order); null for a single request.</summary>
    public Handlers.WriteTurn? WriteTurn { get; init; }

    /// <summary>
    /// A Bulk operation run as its own request: its answer is read for the status, location and
    /// version, and for its body only when it failed (RFC 7644 §3.7.3: "response" MUST be there for
    /// a failure; for normal completion the server MAY omit it, and the BulkResponse does), so a
    /// success sends no body instead of rendering one.
    /// </summary>
    public bool SuccessBodyUnused { get; init; }

    /// <summary>Where unexpected failures are logged (a Bulk operation's own 500 goes there too).</summary>
    public TextWriter ErrorLog { get; init; } = TextWriter.Null;

    /// <summary>
    /// The query's parameters: a POST to .search sets them from its body (RFC 7644 §3.4.3);
    /// otherwise they come from the query string, read on first use.
    /// </summary>
    public SearchRequest Search
    {
        get => _search ??= SearchRequest.FromQuery(Query);
        set
        {
            _search = value;
            _projection = null;
        }
    }

    /// <summary>
    /// RFC 7644 §3.4.2.5 / §3.9: the attributes the client asked for, for resources of
    /// <paramref name="schema"/>; parsed once per request (a group request asks whether members are
    /// returned, then writes the answer).
    /// </summary>
    public Core.Protocol.AttributeProjection? Projection(Core.Patch.ResourceSchema schema)
    {
        if (_projection is not { } known || !ReferenceEquals(known.Schema, schema))
        {
            // Without a query string (and no .search body) nothing is asked for: every write's
            // response would otherwise read an empty query into a SearchRequest first.
            var search = _search ?? (HasQuery ? Search : null);
            known = (schema, search is null ? null : Core.Protocol.AttributeProjection.Parse(search.Attributes, search.ExcludedAttributes, schema));
            _projection = known;
        }

        return known.Projection;
    }

    public ReadOnlySpan<char> Id => Request.Path.AsSpan()[Route.Id];

    public string IdString => Request.Path[Route.Id];

    /// <summary>The tenant's absolute SCIM base URL as the client addressed it, for meta.location (RFC 7643 §3.1).</summary>
    public string BaseUrl => Urls.BaseUrl;

    public CancellationToken Aborted => Features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;

    /// <summary>Whether the request has a query string with anything after its '?'.</summary>
    private bool HasQuery => Request.QueryString.Length > 1;

    /// <summary>A query parameter, matched case-insensitively; unknown parameters are ignored (Entra's <c>?aadOptscim062020</c>).</summary>
    public string? Query(string name)
    {
        if (!HasQuery)
        {
            return null;
        }

        _query ??= QueryHelpers.ParseQuery(Request.QueryString);
        return _query.TryGetValue(name, out var values) ? values.ToString() : null;
    }

    /// <summary>The URI of the collection of <paramref name="endpoint"/> ("/Users" or "/Groups") with a trailing '/'.</summary>
    public string CollectionUrl(string endpoint) =>
        endpoint == "/Users" ? Urls.Users : endpoint == "/Groups" ? Urls.Groups : string.Concat(BaseUrl, endpoint, "/");

    private BaseUrls.Entry Urls => _urls ??= ComposeUrls();

    private BaseUrls.Entry ComposeUrls()
    {
        var host = Request.Headers.Host.ToString();
        if (host.Length > 0)
        {
            return BaseUrls.For(Request.Scheme, host, Tenant);
        }

        var connection = Features.Get<IHttpConnectionFeature>();
        host = connection?.LocalIpAddress is { } address ? $"{address}:{connection.LocalPort}" : "localhost";
        return BaseUrls.Compose(Request.Scheme, host, Tenant);
    }
}
