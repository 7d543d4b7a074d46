using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Compatibility;
using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>
/// Recursive descent over the filter ABNF of RFC 7644 §3.4.2.2 (Figure 1):
/// <code>
/// FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
/// valuePath = attrPath "[" valFilter "]"
/// valFilter = attrExp / logExp / *1"not" "(" valFilter ")"
/// attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
/// logExp    = FILTER SP ("and" / "or") SP FILTER
/// </code>
/// logExp is ambiguous as written; the precedence text of §3.4.2.2 ("not" over "and" over
/// "or", grouping first) resolves it, so the grammar is layered: or → and → unary, both
/// left-associative. Every "(", "not (" and "[" counts one nesting level against
/// <see cref="FilterParserOptions.MaxDepth"/> before the recursion descends, so hostile input
/// fails with 400 invalidFilter instead of overflowing the stack.
/// </summary>
internal ref struct FilterGrammar
{
    private const ScimType Error = ScimType.InvalidFilter;
    private const string EndName = "the end of the filter";

    private readonly FilterParserOptions _options;
    private FilterLexer _lexer;
    private int _depth;
    private ToleranceRule _tolerated;

    private FilterGrammar(ReadOnlySpan<char> input, int start, int end, FilterParserOptions options)
    {
        _lexer = new FilterLexer(input, start, end, Error);
        _options = options;
    }

    /// <summary>Parses input[start..end) as one whole filter.</summary>
    /// <param name="valueFilter">True for the valFilter of a PATCH path: relative paths, no value paths.</param>
    /// <param name="tolerated">The lenient readings the filter needed (<see cref="FilterParserOptions.Lenient"/>).</param>
    public static FilterNode Parse(ReadOnlySpan<char> input, int start, int end, bool valueFilter, FilterParserOptions options, out ToleranceRule tolerated)
    {
        var grammar = new FilterGrammar(input, start, end, options);
        var node = grammar.ParseOr(valueFilter);
        var next = grammar._lexer.Next();
        if (next.Kind != FilterTokenKind.End)
        {
            grammar.Expected(next.Kind == FilterTokenKind.CloseParen ? "'and', 'or' or the end of the filter (this ')' closes nothing)" : "'and', 'or' or the end of the filter", next);
        }

        tolerated = grammar._tolerated;
        return node;
    }

    private FilterNode ParseOr(bool inValue)
    {
        var left = ParseAnd(inValue);
        while (IsKeyword(_lexer.Peek(), "or"))
        {
            _lexer.Next();
            left = new LogicalFilter(LogicalOperator.Or, left, ParseAnd(inValue));
        }

        return left;
    }

    private FilterNode ParseAnd(bool inValue)
    {
        var left = ParseUnary(inValue);
        while (IsKeyword(_lexer.Peek(), "and"))
        {
            _lexer.Next();
            left = new LogicalFilter(LogicalOperator.And, left, ParseUnary(inValue));
        }

        return left;
    }

    private FilterNode ParseUnary(bool inValue)
    {
        var token = _lexer.Next();
        if (token.Kind == FilterTokenKind.OpenParen)
        {
            Enter(token);
            var inner = ParseOr(inValue);
            ExpectClose(FilterTokenKind.CloseParen, "'and', 'or' or ')'");
            _depth--;
            return inner;
        }

        if (token.Kind != FilterTokenKind.Word)
        {
            Expected("an attribute path, '(' or 'not ('", token);
        }

        // "not" is a keyword only before "("; otherwise it is an attribute name (ATTRNAME allows it).
        if (IsKeyword(token, "not") && _lexer.Peek().Kind == FilterTokenKind.OpenParen)
        {
            Enter(token);
            _lexer.Next();
            var inner = ParseOr(inValue);
            ExpectClose(FilterTokenKind.CloseParen, "'and', 'or' or ')'");
            _depth--;
            return new NotFilter(inner);
        }

        var path = AttributePathParser.Parse(_lexer.Input, token.Start, token.Length, inValue, Error);
        var next = _lexer.Peek();
        return next.Kind == FilterTokenKind.OpenBracket ? ParseValuePath(path, inValue) : ParseAttributeExpression(path);
    }

    // valuePath = attrPath "[" valFilter "]"
    private ValuePathFilter ParseValuePath(AttributePath path, bool inValue)
    {
        var open = _lexer.Next();
        if (inValue)
        {
            FilterErrors.Throw(Error, $"A value filter cannot contain another value path; unexpected '[' at position {open.Start + 1}.");
        }

        if (path.SubAttribute is not null)
        {
            // Sub-attributes are never multi-valued complex attributes (RFC 7643 §2.3.8).
            FilterErrors.Throw(Error, $"A value path filters a multi-valued attribute, not a sub-attribute; unexpected '[' at position {open.Start + 1}.");
        }

        Enter(open);
        var filter = ParseOr(inValue: true);
        var close = ExpectClose(FilterTokenKind.CloseBracket, "'and', 'or' or ']'");
        _depth--;

        // Entra sends emails[type eq "work"].value eq "x" as a filter. The ABNF has no "]."
        // in a FILTER (only PATCH's PATH has valuePath [subAttr], §3.5.2); in lenient mode it
        // reads as emails[type eq "work" and value eq "x"], which is what Entra means.
        var after = _lexer.Peek();
        if (after.Kind == FilterTokenKind.Word && after.Start == close.End && _lexer.Input[after.Start] == '.')
        {
            if (!_options.Lenient)
            {
                Expected("'and', 'or' or the end of the filter ('].subAttr' is PATCH path syntax, RFC 7644 §3.5.2)", after);
            }

            _tolerated |= ToleranceRule.ValuePathSubAttributeInFilter;
            _lexer.Next();
            var sub = AttributePathParser.Parse(_lexer.Input, after.Start + 1, after.Length - 1, bareName: true, Error);
            filter = new LogicalFilter(LogicalOperator.And, filter, ParseAttributeExpression(sub));
        }

        return new ValuePathFilter(path, filter);
    }

    // attrExp = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
    private FilterNode ParseAttributeExpression(AttributePath path)
    {
        var token = _lexer.Next();
        if (token.Kind == FilterTokenKind.Word)
        {
            var word = _lexer.Input.Slice(token.Start, token.Length);
            if (word.Equals("pr", StringComparison.OrdinalIgnoreCase))
            {
                return new PresentFilter(path);
            }

            if (ComparisonOperators.TryParse(word, out var op))
            {
                return new ComparisonFilter(path, op, ParseValue());
            }
        }

        Expected("a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)", token);
        return null!;
    }

    // compValue = false / null / true / number / string ; rules from JSON (RFC 7159)
    private FilterValue ParseValue()
    {
        var token = _lexer.Next();
        if (token.Kind == FilterTokenKind.String)
        {
            return FilterValue.FromText(token.Text!);
        }

        if (token.Kind == FilterTokenKind.Word)
        {
            var word = _lexer.Input.Slice(token.Start, token.Length);
            var literals = _options.Lenient ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (word.Equals("true", literals))
            {
                return Literal(word, "true", FilterValue.True);
            }

            if (word.Equals("false", literals))
            {
                return Literal(word, "false", FilterValue.False);
            }

            if (word.Equals("null", literals))
            {
                return Literal(word, "null", FilterValue.Null);
            }

            if (JsonNumber.IsValid(word))
            {
                return FilterValue.FromNumber(word.ToString());
            }

            if (_options.Lenient)
            {
                // Entra's documented externalId eq jyoung (IDP-BEHAVIOUR.md).
                _tolerated |= ToleranceRule.UnquotedFilterValue;
                return FilterValue.FromText(word.ToString());
            }
        }

        Expected("a value (a JSON string in quotes, a number, true, false or null)", token);
        return default;
    }

    private FilterValue Literal(ReadOnlySpan<char> word, string exact, FilterValue value)
    {
        if (!word.SequenceEqual(exact))
        {
            _tolerated |= ToleranceRule.FilterLiteralCase;
        }

        return value;
    }

    // Operators and keywords are case-insensitive (RFC 7644 §3.4.2.2).
    private readonly bool IsKeyword(FilterToken token, string keyword) =>
        token.Kind == FilterTokenKind.Word
        && _lexer.Input.Slice(token.Start, token.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private void Enter(FilterToken token)
    {
        if (++_depth > _options.MaxDepth)
        {
            FilterErrors.Throw(Error, $"The filter nests deeper than {_options.MaxDepth} levels of '(', 'not (' and '[' at position {token.Start + 1}.");
        }
    }

    private FilterToken ExpectClose(FilterTokenKind kind, string expected)
    {
        var token = _lexer.Next();
        if (token.Kind != kind)
        {
            Expected(expected, token);
        }

        return token;
    }

    [DoesNotReturn]
    private readonly void Expected(string expected, FilterToken found) =>
        FilterErrors.Expected(Error, expected, found.Start, FilterErrors.Describe(_lexer.Input, found, EndName));
}
