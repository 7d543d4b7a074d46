namespace FastScim.Core.Patch;

/// <summary>Per-call tolerance switches of <see cref="PatchEngine"/>.</summary>
public sealed record PatchOptions
{
    public static PatchOptions Default { get; } = new();

    /// <summary>
    /// Skip attributes the schema does not define instead of failing with 400 invalidPath. Entra
    /// PATCHes attributes a server may not model (<c>emails[type eq "work"].display</c>,
    /// IDP-BEHAVIOUR.md), so lenient tenants may turn this on.
    /// </summary>
    public bool IgnoreUnknownAttributes { get; init; }
}
