namespace FastScim.Server.Routing;

/// <summary>The endpoints of RFC 7644 §3.2 under a tenant's base URL.</summary>
public enum ScimEndpoint : byte
{
    /// <summary>The base URL itself (only <c>POST /.search</c> is served there).</summary>
    Root,
    ServiceProviderConfig,
    ResourceTypes,
    Schemas,
    Users,
    Groups,
    Bulk,
}
