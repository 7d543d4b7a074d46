namespace FastScim.Core.Filtering;

/// <summary>compareOp of RFC 7644 §3.4.2.2: case-insensitive on input, lower case on output.</summary>
public static class ComparisonOperators
{
    public static bool TryParse(ReadOnlySpan<char> text, out ComparisonOperator op)
    {
        op = default;
        if (text.Length != 2)
        {
            return false;
        }

        Span<char> lower = stackalloc char[2];
        text.ToLowerInvariant(lower);
        ComparisonOperator? found = lower switch
        {
            "eq" => ComparisonOperator.Eq,
            "ne" => ComparisonOperator.Ne,
            "co" => ComparisonOperator.Co,
            "sw" => ComparisonOperator.Sw,
            "ew" => ComparisonOperator.Ew,
            "gt" => ComparisonOperator.Gt,
            "ge" => ComparisonOperator.Ge,
            "lt" => ComparisonOperator.Lt,
            "le" => ComparisonOperator.Le,
            _ => null,
        };
        op = found.GetValueOrDefault();
        return found.HasValue;
    }

    /// <summary>The canonical (lower-case) keyword.</summary>
    public static string ToText(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => "eq",
        ComparisonOperator.Ne => "ne",
        ComparisonOperator.Co => "co",
        ComparisonOperator.Sw => "sw",
        ComparisonOperator.Ew => "ew",
        ComparisonOperator.Gt => "gt",
        ComparisonOperator.Ge => "ge",
        ComparisonOperator.Lt => "lt",
        ComparisonOperator.Le => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
