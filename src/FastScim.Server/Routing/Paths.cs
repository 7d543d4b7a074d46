namespace FastScim.Server.Routing;

/// <summary>The fixed segments of FastScim's URLs.</summary>
internal static class Paths
{
    /// <summary>What follows <c>/t/{tenant}</c> to make a tenant's SCIM base URL.</summary>
    public const string BaseSuffix = "/api/v1/scim/v2";
    public const string TenantPrefix = "/t/";
    public const string Search = ".search";

    /// <summary>The base URL of a tenant, relative to the host.</summary>
    public static string BasePath(string tenant) => TenantPrefix + tenant + BaseSuffix;
}
