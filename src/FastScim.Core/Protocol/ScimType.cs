namespace FastScim.Core.Protocol;

/// <summary>The "scimType" error keywords of RFC 7644 §3.12, Table 9.</summary>
public enum ScimType
{
    None,
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}

public static class ScimTypeNames
{
    /// <summary>The keyword as written on the wire, or null for <see cref="ScimType.None"/>.</summary>
    public static string? ToWire(this ScimType type) => type switch
    {
        ScimType.InvalidFilter => "invalidFilter",
        ScimType.TooMany => "tooMany",
        ScimType.Uniqueness => "uniqueness",
        ScimType.Mutability => "mutability",
        ScimType.InvalidSyntax => "invalidSyntax",
        ScimType.InvalidPath => "invalidPath",
        ScimType.NoTarget => "noTarget",
        ScimType.InvalidValue => "invalidValue",
        ScimType.InvalidVers => "invalidVers",
        ScimType.Sensitive => "sensitive",
        _ => null,
    };
}
