using System.Collections.Concurrent;

namespace FastScim.Server.Hosting;

/// <summary>
/// A tenant's SCIM base URL as clients address it (RFC 7643 §3.1 meta.location is absolute),
/// and its collections' URIs, composed once per (scheme, host, tenant) instead of per response.
/// The host comes from the client, so the cache is bounded: past <see cref="MaxEntries"/> it
/// starts over.
/// </summary>
internal static class BaseUrls
{
    private const int MaxEntries = 4096;

    private static readonly ConcurrentDictionary<(string Scheme, string Host, string Tenant), Entry> Cache = new();

    public static Entry For(string scheme, string host, string tenant)
    {
        if (Cache.TryGetValue((scheme, host, tenant), out var entry))
        {
            return entry;
        }

        if (Cache.Count >= MaxEntries)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd((scheme, host, tenant), static key => Compose(key.Scheme, key.Host, key.Tenant));
    }

    /// <summary>The URLs of a tenant on a host, composed (not cached: for a host the client did not name).</summary>
    public static Entry Compose(string scheme, string host, string tenant) =>
        Entry.Of(string.Concat(scheme, "://", host, Routing.Paths.BasePath(tenant)));

    /// <summary>The base URL, and each collection's URI with a trailing '/' (what an id is appended to).</summary>
    internal sealed record Entry(string BaseUrl, string Users, string Groups)
    {
        public static Entry Of(string baseUrl) => new(baseUrl, baseUrl + "/Users/", baseUrl + "/Groups/");
    }
}
