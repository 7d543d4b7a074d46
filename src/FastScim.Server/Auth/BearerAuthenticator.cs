using FastScim.Storage.Tenancy;

namespace FastScim.Server.Auth;

/// <summary>
/// Resolves <c>Authorization: Bearer …</c> (RFC 6750 §2.1) to the one tenant the token belongs to.
/// Every failure is the same answer, so a caller learns nothing about which tenants exist.
/// </summary>
internal sealed class BearerAuthenticator(TenantRegistry registry)
{
    public const string Challenge = "Bearer realm=\"FastScim\"";
    public const string FailureDetail = "Authentication failed: send 'Authorization: Bearer <token>' with a token issued for this tenant.";

    /// <summary>The tenant when the header carries a token of the tenant named in the URL; otherwise null.</summary>
    public string? Authenticate(string? authorizationHeader, ReadOnlySpan<char> tenantInPath)
    {
        var token = ExtractToken(authorizationHeader);
        if (token.IsEmpty)
        {
            return null;
        }

        var tenant = registry.Authenticate(token);
        return tenant is not null && tenantInPath.SequenceEqual(tenant) ? tenant : null;
    }

    /// <summary>The token of a well-formed Bearer header, or empty. The scheme is case-insensitive (RFC 9110 §11.1).</summary>
    public static ReadOnlySpan<char> ExtractToken(string? header)
    {
        if (header is null)
        {
            return default;
        }

        var value = header.AsSpan().Trim();
        const string Scheme = "Bearer";
        if (value.Length <= Scheme.Length + 1
            || !value[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase)
            || value[Scheme.Length] != ' ')
        {
            return default;
        }

        var token = value[(Scheme.Length + 1)..].Trim();

        // RFC 6750 §2.1 b64token: a token never contains whitespace.
        return token.IndexOfAny(' ', '\t') >= 0 ? default : token;
    }
}
