using System.Globalization;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>
/// The comparison rules of RFC 7644 §3.4.2.2, in one place for the compiled query filters
/// (<see cref="FilterCompiler"/>) and the PATCH value filters (<c>ValueFilterEvaluator</c>):
/// <list type="bullet">
/// <item>strings compare ordinally, case-insensitively unless the attribute is caseExact;</item>
/// <item>integer and decimal compare as numbers, dateTime as instants;</item>
/// <item>boolean and binary take only eq/ne (ordering is 400 invalidFilter); co/sw/ew take strings only;</item>
/// <item><c>ne</c> is the negation of <c>eq</c>: an unassigned attribute is "not equal" to every value,
/// and a multi-valued attribute is "not equal" when none of its values is equal;</item>
/// <item><c>eq null</c> means "not present", <c>ne null</c> "present"; other operators reject null;</item>
/// <item>a compValue that cannot be read as the attribute's type (<c>meta.created eq "soon"</c>) equals nothing.</item>
/// </list>
/// </summary>
public static class FilterComparison
{
    /// <summary>Throws 400 invalidFilter when <paramref name="op"/> cannot compare an attribute of <paramref name="definition"/>'s type with <paramref name="value"/>.</summary>
    public static void EnsureSupported(ComparisonOperator op, FilterValue value, AttributeDefinition definition, string path)
    {
        if (value.Kind == FilterValueKind.Null)
        {
            if (op is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
            {
                throw Unsupported(op, definition, path);
            }

            return;
        }

        var supported = definition.Type switch
        {
            AttributeType.String or AttributeType.Reference => true,
            AttributeType.Binary => op is ComparisonOperator.Eq or ComparisonOperator.Ne or ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew,
            AttributeType.Boolean => op is ComparisonOperator.Eq or ComparisonOperator.Ne,
            AttributeType.Integer or AttributeType.Decimal or AttributeType.DateTime => !IsSubstring(op),
            _ => false,
        };
        if (!supported)
        {
            throw Unsupported(op, definition, path);
        }
    }

    public static bool IsSubstring(ComparisonOperator op) => op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew;

    /// <summary>A present string value against the compValue text; <paramref name="op"/> is not <c>ne</c> (callers negate <c>eq</c>), but <c>ne</c> is answered too.</summary>
    public static bool Text(string actual, ComparisonOperator op, string expected, bool caseExact)
    {
        var comparison = caseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return op switch
        {
            ComparisonOperator.Eq => string.Equals(actual, expected, comparison),
            ComparisonOperator.Ne => !string.Equals(actual, expected, comparison),
            ComparisonOperator.Co => actual.Contains(expected, comparison),
            ComparisonOperator.Sw => actual.StartsWith(expected, comparison),
            ComparisonOperator.Ew => actual.EndsWith(expected, comparison),
            _ => Order(string.Compare(actual, expected, comparison), op),
        };
    }

    /// <summary>The outcome of an ordering operator (or eq/ne) given actual.CompareTo(expected).</summary>
    public static bool Order(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => order == 0,
        ComparisonOperator.Ne => order != 0,
        ComparisonOperator.Gt => order > 0,
        ComparisonOperator.Ge => order >= 0,
        ComparisonOperator.Lt => order < 0,
        ComparisonOperator.Le => order <= 0,
        _ => false,
    };

    /// <summary>The compValue as the text a string attribute is compared with.</summary>
    public static string TextOf(FilterValue value) => value.Kind switch
    {
        FilterValueKind.True => "true",
        FilterValueKind.False => "false",
        _ => value.Text ?? "",
    };

    /// <summary>The compValue as a boolean: <c>true</c>/<c>false</c>, or a string "true"/"false" in any case; else null.</summary>
    public static bool? Boolean(FilterValue value) => value.Kind switch
    {
        FilterValueKind.True => true,
        FilterValueKind.False => false,
        FilterValueKind.Text when bool.TryParse(value.Text, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The compValue as a number (a JSON number, or a string holding one); else null.</summary>
    public static decimal? Number(FilterValue value) =>
        value.Kind is FilterValueKind.Number or FilterValueKind.Text
        && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    /// <summary>The compValue as an instant; else null.</summary>
    public static DateTimeOffset? DateTime(FilterValue value) => DateTime(value.Kind == FilterValueKind.Null ? null : value.Text);

    public static DateTimeOffset? DateTime(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;

    public static ScimException Unsupported(ComparisonOperator op, AttributeDefinition definition, string path) =>
        new(400, ScimType.InvalidFilter, $"The operator '{op.ToText()}' cannot compare the {definition.Type.ToString().ToLowerInvariant()} attribute '{path}'.");
}
