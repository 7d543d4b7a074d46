namespace FastScim.Server.Routing;

/// <summary>
/// Splits <c>/t/{tenant}/api/v1/scim/v2/{Endpoint}[/{id}|/.search]</c> on spans (RFC 7644 §3.2).
/// Endpoint names match case-insensitively; a trailing slash is tolerated.
/// </summary>
internal static class Router
{
    public static RouteMatch Match(ReadOnlySpan<char> path)
    {
        if (!path.StartsWith(Paths.TenantPrefix, StringComparison.Ordinal))
        {
            return RouteMatch.NotFound;
        }

        var afterPrefix = Paths.TenantPrefix.Length;
        var tenantLength = path[afterPrefix..].IndexOf('/');
        if (tenantLength <= 0)
        {
            return RouteMatch.NotFound;
        }

        var tenant = new Range(afterPrefix, afterPrefix + tenantLength);
        var afterTenant = afterPrefix + tenantLength;
        if (!path[afterTenant..].StartsWith(Paths.BaseSuffix, StringComparison.Ordinal))
        {
            return RouteMatch.NotFound;
        }

        var rest = path[(afterTenant + Paths.BaseSuffix.Length)..];
        var restStart = afterTenant + Paths.BaseSuffix.Length;
        if (rest.IsEmpty || rest.SequenceEqual("/"))
        {
            return new RouteMatch(RouteKind.Matched, tenant, ScimEndpoint.Root, default, false);
        }

        if (rest[0] != '/')
        {
            return RouteMatch.NotFound;
        }

        rest = rest[1..];
        restStart++;

        // A base URL entered with a trailing slash, joined naively by the client: ".../v2//Users".
        if (rest.StartsWith('/'))
        {
            rest = rest[1..];
            restStart++;
        }

        if (rest.EndsWith('/'))
        {
            rest = rest[..^1];
        }

        var slash = rest.IndexOf('/');
        var first = slash < 0 ? rest : rest[..slash];
        var second = slash < 0 ? ReadOnlySpan<char>.Empty : rest[(slash + 1)..];

        if (first.Equals(Paths.Search, StringComparison.Ordinal) && slash < 0)
        {
            return new RouteMatch(RouteKind.Matched, tenant, ScimEndpoint.Root, default, true);
        }

        if (!TryMatchEndpoint(first, out var endpoint) || second.Contains('/'))
        {
            return new RouteMatch(RouteKind.UnknownEndpoint, tenant, ScimEndpoint.Root, default, false);
        }

        if (second.IsEmpty)
        {
            return new RouteMatch(RouteKind.Matched, tenant, endpoint, default, false);
        }

        if (second.Equals(Paths.Search, StringComparison.Ordinal))
        {
            return endpoint is ScimEndpoint.Users or ScimEndpoint.Groups
                ? new RouteMatch(RouteKind.Matched, tenant, endpoint, default, true)
                : new RouteMatch(RouteKind.UnknownEndpoint, tenant, ScimEndpoint.Root, default, false);
        }

        if (endpoint is ScimEndpoint.ServiceProviderConfig or ScimEndpoint.Bulk)
        {
            return new RouteMatch(RouteKind.UnknownEndpoint, tenant, ScimEndpoint.Root, default, false);
        }

        var idStart = restStart + slash + 1;
        return new RouteMatch(RouteKind.Matched, tenant, endpoint, new Range(idStart, idStart + second.Length), false);
    }

    // Length first, then the comparison: most requests decide on one or two characters.
    private static bool TryMatchEndpoint(ReadOnlySpan<char> segment, out ScimEndpoint endpoint)
    {
        endpoint = segment.Length switch
        {
            4 when segment.Equals("Bulk", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.Bulk,
            5 when segment.Equals("Users", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.Users,
            6 when segment.Equals("Groups", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.Groups,
            7 when segment.Equals("Schemas", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.Schemas,
            13 when segment.Equals("ResourceTypes", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.ResourceTypes,
            21 when segment.Equals("ServiceProviderConfig", StringComparison.OrdinalIgnoreCase) => ScimEndpoint.ServiceProviderConfig,
            _ => ScimEndpoint.Root,
        };
        return endpoint != ScimEndpoint.Root;
    }

    /// <summary>The HTTP methods each endpoint serves, for 405 and its Allow header (RFC 9110 §15.5.6).</summary>
    public static string AllowedMethods(in RouteMatch route) => route switch
    {
        { Search: true } => "POST",
        { Endpoint: ScimEndpoint.Users or ScimEndpoint.Groups } when route.HasId => "GET, PUT, PATCH, DELETE",
        { Endpoint: ScimEndpoint.Users or ScimEndpoint.Groups } => "GET, POST",
        { Endpoint: ScimEndpoint.Bulk } => "POST",
        { Endpoint: ScimEndpoint.Root } => "",
        _ => "GET",
    };

    public static ScimVerb ParseVerb(string method) =>
        method switch
        {
            "GET" => ScimVerb.Get,
            "POST" => ScimVerb.Post,
            "PUT" => ScimVerb.Put,
            "PATCH" => ScimVerb.Patch,
            "DELETE" => ScimVerb.Delete,
            _ => ScimVerb.Other,
        };
}
