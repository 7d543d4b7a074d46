namespace FastScim.Core.Filtering;

/// <summary>How tolerant <see cref="FilterParser"/> is, and the bounds that keep it safe.</summary>
public sealed record FilterParserOptions
{
    /// <summary>The default profile: lenient, 4096 characters, depth 32.</summary>
    public static FilterParserOptions Default { get; } = new();

    /// <summary>Strict RFC 7644 §3.4.2.2 ABNF, same bounds.</summary>
    public static FilterParserOptions Strict { get; } = new() { Lenient = false };

    /// <summary>
    /// Accept what identity providers send beyond the ABNF (IDP-BEHAVIOUR.md): an unquoted word
    /// as a compValue (<c>externalId eq jyoung</c>), <c>True</c>/<c>FALSE</c>/<c>Null</c> in any
    /// case, and Entra's <c>emails[type eq "work"].value eq "x"</c>.
    /// </summary>
    public bool Lenient { get; init; } = true;

    /// <summary>Longest filter accepted, in UTF-16 characters.</summary>
    public int MaxLength { get; init; } = 4096;

    /// <summary>Deepest nesting of "(", "not (" and "[" accepted; each counts one level.</summary>
    public int MaxDepth { get; init; } = 32;
}
