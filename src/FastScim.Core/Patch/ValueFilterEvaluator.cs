using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// Evaluates the value filter of a PATCH path (<c>emails[type eq "work"]</c>) against one value of
/// a multi-valued attribute in the JSON DOM, with the schema's types and caseExact
/// (RFC 7644 §3.4.2.2: strings compare case-insensitively unless caseExact; dateTime as instants).
/// </summary>
internal static class ValueFilterEvaluator
{
    public static bool Matches(FilterNode filter, JsonNode element, AttributeDefinition attribute) => filter switch
    {
        LogicalFilter { Operator: LogicalOperator.And } and => Matches(and.Left, element, attribute) && Matches(and.Right, element, attribute),
        LogicalFilter or => Matches(or.Left, element, attribute) || Matches(or.Right, element, attribute),
        NotFilter not => !Matches(not.Inner, element, attribute),
        PresentFilter present => IsPresent(Operand(element, attribute, present.Path, out _)),
        ComparisonFilter comparison => Compare(comparison, element, attribute),
        _ => throw new ScimException(400, ScimType.InvalidFilter, $"The filter '{filter}' cannot be used inside a value path of '{attribute.Name}'."),
    };

    /// <summary>
    /// The values an element must have to match <paramref name="filter"/> when the filter is a
    /// conjunction of <c>eq</c> comparisons (<c>type eq "work"</c>), so that an Entra add/replace
    /// matching nothing can create that element (RFC 7644 erratum 8097); null otherwise.
    /// </summary>
    public static JsonObject? EqualityTemplate(FilterNode filter, AttributeDefinition attribute)
    {
        var template = new JsonObject();
        return Collect(filter, attribute, template) ? template : null;
    }

    public static bool IsPresent(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Count > 0,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().Length > 0,
        JsonValue value => value.GetValueKind() != JsonValueKind.Null,
        _ => true,
    };

    private static bool Collect(FilterNode filter, AttributeDefinition attribute, JsonObject template)
    {
        switch (filter)
        {
            case LogicalFilter { Operator: LogicalOperator.And } and:
                return Collect(and.Left, attribute, template) && Collect(and.Right, attribute, template);
            case ComparisonFilter { Operator: ComparisonOperator.Eq } eq when eq.Value.Kind != FilterValueKind.Null:
                var sub = attribute.FindSubAttribute(eq.Path.Name);
                if (sub is null || eq.Path.SubAttribute is not null || sub.Mutability == Mutability.ReadOnly)
                {
                    return false;
                }

                template[sub.Name] = eq.Value.Kind switch
                {
                    FilterValueKind.True => JsonValue.Create(true),
                    FilterValueKind.False => JsonValue.Create(false),
                    FilterValueKind.Number => JsonNode.Parse(eq.Value.Text!),
                    _ => JsonValue.Create(eq.Value.Text),
                };
                return true;
            default:
                return false;
        }
    }

    private static JsonNode? Operand(JsonNode element, AttributeDefinition attribute, AttributePath path, out AttributeDefinition definition)
    {
        if (path.SubAttribute is not null || path.SchemaUrn is not null)
        {
            throw new ScimException(400, ScimType.InvalidFilter, $"'{path}' inside '{attribute.Name}[…]' must name one sub-attribute.");
        }

        // A multi-valued simple attribute has no sub-attributes: "value" is the element itself.
        if (attribute.Type != AttributeType.Complex)
        {
            if (!string.Equals(path.Name, "value", StringComparison.OrdinalIgnoreCase))
            {
                throw new ScimException(400, ScimType.InvalidFilter, $"'{attribute.Name}' has no sub-attribute '{path.Name}'.");
            }

            definition = attribute;
            return element;
        }

        definition = attribute.FindSubAttribute(path.Name)
            ?? throw new ScimException(400, ScimType.InvalidFilter, $"'{attribute.Name}' has no sub-attribute '{path.Name}'.");
        return element is JsonObject obj ? JsonDom.Get(obj, definition.Name) : null;
    }

    private static bool Compare(ComparisonFilter comparison, JsonNode element, AttributeDefinition attribute)
    {
        var node = Operand(element, attribute, comparison.Path, out var definition);
        var op = comparison.Operator;
        var value = comparison.Value;
        FilterComparison.EnsureSupported(op, value, definition, definition.Name);
        if (value.Kind == FilterValueKind.Null)
        {
            return (op == ComparisonOperator.Eq) != IsPresent(node);
        }

        if (!IsPresent(node))
        {
            // An unassigned attribute equals no value, so it is "not equal" to every value.
            return op == ComparisonOperator.Ne;
        }

        if (definition.Type is AttributeType.String or AttributeType.Reference or AttributeType.Binary)
        {
            var actual = JsonDom.Text(node!);
            return actual is null ? op == ComparisonOperator.Ne : FilterComparison.Text(actual, op, FilterComparison.TextOf(value), definition.CaseExact);
        }

        int? order = definition.Type switch
        {
            AttributeType.Boolean => FilterComparison.Boolean(value) is { } expected && JsonDom.Boolean(node!) is { } flag ? (flag == expected ? 0 : 1) : null,
            AttributeType.Integer or AttributeType.Decimal => FilterComparison.Number(value) is { } number ? JsonDom.Number(node!)?.CompareTo(number) : null,
            AttributeType.DateTime => FilterComparison.DateTime(value) is { } instant ? FilterComparison.DateTime(JsonDom.Text(node!))?.CompareTo(instant) : null,
            _ => null,
        };

        // A value not comparable with the attribute's type (a dateTime that does not parse) equals nothing.
        return order is null ? op == ComparisonOperator.Ne : FilterComparison.Order(order.Value, op);
    }
}
