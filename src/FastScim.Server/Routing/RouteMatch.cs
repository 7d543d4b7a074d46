namespace FastScim.Server.Routing;

internal enum RouteKind : byte
{
    /// <summary>The path is not under <c>/t/{tenant}/api/v1/scim/v2</c>.</summary>
    NotFound,

    /// <summary>Under a tenant's base URL, but no endpoint of RFC 7644 §3.2 is there.</summary>
    UnknownEndpoint,

    Matched,
}

/// <summary>
/// Where a request path points: offsets into the path (no substrings are made while routing)
/// for the tenant and the resource id, the endpoint, and whether it is a <c>.search</c> (RFC 7644 §3.4.3).
/// </summary>
internal readonly record struct RouteMatch(RouteKind Kind, Range Tenant, ScimEndpoint Endpoint, Range Id, bool Search)
{
    public static RouteMatch NotFound => default;

    public bool HasId => !Id.Equals(default(Range)) && Id.Start.Value != Id.End.Value;
}
