using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using static FastScim.Core.Tests.Filtering.FilterTrees;

namespace FastScim.Core.Tests.Filtering;

public class PatchPathParserTests
{
    public static TheoryData<string, PatchPath> Valid => new()
    {
        { "members", new PatchPath(A("members"), null, null) },
        { "name.givenName", new PatchPath(A("name", "givenName"), null, null) },
        { "emails[type eq \"work\"].value", new PatchPath(A("emails"), Eq("type", "work"), "value") },
        { "members[value eq \"2819c223-7f76-453a-919d-413861904646\"]", new PatchPath(A("members"), Eq("value", "2819c223-7f76-453a-919d-413861904646"), null) },
        { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", new PatchPath(A("manager", urn: EnterpriseUser), null, null) },
        { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", new PatchPath(A("manager", "value", EnterpriseUser), null, null) },
        { "urn:ietf:params:scim:schemas:core:2.0:User:userName", new PatchPath(A("userName", urn: CoreUser), null, null) },
        { "addresses[type eq \"work\"].streetAddress", new PatchPath(A("addresses"), Eq("type", "work"), "streetAddress") },
        { "emails[type eq \"other\"].Value", new PatchPath(A("emails"), Eq("type", "other"), "Value") },
        { "emails[type EQ \"a]b\" AND primary eq true]", new PatchPath(A("emails"), And(Eq("type", "a]b"), Cmp(A("primary"), ComparisonOperator.Eq, FilterValue.True)), null) },
        { "members[value eq 7f4bc1a3]", new PatchPath(A("members"), Eq("value", "7f4bc1a3"), null) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Each_example_path_parses_to_its_record(string path, PatchPath expected)
    {
        var parsed = PatchPathParser.Parse(path);

        Assert.Equal(expected, parsed);
        Assert.Equal(expected, PatchPathParser.Parse(parsed.ToString()));
    }

    public static TheoryData<string, ScimType, string> Invalid => new()
    {
        { "", ScimType.InvalidPath, "The PATCH path is empty; expected an attribute path at position 1." },
        { "emails[", ScimType.InvalidPath, "The '[' at position 7 is not closed with ']'." },
        { "emails[type eq \"work\"", ScimType.InvalidPath, "The '[' at position 7 is not closed with ']'." },
        { "emails[type eq \"work]\"", ScimType.InvalidPath, "The '[' at position 7 is not closed with ']'." },
        { ".value", ScimType.InvalidPath, "Expected an attribute name at position 1, found \".\"." },
        { "emails[type eq \"work\"].value.x", ScimType.InvalidPath, "An attribute name has only letters, digits, '-' and '_' (RFC 7643 §2.1), at position 29, found \".\"." },
        { "emails[type eq \"work\"]value", ScimType.InvalidPath, "Expected '.' and a sub-attribute, or the end of the path, at position 23, found \"v\"." },
        { "emails[type eq \"work\"].", ScimType.InvalidPath, "Expected an attribute name at position 24, found the end." },
        { "name.givenName[value pr]", ScimType.InvalidPath, "A value filter applies to a multi-valued attribute, not a sub-attribute; unexpected '[' at position 15." },
        { "user name", ScimType.InvalidPath, "An attribute name has only letters, digits, '-' and '_' (RFC 7643 §2.1), at position 5, found \" \"." },
        { "a.b.c", ScimType.InvalidPath, "An attribute path has at most one sub-attribute (RFC 7643 §2.3.8); unexpected '.' at position 4." },
        { "emails[]", ScimType.InvalidFilter, "Expected an attribute path, '(' or 'not (' at position 8, found the end of the filter." },
        { "emails[type eqq \"work\"]", ScimType.InvalidFilter, "Expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position 13, found \"eqq\"." },
        { "emails[type.value eq \"work\"]", ScimType.InvalidFilter, "A path inside '[ ]' names one sub-attribute; unexpected '.' at position 12." },
        { "emails[type eq \"work\"[", ScimType.InvalidPath, "The '[' at position 7 is not closed with ']'." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_malformed_path_is_a_400_of_the_RFC_type_naming_the_position(string path, ScimType type, string detail)
    {
        var e = Assert.Throws<ScimException>(() => PatchPathParser.Parse(path));

        Assert.Equal(400, e.Status);
        Assert.Equal(type, e.ScimType);
        Assert.Equal(detail, e.Detail);
    }

    [Fact]
    public void Strict_options_reach_the_value_filter()
    {
        Assert.Equal(new PatchPath(A("members"), Eq("value", "u1"), null), PatchPathParser.Parse("members[value eq u1]"));

        var e = Assert.Throws<ScimException>(() => PatchPathParser.Parse("members[value eq u1]", FilterParserOptions.Strict));
        Assert.Equal(ScimType.InvalidFilter, e.ScimType);
        Assert.Contains("at position 18", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_paths_are_invalidPath()
    {
        var e = Assert.Throws<ScimException>(() => PatchPathParser.Parse(new string('a', 5000)));

        Assert.Equal(ScimType.InvalidPath, e.ScimType);
        Assert.Equal("The PATCH path is 5000 characters long; at most 4096 are accepted.", e.Detail);
    }
}
