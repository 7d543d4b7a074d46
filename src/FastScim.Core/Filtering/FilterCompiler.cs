using System.Buffers;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>
/// Compiles a filter tree (RFC 7644 §3.4.2.2) into nested delegates over the generated
/// accessors — never <c>Expression.Compile</c>, which Native AOT only interprets. Every path is
/// resolved and every compValue parsed here, once; a compiled predicate only reads properties
/// and compares. The rules are those of <see cref="FilterComparison"/>, shared with PATCH.
/// Errors are 400 invalidFilter thrown at compile time: an attribute no schema defines, an
/// operator the attribute's type cannot take (<c>gt</c> on a boolean), a value path on an
/// attribute that is not multi-valued complex (docs/filtering.md).
/// </summary>
public static class FilterCompiler
{
    /// <summary>The predicate of <paramref name="filter"/> over Users.</summary>
    public static Func<User, bool> CompileUser(FilterNode filter) => Compile<User, UserAccessors>(filter);

    /// <summary>The predicate of <paramref name="filter"/> over Groups.</summary>
    public static Func<Group, bool> CompileGroup(FilterNode filter) => Compile<Group, GroupAccessors>(filter);

    /// <summary>The predicate of <paramref name="filter"/> over <typeparamref name="T"/>, read through <typeparamref name="TAccessors"/>.</summary>
    /// <exception cref="ScimException">400 invalidFilter.</exception>
    public static Func<T, bool> Compile<T, TAccessors>(FilterNode filter)
        where TAccessors : IScimAccessors<T> => Compile<T, TAccessors>(filter, unknownIsUnassigned: false);

    /// <summary>
    /// As <see cref="Compile{T, TAccessors}(FilterNode)"/>; with <paramref name="unknownIsUnassigned"/>,
    /// an attribute this resource type does not define is read as unassigned instead of refused:
    /// the root <c>/.search</c> (RFC 7644 §3.4.3) runs one filter over every resource type, and
    /// <c>userName eq "x" or displayName eq "y"</c> must find users and groups alike.
    /// </summary>
    public static Func<T, bool> Compile<T, TAccessors>(FilterNode filter, bool unknownIsUnassigned)
        where TAccessors : IScimAccessors<T>
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (unknownIsUnassigned && UnknownLeaf<T, TAccessors>(filter) is { } unassigned)
        {
            return unassigned;
        }

        return filter switch
        {
            LogicalFilter { Operator: LogicalOperator.And } and => And(Compile<T, TAccessors>(and.Left, unknownIsUnassigned), Compile<T, TAccessors>(and.Right, unknownIsUnassigned)),
            LogicalFilter or => Or(Compile<T, TAccessors>(or.Left, unknownIsUnassigned), Compile<T, TAccessors>(or.Right, unknownIsUnassigned)),
            NotFilter not => Not(Compile<T, TAccessors>(not.Inner, unknownIsUnassigned)),
            PresentFilter present => Present<T, TAccessors>(present.Path),
            ComparisonFilter comparison => Comparison<T, TAccessors>(comparison),
            ValuePathFilter valuePath => ValuePath<T, TAccessors>(valuePath),
            _ => throw new ScimException(400, ScimType.InvalidFilter, $"The filter '{filter}' is not supported."),
        };
    }

    /// <summary>For a leaf on an attribute the type lacks: its value on an unassigned attribute ("ne" and "eq null" hold, the rest do not).</summary>
    private static Func<T, bool>? UnknownLeaf<T, TAccessors>(FilterNode filter)
        where TAccessors : IScimAccessors<T>
    {
        var (path, holds) = filter switch
        {
            ComparisonFilter c => (c.Path, c.Operator == ComparisonOperator.Ne ^ c.Value.Kind == FilterValueKind.Null),
            PresentFilter p => (p.Path, false),
            ValuePathFilter v => (v.Path, false),
            _ => (null, false),
        };
        if (path is null || TAccessors.Definition(path) is not null)
        {
            return null;
        }

        return holds ? static _ => true : static _ => false;
    }

    private static Func<T, bool> And<T>(Func<T, bool> left, Func<T, bool> right) => v => left(v) && right(v);

    private static Func<T, bool> Or<T>(Func<T, bool> left, Func<T, bool> right) => v => left(v) || right(v);

    private static Func<T, bool> Not<T>(Func<T, bool> inner) => v => !inner(v);

    private static Func<T, bool> Present<T, TAccessors>(AttributePath path)
        where TAccessors : IScimAccessors<T>
    {
        Filterable(TAccessors.Definition(path), path);
        return TAccessors.Present(path) ?? throw Unknown(path);
    }

    /// <summary>The definition of a path a filter may name: defined, and not "returned: never" (a password must not be probed by filters).</summary>
    private static AttributeDefinition Filterable(AttributeDefinition? definition, AttributePath path)
    {
        if (definition is null)
        {
            throw Unknown(path);
        }

        if (definition.Returned == Returned.Never)
        {
            throw new ScimException(400, ScimType.InvalidFilter, $"The attribute '{path}' is never returned and cannot be used in a filter.");
        }

        return definition;
    }

    private static Func<T, bool> Comparison<T, TAccessors>(ComparisonFilter comparison)
        where TAccessors : IScimAccessors<T>
    {
        var path = comparison.Path;
        var definition = Filterable(TAccessors.Definition(path), path);
        var op = comparison.Operator;
        var value = comparison.Value;

        // RFC 7643 §2.4: a complex attribute without a sub-attribute stands for its "value".
        var leaf = definition;
        if (definition.Type == AttributeType.Complex)
        {
            leaf = definition.FindSubAttribute("value")
                ?? throw new ScimException(400, ScimType.InvalidFilter, $"The complex attribute '{path}' must be filtered by one of its sub-attributes, e.g. '{path}.{definition.SubAttributes[0].Name}' (RFC 7644 §3.4.2.2).");
            path = path with { SubAttribute = leaf.Name };
        }

        FilterComparison.EnsureSupported(op, value, leaf, path.ToString());
        if (value.Kind == FilterValueKind.Null)
        {
            // "eq null": no value; "ne null": some value (FilterComparison).
            var present = TAccessors.Present(path) ?? throw Unknown(path);
            return op == ComparisonOperator.Eq ? Not(present) : present;
        }

        // "ne" is "not eq": an absent attribute, or a multi-valued one none of whose values is equal, is "not equal".
        var positive = op == ComparisonOperator.Ne ? ComparisonOperator.Eq : op;
        var test = CreateTest(leaf, positive, value);
        var match = test is null ? static _ => false : TAccessors.Match(path, test) ?? throw Unknown(path);
        return op == ComparisonOperator.Ne ? Not(match) : match;
    }

    /// <summary>The typed test of one value, or null when the compValue cannot be read as the attribute's type (it equals nothing).</summary>
    private static ValueTest? CreateTest(AttributeDefinition definition, ComparisonOperator op, FilterValue value) => definition.Type switch
    {
        AttributeType.Boolean => FilterComparison.Boolean(value) is { } flag ? new BooleanTest(flag) : null,
        AttributeType.Integer or AttributeType.Decimal => FilterComparison.Number(value) is { } number ? new NumberTest(op, number) : null,
        AttributeType.DateTime => FilterComparison.DateTime(value) is { } instant ? new DateTimeTest(op, instant) : null,
        _ => op == ComparisonOperator.Co && !definition.CaseExact && FilterComparison.TextOf(value) is { Length: > 0 } needle
            ? new ContainsIgnoringCaseTest(needle)
            : new TextTest(op, FilterComparison.TextOf(value), definition.CaseExact),
    };

    private static Func<T, bool> ValuePath<T, TAccessors>(ValuePathFilter valuePath)
        where TAccessors : IScimAccessors<T>
    {
        var definition = Filterable(TAccessors.Definition(valuePath.Path), valuePath.Path);
        return TAccessors.MatchElements(valuePath.Path, new ElementCompiler(valuePath.Filter))
            ?? throw new ScimException(400, ScimType.InvalidFilter, $"'{valuePath.Path}[…]' needs a multi-valued complex attribute; '{definition.Name}' is not one.");
    }

    private static ScimException Unknown(AttributePath path) =>
        new(400, ScimType.InvalidFilter, $"The attribute '{path}' is not defined by the schemas of this resource type (RFC 7644 §3.4.2.2).");

    /// <summary>Compiles the filter inside <c>attr[…]</c> with the element type's own accessors.</summary>
    private sealed class ElementCompiler(FilterNode filter) : IElementPredicateFactory
    {
        public Func<TElement, bool> Create<TElement, TElementAccessors>(AttributeDefinition attribute)
            where TElementAccessors : IScimAccessors<TElement> => Compile<TElement, TElementAccessors>(filter);
    }

    private sealed class TextTest(ComparisonOperator op, string expected, bool caseExact) : ValueTest
    {
        public override bool Test(string? value) => value is not null && FilterComparison.Text(value, op, expected, caseExact);
    }

    /// <summary>
    /// <c>co</c> on a string that is not caseExact (RFC 7644 §3.4.2.2), the test a scan runs once per
    /// resource: the needle is prepared once as <see cref="SearchValues{T}"/> (vectorised), where
    /// <c>string.Contains(…, OrdinalIgnoreCase)</c> takes a slow path per call with invariant
    /// globalization (15% of a co scan's profile). Same ordinal ignore-case semantics.
    /// </summary>
    private sealed class ContainsIgnoringCaseTest(string expected) : ValueTest
    {
        private readonly SearchValues<string> _needle = SearchValues.Create([expected], StringComparison.OrdinalIgnoreCase);

        public override bool Test(string? value) => value is not null && value.AsSpan().IndexOfAny(_needle) >= 0;
    }

    private sealed class BooleanTest(bool expected) : ValueTest
    {
        public override bool Test(bool? value) => value == expected;
    }

    private sealed class NumberTest(ComparisonOperator op, decimal expected) : ValueTest
    {
        public override bool Test(long? value) => value.HasValue && FilterComparison.Order(((decimal)value.Value).CompareTo(expected), op);

        public override bool Test(decimal? value) => value.HasValue && FilterComparison.Order(value.Value.CompareTo(expected), op);
    }

    private sealed class DateTimeTest(ComparisonOperator op, DateTimeOffset expected) : ValueTest
    {
        public override bool Test(DateTimeOffset? value) => value.HasValue && FilterComparison.Order(value.Value.CompareTo(expected), op);
    }
}
