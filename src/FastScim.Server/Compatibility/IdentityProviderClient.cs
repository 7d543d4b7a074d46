namespace FastScim.Server.Compatibility;

/// <summary>
/// Which identity provider sent a request, for the compatibility report: from the User-Agent
/// (Okta's is <c>Okta SCIM Client 1.0.0</c>) and the request's shape (Entra ID keeps its
/// <c>aadOptscim062020</c> flag on the tenant URL), else the User-Agent's product token.
/// </summary>
internal static class IdentityProviderClient
{
    public const string Unknown = "unknown";
    private const int MaxLength = 40;

    public static string Recognise(string? userAgent, string? queryString)
    {
        if (userAgent is { Length: > 0 })
        {
            if (userAgent.Contains("Okta", StringComparison.OrdinalIgnoreCase))
            {
                return "Okta";
            }

            if (userAgent.Contains("OneLogin", StringComparison.OrdinalIgnoreCase))
            {
                return "OneLogin";
            }

            if (userAgent.Contains("Azure", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("Microsoft", StringComparison.OrdinalIgnoreCase) || userAgent.Contains("Entra", StringComparison.OrdinalIgnoreCase))
            {
                return "Entra ID";
            }
        }

        if (queryString is not null && queryString.Contains("aadOptscim062020", StringComparison.OrdinalIgnoreCase))
        {
            return "Entra ID";
        }

        if (userAgent is not { Length: > 0 })
        {
            return Unknown;
        }

        // "curl/8.5.0" → "curl"; "Mozilla/5.0 (…)" → "Mozilla": the product, not its details.
        var end = userAgent.AsSpan().IndexOfAny('/', ' ', '(');
        var product = (end > 0 ? userAgent[..end] : userAgent).Trim();
        return product.Length == 0 ? Unknown : product.Length > MaxLength ? product[..MaxLength] : product;
    }
}
