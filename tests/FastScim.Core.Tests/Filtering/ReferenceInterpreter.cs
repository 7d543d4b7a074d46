using System.Globalization;
using System.Text.Json;
using FastScim.Core.Filtering;
using FastScim.Core.Schema;

namespace FastScim.Core.Tests.Filtering;

/// <summary>
/// A deliberately naive filter evaluator over a resource's JSON (as the generated writer writes
/// it), written apart from <see cref="FilterCompiler"/>: it walks <see cref="JsonElement"/>s by
/// name, collects every value a path reaches and compares them one by one. It shares only the
/// schema tables and the documented rules (docs/filtering.md), never code, with the compiler.
/// Throws <see cref="InvalidFilter"/> where the compiler must answer 400 invalidFilter.
/// </summary>
internal sealed class ReferenceInterpreter(SchemaDefinition core, IReadOnlyList<SchemaDefinition> extensions)
{
    public static ReferenceInterpreter ForUsers { get; } = new(ScimSchemas.User, [ScimSchemas.EnterpriseUser]);

    public static ReferenceInterpreter ForGroups { get; } = new(ScimSchemas.Group, []);

    public sealed class InvalidFilter(string message) : Exception(message);

    /// <summary>A resolved attribute: its type, caseExact, sub-attributes, and the JSON values found.</summary>
    private sealed record Attr(AttributeType Type, bool CaseExact, bool MultiValued, IReadOnlyList<AttributeDefinition> Subs, List<JsonElement> Values);

    public bool Evaluate(FilterNode filter, JsonElement resource) => Eval(filter, resource, element: null);

    private bool Eval(FilterNode filter, JsonElement scope, AttributeDefinition? element)
    {
        switch (filter)
        {
            case LogicalFilter l:
                // evaluate both sides so that an invalid right-hand side throws however the left came out
                var left = Eval(l.Left, scope, element);
                var right = Eval(l.Right, scope, element);
                return l.Operator == LogicalOperator.And ? left && right : left || right;
            case NotFilter n:
                return !Eval(n.Inner, scope, element);
            case PresentFilter p:
                return Resolve(p.Path, scope, element).Values.Exists(HasValue);
            case ComparisonFilter c:
                return Compare(c, Resolve(c.Path, scope, element));
            case ValuePathFilter v:
                if (element is not null)
                {
                    throw new InvalidFilter("nested value path");
                }

                var definition = Definition(v.Path) ?? throw new InvalidFilter("unknown " + v.Path);
                if (definition.Type != AttributeType.Complex || !definition.MultiValued || v.Path.SubAttribute is not null)
                {
                    throw new InvalidFilter("not multi-valued complex");
                }

                var items = Resolve(v.Path, scope, null).Values;

                // evaluate the inner filter on an empty object too, so that errors surface even without values
                using (var empty = JsonDocument.Parse("{}"))
                {
                    Eval(v.Filter, empty.RootElement, definition);
                }

                return items.Exists(item => item.ValueKind == JsonValueKind.Object && Eval(v.Filter, item, definition));
            default:
                throw new InvalidFilter("unknown node");
        }
    }

    private AttributeDefinition? Definition(AttributePath path)
    {
        var schema = SchemaOf(path.SchemaUrn);
        var attribute = schema?.FindAttribute(path.Name);
        return attribute;
    }

    private SchemaDefinition? SchemaOf(string? urn)
    {
        if (urn is null || string.Equals(urn, core.Id, StringComparison.OrdinalIgnoreCase))
        {
            return core;
        }

        return extensions.FirstOrDefault(e => string.Equals(e.Id, urn, StringComparison.OrdinalIgnoreCase));
    }

    private Attr Resolve(AttributePath path, JsonElement scope, AttributeDefinition? element)
    {
        if (element is not null)
        {
            if (path.SchemaUrn is not null || path.SubAttribute is not null)
            {
                throw new InvalidFilter("qualified path inside brackets");
            }

            var sub = element.SubAttributes.FirstOrDefault(s => Same(s.Name, path.Name)) ?? throw new InvalidFilter("unknown sub " + path);
            return new Attr(sub.Type, sub.CaseExact, false, [], Collect(Property(scope, sub.Name)));
        }

        var isCore = path.SchemaUrn is null || Same(path.SchemaUrn, core.Id);
        if (isCore && path.SubAttribute is null && (Same(path.Name, "id") || Same(path.Name, "externalId")))
        {
            return new Attr(AttributeType.String, true, false, [], Collect(Property(scope, path.Name)));
        }

        if (isCore && path.SubAttribute is null && Same(path.Name, "schemas"))
        {
            return new Attr(AttributeType.Reference, false, true, [], Collect(Property(scope, "schemas")));
        }

        if (isCore && Same(path.Name, "meta"))
        {
            var meta = Property(scope, "meta");
            if (path.SubAttribute is null)
            {
                return new Attr(AttributeType.Complex, false, false, [], Collect(meta));
            }

            var (type, caseExact) = path.SubAttribute.ToUpperInvariant() switch
            {
                "CREATED" or "LASTMODIFIED" => (AttributeType.DateTime, false),
                "RESOURCETYPE" or "VERSION" => (AttributeType.String, true),
                "LOCATION" => (AttributeType.Reference, true),
                _ => throw new InvalidFilter("unknown meta." + path.SubAttribute),
            };
            return new Attr(type, caseExact, false, [], Collect(meta is { ValueKind: JsonValueKind.Object } m ? Property(m, path.SubAttribute) : null));
        }

        var schema = SchemaOf(path.SchemaUrn) ?? throw new InvalidFilter("unknown schema " + path.SchemaUrn);
        var attribute = schema.FindAttribute(path.Name) ?? throw new InvalidFilter("unknown " + path);
        if (attribute.Returned == Returned.Never)
        {
            throw new InvalidFilter("never returned " + path);
        }

        var container = schema == core ? (JsonElement?)scope : Property(scope, schema.Id);
        var value = container is { ValueKind: JsonValueKind.Object } c ? Property(c, attribute.Name) : null;
        if (path.SubAttribute is null)
        {
            return new Attr(attribute.Type, attribute.CaseExact, attribute.MultiValued, attribute.SubAttributes, Collect(value));
        }

        var subAttribute = attribute.SubAttributes.FirstOrDefault(s => Same(s.Name, path.SubAttribute)) ?? throw new InvalidFilter("unknown " + path);
        var values = new List<JsonElement>();
        foreach (var item in Collect(value))
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                values.AddRange(Collect(Property(item, subAttribute.Name)));
            }
        }

        return new Attr(subAttribute.Type, subAttribute.CaseExact, attribute.MultiValued, [], values);
    }

    private static bool Compare(ComparisonFilter c, Attr attr)
    {
        var type = attr.Type;
        var caseExact = attr.CaseExact;
        var values = attr.Values;
        if (type == AttributeType.Complex)
        {
            var value = attr.Subs.FirstOrDefault(s => Same(s.Name, "value")) ?? throw new InvalidFilter("complex without value");
            type = value.Type;
            caseExact = value.CaseExact;
            values = values.Where(v => v.ValueKind == JsonValueKind.Object).SelectMany(v => Collect(Property(v, value.Name))).ToList();
        }

        var op = c.Operator;
        var ordering = op is ComparisonOperator.Gt or ComparisonOperator.Ge or ComparisonOperator.Lt or ComparisonOperator.Le;
        var substring = op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew;
        if (c.Value.Kind == FilterValueKind.Null && (ordering || substring))
        {
            throw new InvalidFilter("null with " + op);
        }

        if ((type == AttributeType.Boolean && (ordering || substring))
            || (type == AttributeType.Binary && ordering)
            || (type is AttributeType.Integer or AttributeType.Decimal or AttributeType.DateTime && substring))
        {
            throw new InvalidFilter(op + " on " + type);
        }

        if (c.Value.Kind == FilterValueKind.Null)
        {
            var any = values.Exists(HasValue);
            return op == ComparisonOperator.Eq ? !any : any;
        }

        if (op == ComparisonOperator.Ne)
        {
            return !values.Exists(v => One(v, ComparisonOperator.Eq, c.Value, type, caseExact));
        }

        return values.Exists(v => One(v, op, c.Value, type, caseExact));
    }

    private static bool One(JsonElement actual, ComparisonOperator op, FilterValue expected, AttributeType type, bool caseExact)
    {
        switch (type)
        {
            case AttributeType.Boolean:
            {
                bool? want = expected.Kind == FilterValueKind.True ? true
                    : expected.Kind == FilterValueKind.False ? false
                    : expected.Kind == FilterValueKind.Text && expected.Text!.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
                    : expected.Kind == FilterValueKind.Text && expected.Text!.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                    : null;
                return want is not null && actual.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.GetBoolean() == want;
            }

            case AttributeType.Integer or AttributeType.Decimal:
            {
                if (actual.ValueKind != JsonValueKind.Number || expected.Text is null
                    || !decimal.TryParse(expected.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var want))
                {
                    return false;
                }

                return Ordered(actual.GetDecimal().CompareTo(want), op);
            }

            case AttributeType.DateTime:
            {
                if (actual.ValueKind != JsonValueKind.String || expected.Text is null
                    || !DateTimeOffset.TryParse(expected.Text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var want)
                    || !DateTimeOffset.TryParse(actual.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var have))
                {
                    return false;
                }

                return Ordered(have.UtcTicks.CompareTo(want.UtcTicks), op);
            }

            default:
            {
                if (actual.ValueKind != JsonValueKind.String || actual.GetString() is not { Length: > 0 } have)
                {
                    return false;
                }

                var want = expected.Kind switch
                {
                    FilterValueKind.True => "true",
                    FilterValueKind.False => "false",
                    _ => expected.Text!,
                };
                if (!caseExact)
                {
                    have = have.ToUpperInvariant();
                    want = want.ToUpperInvariant();
                }

                return op switch
                {
                    ComparisonOperator.Eq => have == want,
                    ComparisonOperator.Co => have.Contains(want, StringComparison.Ordinal),
                    ComparisonOperator.Sw => have.StartsWith(want, StringComparison.Ordinal),
                    ComparisonOperator.Ew => have.EndsWith(want, StringComparison.Ordinal),
                    _ => Ordered(string.CompareOrdinal(have, want), op),
                };
            }
        }
    }

    private static bool Ordered(int order, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => order == 0,
        ComparisonOperator.Gt => order > 0,
        ComparisonOperator.Ge => order >= 0,
        ComparisonOperator.Lt => order < 0,
        ComparisonOperator.Le => order <= 0,
        _ => throw new InvalidOperationException(op.ToString()),
    };

    /// <summary>RFC 7644 "pr": a value that is not null, "", [] or an object with nothing present inside.</summary>
    private static bool HasValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Array => value.EnumerateArray().Any(HasValue),
        JsonValueKind.Object => value.EnumerateObject().Any(p => HasValue(p.Value)),
        _ => true,
    };

    /// <summary>A value as the list of its values: an array's elements, or itself; nothing for absent or null.</summary>
    private static List<JsonElement> Collect(JsonElement? value)
    {
        if (value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }

        return v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null)] : [v];
    }

    private static JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (Same(property.Name, name))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
