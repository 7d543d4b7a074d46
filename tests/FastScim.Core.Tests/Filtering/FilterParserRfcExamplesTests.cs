using FastScim.Core.Filtering;
using static FastScim.Core.Tests.Filtering.FilterTrees;

namespace FastScim.Core.Tests.Filtering;

/// <summary>Every example filter of RFC 7644 §3.4.2.2 ("Example filters"), in strict mode, with its exact tree.</summary>
public class FilterParserRfcExamplesTests
{
    public static TheoryData<string, FilterNode> Examples => new()
    {
        { "userName eq \"bjensen\"", Eq("userName", "bjensen") },
        { "name.familyName co \"O'Malley\"", Cmp(A("name", "familyName"), ComparisonOperator.Co, T("O'Malley")) },
        { "userName sw \"J\"", Cmp(A("userName"), ComparisonOperator.Sw, T("J")) },
        { "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"", Cmp(A("userName", urn: CoreUser), ComparisonOperator.Sw, T("J")) },
        { "title pr", Pr("title") },
        { "meta.lastModified gt \"2011-05-13T04:42:34Z\"", Cmp(A("meta", "lastModified"), ComparisonOperator.Gt, T("2011-05-13T04:42:34Z")) },
        { "meta.lastModified ge \"2011-05-13T04:42:34Z\"", Cmp(A("meta", "lastModified"), ComparisonOperator.Ge, T("2011-05-13T04:42:34Z")) },
        { "meta.lastModified lt \"2011-05-13T04:42:34Z\"", Cmp(A("meta", "lastModified"), ComparisonOperator.Lt, T("2011-05-13T04:42:34Z")) },
        { "meta.lastModified le \"2011-05-13T04:42:34Z\"", Cmp(A("meta", "lastModified"), ComparisonOperator.Le, T("2011-05-13T04:42:34Z")) },
        { "title pr and userType eq \"Employee\"", And(Pr("title"), Eq("userType", "Employee")) },
        { "title pr or userType eq \"Intern\"", Or(Pr("title"), Eq("userType", "Intern")) },
        { "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", Eq("schemas", EnterpriseUser) },
        {
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
            And(Eq("userType", "Employee"), Or(Co("emails", "example.com"), Cmp(A("emails", "value"), ComparisonOperator.Co, T("example.org"))))
        },
        {
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
            And(Cmp(A("userType"), ComparisonOperator.Ne, T("Employee")), Not(Or(Co("emails", "example.com"), Cmp(A("emails", "value"), ComparisonOperator.Co, T("example.org")))))
        },
        { "userType eq \"Employee\" and (emails.type eq \"work\")", And(Eq("userType", "Employee"), Cmp(A("emails", "type"), ComparisonOperator.Eq, T("work"))) },
        {
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            And(Eq("userType", "Employee"), Vp("emails", And(Eq("type", "work"), Co("value", "@example.com"))))
        },
        {
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
            Or(Vp("emails", And(Eq("type", "work"), Co("value", "@example.com"))), Vp("ims", And(Eq("type", "xmpp"), Co("value", "@foo.com"))))
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_RFC_example_parses_to_its_tree_in_strict_mode(string filter, FilterNode expected)
    {
        Assert.Equal(expected, FilterParser.Parse(filter, FilterParserOptions.Strict));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_RFC_example_round_trips_through_its_canonical_text(string filter, FilterNode expected)
    {
        var text = FilterParser.Parse(filter).ToString();

        Assert.Equal(expected, FilterParser.Parse(text, FilterParserOptions.Strict));
    }

    [Fact]
    public void The_enterprise_extension_urn_with_dots_is_split_at_the_last_colon()
    {
        var node = FilterParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"7\"");

        Assert.Equal(Cmp(A("employeeNumber", urn: EnterpriseUser), ComparisonOperator.Eq, T("7")), node);
    }

    [Fact]
    public void A_urn_path_keeps_its_sub_attribute()
    {
        var node = FilterParser.Parse("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr");

        Assert.Equal(new PresentFilter(A("name", "familyName", CoreUser)), node);
    }

    [Fact]
    public void Canonical_text_is_lower_case_and_minimally_parenthesised()
    {
        var node = FilterParser.Parse("(userType EQ \"Employee\") AND ((emails CO \"example.com\") OR NOT (title PR))");

        Assert.Equal("userType eq \"Employee\" and (emails co \"example.com\" or not (title pr))", node.ToString());
    }
}
