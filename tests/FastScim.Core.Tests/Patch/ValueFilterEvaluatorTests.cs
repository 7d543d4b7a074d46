using System.Text.Json.Nodes;
using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Tests.Patch;

/// <summary>The value-filter evaluator on one DOM element, with the schema's types and caseExact.</summary>
public class ValueFilterEvaluatorTests
{
    private static readonly AttributeDefinition Entries = new(
        "entries", AttributeType.Complex, multiValued: true, "", required: false, caseExact: false, Mutability.ReadWrite, Returned.Default, Uniqueness.None, [], [],
        [
            Sub("name", AttributeType.String, caseExact: false),
            Sub("code", AttributeType.String, caseExact: true),
            Sub("count", AttributeType.Integer, caseExact: false),
            Sub("score", AttributeType.Decimal, caseExact: false),
            Sub("at", AttributeType.DateTime, caseExact: false),
            Sub("flag", AttributeType.Boolean, caseExact: false),
        ]);

    private static readonly JsonObject Element = JsonNode.Parse("""
        {"name":"Barbara","code":"AbC","count":42,"score":1.5,"at":"2024-05-01T10:00:00+02:00","flag":"True"}
        """)!.AsObject();

    [Theory]
    [InlineData("name eq \"barbara\"", true)]
    [InlineData("name co \"RBA\"", true)]
    [InlineData("name sw \"bar\" and name ew \"ARA\"", true)]
    [InlineData("code eq \"abc\"", false)]
    [InlineData("code eq \"AbC\"", true)]
    [InlineData("code co \"b\"", true)]
    [InlineData("count gt 41 and count le 42", true)]
    [InlineData("count lt 42", false)]
    [InlineData("score ge 1.50", true)]
    [InlineData("at eq \"2024-05-01T08:00:00Z\"", true)]
    [InlineData("at gt \"2024-05-01T08:00:01Z\"", false)]
    [InlineData("flag eq true", true)]
    [InlineData("flag ne true", false)]
    [InlineData("not (flag eq false)", true)]
    [InlineData("code pr", true)]
    [InlineData("score eq 0 or name pr", true)]
    [InlineData("name eq null", false)]
    public void Compares_by_type_and_caseExact(string filter, bool expected)
    {
        Assert.Equal(expected, Match(FilterParser.Parse(filter)));
    }

    [Fact]
    public void An_absent_sub_attribute_is_not_present_and_equals_null()
    {
        var element = new JsonObject { ["name"] = "x" };

        Assert.True(Match("code eq null", element));
        Assert.False(Match("code pr", element));
        Assert.False(Match("code eq \"x\"", element));
    }

    [Fact]
    public void Ordering_a_boolean_is_invalidFilter()
    {
        var error = Assert.Throws<ScimException>(() => Match(FilterParser.Parse("flag gt true")));

        Assert.Equal(ScimType.InvalidFilter, error.ScimType);
    }

    [Fact]
    public void An_unknown_sub_attribute_is_invalidFilter()
    {
        Assert.Equal(ScimType.InvalidFilter, Assert.Throws<ScimException>(() => Match(FilterParser.Parse("nosuch eq 1"))).ScimType);
    }

    [Fact]
    public void An_eq_conjunction_is_a_template_and_anything_else_is_not()
    {
        var template = ValueFilterEvaluator.EqualityTemplate(FilterParser.Parse("name eq \"n\" and count eq 3 and flag eq true"), Entries);

        Assert.Equal("""{"name":"n","count":3,"flag":true}""", template!.ToJsonString());
        Assert.Null(ValueFilterEvaluator.EqualityTemplate(FilterParser.Parse("name eq \"n\" or count eq 3"), Entries));
        Assert.Null(ValueFilterEvaluator.EqualityTemplate(FilterParser.Parse("name co \"n\""), Entries));
    }

    private static bool Match(FilterNode filter) => ValueFilterEvaluator.Matches(filter, Element, Entries);

    private static bool Match(string filter, JsonObject element) => ValueFilterEvaluator.Matches(FilterParser.Parse(filter), element, Entries);

    private static AttributeDefinition Sub(string name, AttributeType type, bool caseExact) =>
        new(name, type, false, "", false, caseExact, Mutability.ReadWrite, Returned.Default, Uniqueness.None, [], [], []);
}
