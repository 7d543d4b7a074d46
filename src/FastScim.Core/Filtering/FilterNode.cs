namespace FastScim.Core.Filtering;

/// <summary>
/// The syntax tree of a SCIM filter (RFC 7644 §3.4.2.2). Produced by <c>FilterParser</c>;
/// evaluated by the filter compiler (queries) and by the PATCH engine (value paths).
/// <see cref="object.ToString"/> writes the canonical filter text, which parses back to an
/// equal tree.
/// </summary>
public abstract record FilterNode;

/// <summary><c>attrPath compareOp compValue</c>.</summary>
public sealed record ComparisonFilter(AttributePath Path, ComparisonOperator Operator, FilterValue Value) : FilterNode
{
    public override string ToString() => FilterWriter.Write(this);
}

/// <summary><c>attrPath pr</c>.</summary>
public sealed record PresentFilter(AttributePath Path) : FilterNode
{
    public override string ToString() => FilterWriter.Write(this);
}

/// <summary><c>filter and filter</c> / <c>filter or filter</c>.</summary>
public sealed record LogicalFilter(LogicalOperator Operator, FilterNode Left, FilterNode Right) : FilterNode
{
    public override string ToString() => FilterWriter.Write(this);
}

/// <summary><c>not ( filter )</c>.</summary>
public sealed record NotFilter(FilterNode Inner) : FilterNode
{
    public override string ToString() => FilterWriter.Write(this);
}

/// <summary>
/// <c>attrPath "[" valFilter "]"</c>, e.g. <c>emails[type eq "work" and value co "@example.com"]</c>:
/// true when one value of the multi-valued attribute matches <see cref="Filter"/>, whose paths are
/// relative to that value (sub-attribute names).
/// </summary>
public sealed record ValuePathFilter(AttributePath Path, FilterNode Filter) : FilterNode
{
    public override string ToString() => FilterWriter.Write(this);
}

public enum ComparisonOperator
{
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

public enum LogicalOperator
{
    And,
    Or,
}

public enum FilterValueKind
{
    /// <summary>A JSON string; also an unquoted word accepted in lenient mode (<c>externalId eq jyoung</c>).</summary>
    Text,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// A compValue (RFC 7644 §3.4.2.2): a JSON string (escapes already decoded), a number (kept as
/// its text, so that integer, decimal and dateTime comparisons decide how to read it),
/// <c>true</c>, <c>false</c> or <c>null</c>.
/// </summary>
public readonly record struct FilterValue(FilterValueKind Kind, string? Text)
{
    public static FilterValue Null => new(FilterValueKind.Null, null);
    public static FilterValue True => new(FilterValueKind.True, null);
    public static FilterValue False => new(FilterValueKind.False, null);

    public static FilterValue FromText(string text) => new(FilterValueKind.Text, text);

    public static FilterValue FromNumber(string text) => new(FilterValueKind.Number, text);

    /// <summary>The canonical compValue text: a JSON string in quotes, the number, or the literal.</summary>
    public override string ToString()
    {
        var builder = new System.Text.StringBuilder();
        FilterWriter.AppendValue(builder, this);
        return builder.ToString();
    }
}
