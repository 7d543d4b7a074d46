extern alias gen;

using gen::FastScim.Core.Schema;
using gen::FastScim.Generators.Parsing;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Tests.Parsing;

public class SchemaParsingTests
{
    [Fact]
    public void Reader_unescapes_strings_and_keeps_spans()
    {
        const string text = "\uFEFF{ \"a\\u00e9\\n\\\"\": [1, -2.5e3, true, false, null, \"x\"] }";
        var root = SchemaJsonReader.Parse(text);
        Assert.Equal(JsonKind.Object, root.Kind);
        var property = Assert.Single(root.Properties!);
        Assert.Equal("aé\n\"", property.Name);
        var items = property.Value.Items!;
        Assert.Equal(new[] { JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null, JsonKind.String }, items.Select(i => i.Kind));
        Assert.Equal("-2.5e3", items[1].Text);
        Assert.Equal("\"x\"", text.Substring(items[5].Span.Start, items[5].Span.Length));
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 8)]
    [InlineData("{\"a\": 01}", 7)]
    [InlineData("[1 2]", 3)]
    [InlineData("{} {}", 3)]
    [InlineData("\"abc", 4)]
    [InlineData("{\"a\": tru}", 6)]
    [InlineData("\"a\\qb\"", 2)]
    public void Reader_rejects_invalid_json_at_the_right_offset(string text, int offset)
    {
        var ex = Assert.Throws<JsonSyntaxException>(() => SchemaJsonReader.Parse(text));
        Assert.Equal(offset, ex.Position);
    }

    [Fact]
    public void Reader_limits_nesting_depth()
    {
        var text = new string('[', 65) + new string(']', 65);
        Assert.Throws<JsonSyntaxException>(() => SchemaJsonReader.Parse(text));
        var ok = new string('[', 64) + new string(']', 64);
        Assert.Equal(JsonKind.Array, SchemaJsonReader.Parse(ok).Kind);
    }

    [Fact]
    public void Parser_applies_RFC_7643_defaults_for_omitted_characteristics()
    {
        const string text = """{ "id": "urn:t", "name": "T", "attributes": [ { "name": "a", "type": "string" } ] }""";
        var parsed = SchemaParser.Parse("/t.json", SourceText.From(text));
        Assert.Empty(parsed.Diagnostics);
        var attribute = Assert.Single(parsed.Schema!.Attributes);
        Assert.False(attribute.MultiValued);
        Assert.False(attribute.Required);
        Assert.False(attribute.CaseExact);
        Assert.Equal(Mutability.ReadWrite, attribute.Mutability);
        Assert.Equal(Returned.Default, attribute.Returned);
        Assert.Equal(Uniqueness.None, attribute.Uniqueness);
        Assert.Empty(attribute.CanonicalValues);
        Assert.Equal(string.Empty, attribute.Description);
    }

    [Fact]
    public void Parsing_the_same_text_twice_gives_equal_models()
    {
        var text = File.ReadAllText(Path.Combine(Infrastructure.Paths.Schemas, "core", "User.json"));
        var first = SchemaParser.Parse("/u.json", SourceText.From(text));
        var second = SchemaParser.Parse("/u.json", SourceText.From(text));
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        var changed = SchemaParser.Parse("/u.json", SourceText.From(text.Replace("\"User Account\"", "\"Users\"", StringComparison.Ordinal)));
        Assert.NotEqual(first, changed);
    }

    [Theory]
    [InlineData("userName", true)]
    [InlineData("$ref", true)]
    [InlineData("x509Certificates", true)]
    [InlineData("user-name_2", true)]
    [InlineData("2fa", false)]
    [InlineData("user name", false)]
    [InlineData("", false)]
    [InlineData("ref$", false)]
    public void Attribute_names_follow_ATTRNAME(string name, bool valid)
        => Assert.Equal(valid, SchemaParser.IsAttributeName(name));
}
