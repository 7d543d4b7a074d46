using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using static FastScim.Core.Tests.Filtering.FilterTrees;

namespace FastScim.Core.Tests.Filtering;

public class FilterParserTests
{
    private static ScimException Invalid(string filter, FilterParserOptions? options = null)
    {
        var e = Assert.Throws<ScimException>(() => FilterParser.Parse(filter, options));
        Assert.Equal(400, e.Status);
        Assert.Equal(ScimType.InvalidFilter, e.ScimType);
        return e;
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        Assert.Equal(Or(Pr("a"), And(Pr("b"), Pr("c"))), FilterParser.Parse("a pr or b pr and c pr"));
        Assert.Equal(Or(And(Pr("a"), Pr("b")), Pr("c")), FilterParser.Parse("a pr and b pr or c pr"));
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        Assert.Equal(And(Or(Pr("a"), Pr("b")), Pr("c")), FilterParser.Parse("(a pr or b pr) and c pr"));
    }

    [Fact]
    public void Logical_operators_are_left_associative_and_the_canonical_text_keeps_right_nesting()
    {
        Assert.Equal(And(And(Pr("a"), Pr("b")), Pr("c")), FilterParser.Parse("a pr and b pr and c pr"));
        var right = And(Pr("a"), And(Pr("b"), Pr("c")));

        Assert.Equal("a pr and (b pr and c pr)", right.ToString());
        Assert.Equal(right, FilterParser.Parse(right.ToString()));
    }

    [Fact]
    public void Not_applies_to_its_parenthesised_filter_only()
    {
        Assert.Equal(And(Not(Pr("a")), Pr("b")), FilterParser.Parse("not (a pr) and b pr"));
        Assert.Equal(Not(Pr("a")), FilterParser.Parse("not(a pr)"));
    }

    [Fact]
    public void Operators_keywords_and_literals_are_case_insensitive()
    {
        var node = FilterParser.Parse("NOT (userName EQ \"x\") And title Pr oR active Eq TRUE");

        Assert.Equal(Or(And(Not(Eq("userName", "x")), Pr("title")), Cmp(A("active"), ComparisonOperator.Eq, FilterValue.True)), node);
    }

    [Fact]
    public void Attribute_names_keep_the_client_spelling()
    {
        Assert.Equal(Eq("UserName", "x"), FilterParser.Parse("UserName eq \"x\""));
    }

    [Theory]
    [InlineData("eq", ComparisonOperator.Eq)]
    [InlineData("ne", ComparisonOperator.Ne)]
    [InlineData("co", ComparisonOperator.Co)]
    [InlineData("sw", ComparisonOperator.Sw)]
    [InlineData("ew", ComparisonOperator.Ew)]
    [InlineData("gt", ComparisonOperator.Gt)]
    [InlineData("GE", ComparisonOperator.Ge)]
    [InlineData("Lt", ComparisonOperator.Lt)]
    [InlineData("lE", ComparisonOperator.Le)]
    public void Every_comparison_operator_parses(string op, ComparisonOperator expected)
    {
        Assert.Equal(Cmp(A("x"), expected, T("v")), FilterParser.Parse($"x {op} \"v\""));
    }

    [Fact]
    public void All_json_escapes_are_decoded_and_written_back()
    {
        var node = FilterParser.Parse("x eq \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0001\"", FilterParserOptions.Strict);

        var expected = Eq("x", "q\" b\\ s/ \b\f\n\r\t \u00e9\u0001");
        Assert.Equal(expected, node);
        Assert.Equal("x eq \"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \u00e9\\u0001\"", node.ToString());
        Assert.Equal(expected, FilterParser.Parse(node.ToString(), FilterParserOptions.Strict));
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_one_character()
    {
        Assert.Equal(Eq("x", "😀"), FilterParser.Parse("x eq \"\\ud83d\\ude00\""));
    }

    [Theory]
    [InlineData("-1.5e3")]
    [InlineData("0")]
    [InlineData("42")]
    [InlineData("3.25")]
    [InlineData("1E+2")]
    [InlineData("-0.5e-7")]
    public void Numbers_follow_json_syntax_and_keep_their_text(string number)
    {
        var node = FilterParser.Parse($"x gt {number}", FilterParserOptions.Strict);

        Assert.Equal(Cmp(A("x"), ComparisonOperator.Gt, FilterValue.FromNumber(number)), node);
        Assert.Equal($"x gt {number}", node.ToString());
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e")]
    [InlineData("+1")]
    [InlineData("--1")]
    public void Malformed_numbers_are_rejected_in_strict_mode_and_are_text_in_lenient_mode(string word)
    {
        var e = Invalid($"x gt {word}", FilterParserOptions.Strict);
        Assert.Contains("Expected a value", e.Detail, StringComparison.Ordinal);
        Assert.Contains("at position 6", e.Detail, StringComparison.Ordinal);

        Assert.Equal(Cmp(A("x"), ComparisonOperator.Gt, T(word)), FilterParser.Parse($"x gt {word}"));
    }

    [Fact]
    public void True_false_and_null_are_literals()
    {
        Assert.Equal(Cmp(A("a"), ComparisonOperator.Eq, FilterValue.True), FilterParser.Parse("a eq true", FilterParserOptions.Strict));
        Assert.Equal(Cmp(A("a"), ComparisonOperator.Eq, FilterValue.False), FilterParser.Parse("a eq false", FilterParserOptions.Strict));
        Assert.Equal(Cmp(A("a"), ComparisonOperator.Eq, FilterValue.Null), FilterParser.Parse("a eq null", FilterParserOptions.Strict));
        Assert.Equal(Cmp(A("a"), ComparisonOperator.Eq, FilterValue.False), FilterParser.Parse("a eq False"));
        Invalid("a eq False", FilterParserOptions.Strict);
    }

    [Fact]
    public void An_unquoted_word_is_text_in_lenient_mode_and_an_error_in_strict_mode()
    {
        Assert.Equal(Eq("externalId", "jyoung"), FilterParser.Parse("externalId eq jyoung"));

        var e = Invalid("externalId eq jyoung", FilterParserOptions.Strict);
        Assert.Equal("Expected a value (a JSON string in quotes, a number, true, false or null) at position 15, found \"jyoung\".", e.Detail);
    }

    [Fact]
    public void Entra_value_path_with_sub_attribute_is_accepted_leniently_as_one_value_path()
    {
        var node = FilterParser.Parse("emails[type eq \"work\"].value eq \"user@contoso.com\"");

        Assert.Equal(Vp("emails", And(Eq("type", "work"), Eq("value", "user@contoso.com"))), node);
        Assert.Equal(node, FilterParser.Parse(node.ToString()));
    }

    [Fact]
    public void Entra_sub_attribute_after_an_or_value_filter_keeps_the_or_grouped()
    {
        var node = FilterParser.Parse("emails[type eq \"work\" or type eq \"home\"].value pr and userName pr");

        Assert.Equal(And(Vp("emails", And(Or(Eq("type", "work"), Eq("type", "home")), Pr("value"))), Pr("userName")), node);
        Assert.Equal("emails[(type eq \"work\" or type eq \"home\") and value pr] and userName pr", node.ToString());
    }

    [Fact]
    public void Entra_sub_attribute_must_touch_the_bracket()
    {
        var e = Invalid("emails[type eq \"work\"] .value eq \"x\"");

        Assert.Equal("Expected 'and', 'or' or the end of the filter at position 24, found \".value\".", e.Detail);
    }

    [Fact]
    public void Entra_value_path_with_sub_attribute_is_rejected_in_strict_mode()
    {
        var e = Invalid("emails[type eq \"work\"].value eq \"x\"", FilterParserOptions.Strict);

        Assert.Contains("at position 23", e.Detail, StringComparison.Ordinal);
        Assert.Contains("\".value\"", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_paths_nest_inside_logical_expressions_and_not()
    {
        var node = FilterParser.Parse("not (emails[type eq \"work\"]) or (userName pr and ims[value pr])");

        Assert.Equal(Or(Not(Vp("emails", Eq("type", "work"))), And(Pr("userName"), Vp("ims", Pr("value")))), node);
    }

    [Fact]
    public void Value_filters_allow_not_and_parentheses()
    {
        Assert.Equal(Vp("emails", Not(Or(Eq("type", "work"), Pr("primary")))), FilterParser.Parse("emails[not (type eq \"work\" or primary pr)]"));
    }

    [Fact]
    public void An_attribute_called_not_is_still_an_attribute()
    {
        Assert.Equal(Pr("not"), FilterParser.Parse("not pr"));
    }

    [Fact]
    public void Dollar_ref_is_an_attribute_name()
    {
        Assert.Equal(new PresentFilter(A("members", "$ref")), FilterParser.Parse("members.$ref pr"));
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "userName eqq \"x\"", "Expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 10, found \"eqq\"." },
        { "userName", "Expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 9, found the end of the filter." },
        { "", "Expected an attribute path, '(' or 'not (' at position 1, found the end of the filter." },
        { "   ", "Expected an attribute path, '(' or 'not (' at position 4, found the end of the filter." },
        { "userName eq", "Expected a value (a JSON string in quotes, a number, true, false or null) at position 12, found the end of the filter." },
        { "title pr \"x\"", "Expected 'and', 'or' or the end of the filter at position 10, found the string \"x\"." },
        { "title pr and", "Expected an attribute path, '(' or 'not (' at position 13, found the end of the filter." },
        { "(title pr", "Expected 'and', 'or' or ')' at position 10, found the end of the filter." },
        { "title pr)", "Expected 'and', 'or' or the end of the filter (this ')' closes nothing) at position 9, found \")\"." },
        { "not title pr", "Expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 5, found \"title\"." },
        { "emails[type eq \"work\"", "Expected 'and', 'or' or ']' at position 22, found the end of the filter." },
        { "emails[type eq \"work\" and value pr", "Expected 'and', 'or' or ']' at position 35, found the end of the filter." },
        { "a eq \"unterminated", "The string starting at position 6 is not closed with '\"'." },
        { "a eq \"bad \\q escape\"", "Unknown escape \\q at position 11; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX." },
        { "a eq \"\\u12\"", "Expected four hexadecimal digits after \\u at position 7." },
        { "a eq \"x\\ud800\"", "The string starting at position 6 escapes a lone surrogate, which is no Unicode character." },
        { "a eq \"\\udc00\\ud800\"", "The string starting at position 6 escapes a lone surrogate, which is no Unicode character." },
        { "a eq \"tab\there\"", "A control character (U+0009) must be escaped in a string, at position 10." },
        { "1abc pr", "An attribute name starts with a letter (RFC 7643 §2.1), at position 1, found \"1\"." },
        { "na*me pr", "An attribute name has only letters, digits, '-' and '_' (RFC 7643 §2.1), at position 3, found \"*\"." },
        { "name.given.family pr", "An attribute path has at most one sub-attribute (RFC 7643 §2.3.8); unexpected '.' at position 11." },
        { "name. pr", "Expected an attribute name at position 6, found \" \"." },
        { ":name pr", "Expected a schema URI before ':' at position 1." },
        { "emails[type[value pr]]", "A value filter cannot contain another value path; unexpected '[' at position 12." },
        { "emails[urn:x:type pr]", "A path inside '[ ]' names a sub-attribute and takes no schema URI, at position 8." },
        { "emails[type.x pr]", "A path inside '[ ]' names one sub-attribute; unexpected '.' at position 12." },
        { "name.givenName[value pr]", "A value path filters a multi-valued attribute, not a sub-attribute; unexpected '[' at position 15." },
        { "title pr value eq 1", "Expected 'and', 'or' or the end of the filter at position 10, found \"value\"." },
        { "] pr", "Expected an attribute path, '(' or 'not (' at position 1, found \"]\"." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_syntax_error_is_a_400_invalidFilter_naming_the_position(string filter, string detail)
    {
        Assert.Equal(detail, Invalid(filter).Detail);
    }

    [Fact]
    public void A_pr_takes_no_value()
    {
        var e = Invalid("title pr \"x\"");

        Assert.Contains("position 10", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_are_a_400_not_a_stack_overflow()
    {
        var filter = new string('(', 10_000) + "a pr" + new string(')', 10_000);

        var e = Assert.Throws<ScimException>(() => FilterParser.Parse(filter, new FilterParserOptions { MaxLength = 100_000 }));

        Assert.Equal(ScimType.InvalidFilter, e.ScimType);
        Assert.Equal("The filter nests deeper than 32 levels of '(', 'not (' and '[' at position 33.", e.Detail);
    }

    [Fact]
    public void Thirty_two_levels_parse_and_thirty_three_do_not()
    {
        var ok = string.Concat(Enumerable.Repeat("not (", 31)) + "emails[type pr]" + new string(')', 31);
        var node = FilterParser.Parse(ok);
        for (var i = 0; i < 31; i++)
        {
            node = Assert.IsType<NotFilter>(node).Inner;
        }

        Assert.Equal(Vp("emails", Pr("type")), node);

        Invalid("(" + ok + ")");
    }

    [Fact]
    public void Filters_over_4096_characters_are_rejected_before_parsing()
    {
        var atLimit = "a eq \"" + new string('x', 4096 - 7) + "\"";
        Assert.Equal(4096, atLimit.Length);
        Assert.IsType<ComparisonFilter>(FilterParser.Parse(atLimit));

        var e = Invalid(atLimit + " ");
        Assert.Equal("The filter is 4097 characters long; at most 4096 are accepted.", e.Detail);
    }

    [Fact]
    public void A_long_flat_chain_within_the_length_limit_parses_without_recursion_trouble()
    {
        var filter = string.Join(" and ", Enumerable.Repeat("a pr", 450));

        var node = FilterParser.Parse(filter);

        Assert.Equal(filter, node.ToString());
    }
}
