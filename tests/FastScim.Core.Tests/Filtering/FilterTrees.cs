using FastScim.Core.Filtering;

namespace FastScim.Core.Tests.Filtering;

/// <summary>Short constructors for expected trees.</summary>
internal static class FilterTrees
{
    public const string CoreUser = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public static AttributePath A(string name, string? sub = null, string? urn = null) => new(urn, name, sub);

    public static ComparisonFilter Cmp(AttributePath path, ComparisonOperator op, FilterValue value) => new(path, op, value);

    public static ComparisonFilter Eq(string name, string text) => new(A(name), ComparisonOperator.Eq, FilterValue.FromText(text));

    public static ComparisonFilter Co(string name, string text) => new(A(name), ComparisonOperator.Co, FilterValue.FromText(text));

    public static PresentFilter Pr(string name) => new(A(name));

    public static LogicalFilter And(FilterNode l, FilterNode r) => new(LogicalOperator.And, l, r);

    public static LogicalFilter Or(FilterNode l, FilterNode r) => new(LogicalOperator.Or, l, r);

    public static NotFilter Not(FilterNode inner) => new(inner);

    public static ValuePathFilter Vp(string name, FilterNode inner) => new(A(name), inner);

    public static FilterValue T(string text) => FilterValue.FromText(text);
}
