using FastScim.Core.Filtering;
using FastScim.Storage.Planning;

namespace FastScim.Storage.Tests.Planning;

public class QueryPlannerTests
{
    private static QueryPlan Users(string filter) => QueryPlanner.Users.Plan(FilterParser.Parse(filter));

    private static QueryPlan Groups(string filter) => QueryPlanner.Groups.Plan(FilterParser.Parse(filter));

    private static string Shown(QueryPlan plan) => plan.ToString();

    [Theory]
    [InlineData("userName eq \"BJensen\"", "seek userName=bjensen")]
    [InlineData("USERNAME EQ \"BJENSEN\"", "seek userName=bjensen")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"bjensen\"", "seek userName=bjensen")]
    [InlineData("userName eq \"ΜSER\"", "seek userName=μser")]
    [InlineData("externalId eq \"Ab-1\"", "seek externalId=Ab-1")]
    [InlineData("externalId eq jyoung", "seek externalId=jyoung")]
    [InlineData("id eq \"2819c223\"", "seek id=2819c223")]
    [InlineData("emails.value eq \"A@Example.com\"", "seek emails.value=A@EXAMPLE.COM")]
    [InlineData("emails eq \"a@example.com\"", "seek emails.value=A@EXAMPLE.COM")]
    [InlineData("emails[value eq \"a@example.com\"]", "seek emails.value=A@EXAMPLE.COM")]
    [InlineData("emails[type eq \"work\" and value eq \"a@example.com\"]", "seek emails.value=A@EXAMPLE.COM")]
    [InlineData("userName eq \"A\" and title co \"x\"", "seek userName=a")]
    [InlineData("title co \"x\" and (active eq true and externalId eq \"e\")", "seek externalId=e")]
    [InlineData("userName eq \"a\" or userName eq \"B\"", "seek userName=a + userName=b")]
    [InlineData("userName eq \"a\" or userName eq \"A\"", "seek userName=a")]
    [InlineData("userName eq \"a\" or externalId eq \"b\" or emails[value eq \"c\"]", "seek userName=a + externalId=b + emails.value=C")]
    [InlineData("(userName eq \"a\" or userName eq \"b\") and externalId eq \"e\"", "seek externalId=e")]
    public void Equalities_on_indexed_user_attributes_seek(string filter, string plan) =>
        Assert.Equal(plan, Shown(Users(filter)));

    [Theory]
    [InlineData("userName ne \"a\"")]
    [InlineData("userName co \"a\"")]
    [InlineData("userName sw \"a\"")]
    [InlineData("userName pr")]
    [InlineData("userName eq null")]
    [InlineData("userName eq 5")]
    [InlineData("userName eq true")]
    [InlineData("displayName eq \"Babs\"")]
    [InlineData("title eq \"x\"")]
    [InlineData("emails.type eq \"work\"")]
    [InlineData("emails[type eq \"work\"]")]
    [InlineData("emails[type eq \"work\" or value eq \"a@example.com\"]")]
    [InlineData("not (userName eq \"a\")")]
    [InlineData("userName eq \"a\" or title eq \"x\"")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"7\"")]
    [InlineData("name.givenName eq \"Barbara\"")]
    public void Everything_else_on_users_scans(string filter) => Assert.True(Users(filter).IsScan, Shown(Users(filter)));

    [Theory]
    [InlineData("displayName eq \"Tour Guides\"", "seek displayName=TOUR GUIDES")]
    [InlineData("members.value eq \"2819c223\"", "seek members.value=2819C223")]
    [InlineData("members eq \"2819c223\"", "seek members.value=2819C223")]
    [InlineData("members[value eq \"2819c223\"]", "seek members.value=2819C223")]
    [InlineData("externalId eq \"G1\" and displayName co \"x\"", "seek externalId=G1")]
    [InlineData("id eq \"g\" or displayName eq \"d\"", "seek id=g + displayName=D")]
    public void Equalities_on_indexed_group_attributes_seek(string filter, string plan) =>
        Assert.Equal(plan, Shown(Groups(filter)));

    [Theory]
    [InlineData("displayName co \"Tour\"")]
    [InlineData("userName eq \"bjensen\"")]
    [InlineData("members.display eq \"Babs\"")]
    [InlineData("members.type eq \"User\"")]
    [InlineData("displayName eq \"a\" or members.display eq \"b\"")]
    public void Everything_else_on_groups_scans(string filter) => Assert.True(Groups(filter).IsScan, Shown(Groups(filter)));

    [Fact]
    public void No_filter_scans() => Assert.True(QueryPlanner.Users.Plan(null).IsScan);

    [Fact]
    public void Seeks_name_the_index_expressions_the_store_ensures()
    {
        var seek = Assert.Single(Users("emails.value eq \"x\"").Seeks!);
        Assert.Equal(new IndexSeek("emails.value", SeekTarget.Collection, "MAP($.emails[*] => UPPER(@.value))", "X"), seek);
        // userName is sought through its unique index (LOWER, the codec's), so the store keeps no second one.
        Assert.Equal(new IndexSeek("userName", SeekTarget.Unique, "LOWER($.userName)", "bjensen"), Assert.Single(Users("userName eq \"BJensen\"").Seeks!));
        Assert.Contains(ResourceCodecs.User.UniqueIndexes, i => i.Expression == "LOWER($.userName)");
        Assert.DoesNotContain(QueryPlanner.Users.Indexes, i => i.Expression.Contains("userName", StringComparison.Ordinal));
        Assert.Contains(QueryPlanner.Users.Indexes, i => i.Expression == "$.externalId");
        Assert.Contains(QueryPlanner.Users.Indexes, i => i.Expression == "MAP($.emails[*] => UPPER(@.value))");
        Assert.Contains(QueryPlanner.Groups.Indexes, i => i.Expression == "UPPER($.displayName)");
        Assert.Equal("UPPER($.value)", QueryPlanner.Groups.MembershipIndex);
    }
}
