namespace FastScim.Storage.Tenancy;

/// <summary>Per-tenant choices where identity providers expect different, equally valid answers.</summary>
public sealed record TenantSettings
{
    public static TenantSettings Default { get; } = new();

    /// <summary>
    /// Answer a Group PATCH with 204 No Content instead of 200 and the group (RFC 7644 §3.5.2
    /// allows both). Entra ID's documentation expects 204 for groups; Okta accepts either.
    /// </summary>
    public bool GroupPatchNoContent { get; init; }

    /// <summary>
    /// The strict compatibility profile: every tolerance rule (<c>FastScim.Core.Compatibility.ToleranceRule</c>)
    /// becomes the RFC's 4xx. Off (lenient) by default, so every identity provider's documented
    /// shape is accepted.
    /// </summary>
    public bool StrictCompatibility { get; init; }
}
