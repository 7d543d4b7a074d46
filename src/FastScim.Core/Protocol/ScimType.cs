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

    /// <summary>RFC 9865 §2.1: the cursor is not one this server issued for this query.</summary>
    InvalidCursor,

    /// <summary>RFC 9865 §2.1: the cursor has expired (never sent: these cursors do not expire).</summary>
    ExpiredCursor,

    /// <summary>RFC 9865 §2.1: the count is not between 1 and maxPageSize.</summary>
    InvalidCount,
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
        ScimType.InvalidCursor => "invalidCursor",
        ScimType.ExpiredCursor => "expiredCursor",
        ScimType.InvalidCount => "invalidCount",
        _ => null,
    };
}
