using System.Text;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Compatibility;

/// <summary>The lenient and strict profiles at the points where SCIM code applies a tolerance rule.</summary>
public class ToleranceTests
{
    private static List<ToleranceRule> Lenient(Action action)
    {
        var fired = new List<ToleranceRule>();
        Tolerance.Current = new ToleranceContext(strict: false, fired.Add);
        try
        {
            action();
        }
        finally
        {
            Tolerance.Current = null;
        }

        return fired;
    }

    private static ScimException Strict(Action action)
    {
        Tolerance.Current = new ToleranceContext(strict: true);
        try
        {
            return Assert.Throws<ScimException>(action);
        }
        finally
        {
            Tolerance.Current = null;
        }
    }

    [Fact]
    public void Every_rule_has_a_distinct_name_and_a_400_for_the_strict_profile()
    {
        Assert.Equal(15, ToleranceRules.All.Count);
        Assert.Equal(ToleranceRules.All.Count, ToleranceRules.All.Select(ToleranceRules.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ToleranceRules.All, rule =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", ToleranceRules.Name(rule));
            var error = ToleranceRules.StrictError(rule);
            Assert.Equal(400, error.Status);
            Assert.NotEqual(ScimType.None, error.ScimType);
            Assert.Contains("RFC 764", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Without_a_request_context_rules_apply_silently()
    {
        Tolerance.Current = null;

        var op = PatchRequest.Parse("""{"Operations":[{"op":"Replace","path":"active","value":"False"}]}"""u8);

        Assert.Equal(PatchOperationType.Replace, Assert.Single(op.Operations).Op);
    }

    [Fact]
    public void A_lenient_request_reports_each_rule_once_however_often_it_fires()
    {
        var fired = Lenient(() => PatchRequest.Parse("""{"Operations":[{"op":"Replace","path":"a","value":1},{"op":"Add","path":"b","value":2}]}"""u8));

        Assert.Equal([ToleranceRule.PatchWithoutSchemas, ToleranceRule.CapitalisedOp], fired);
    }

    [Fact]
    public void A_strict_request_gets_the_rules_RFC_error()
    {
        var error = Strict(() => PatchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"a","value":1}]}"""u8));

        Assert.Equal(ScimType.InvalidSyntax, error.ScimType);
        Assert.Contains("lower case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lower_case_ops_with_schemas_are_plain_RFC_and_fire_nothing()
    {
        Assert.Empty(Lenient(() => PatchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"a","value":1}]}"""u8)));
    }

    [Theory]
    [InlineData("""{"userName":"a","active":"True"}""", ToleranceRule.BooleanString)]
    [InlineData("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"boss"}}""", ToleranceRule.ManagerAsString)]
    public void The_generated_reader_applies_its_rules(string json, ToleranceRule rule)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Equal([rule], Lenient(() => UserJson.Read(bytes)));
        Assert.Equal(ToleranceRules.StrictError(rule).ScimType, Strict(() => UserJson.Read(bytes)).ScimType);
    }

    [Fact]
    public void Entras_tutorial_manager_add_resolves_the_unqualified_name_and_the_one_element_array()
    {
        var user = System.Text.Json.Nodes.JsonNode.Parse("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""")!.AsObject();
        var patch = PatchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"https://example.com/Users/m1","value":"m1"}]}]}"""u8);

        var fired = Lenient(() => PatchEngine.Apply(user, patch.Operations, ResourceSchema.User));

        Assert.Equal([ToleranceRule.UnqualifiedExtensionAttribute, ToleranceRule.SingleValueInArray], fired);
        Assert.Equal("m1", user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["manager"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void A_manager_string_reads_as_its_value()
    {
        var user = UserJson.Read("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"boss"}}"""u8);

        Assert.Equal("boss", user.EnterpriseUser?.Manager?.Value);
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"}""", ToleranceRule.None)]
    [InlineData("""{"SCHEMAS":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]}""", ToleranceRule.None)]
    [InlineData("""{"userName":"a"}""", ToleranceRule.MissingCoreSchema)]
    [InlineData("""{"schemas":["urn:scim:schemas:core:1.0"],"userName":"a"}""", ToleranceRule.MissingCoreSchema | ToleranceRule.UnregisteredSchemaUrn)]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:other"]}""", ToleranceRule.UnregisteredSchemaUrn)]
    [InlineData("""{"schemas":"urn:ietf:params:scim:schemas:core:2.0:User","userName":"a"}""", ToleranceRule.MissingCoreSchema)]
    [InlineData("""{"schemas":[7,{"x":1},"urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"schemas":["urn:x"]}}""", ToleranceRule.None)]
    public void Schemas_must_list_the_core_URN_and_registered_extensions_only(string json, ToleranceRule expected)
    {
        var fired = Lenient(() =>
        {
            // As the handlers do: the reader collects "schemas" while it reads the user.
            var schemas = new List<string>();
            UserJson.Read(Encoding.UTF8.GetBytes(json), schemas);
            ResourceBody.CheckSchemas(schemas, ResourceSchema.User);
        });

        Assert.Equal(expected, fired.Aggregate(ToleranceRule.None, (all, rule) => all | rule));
    }

    [Fact]
    public void A_body_that_failed_after_its_schemas_lends_none_to_the_next_body_read_on_its_thread()
    {
        // ResourceBody.Read keeps one schemas list a thread: a read that throws after collecting
        // the core URN must leave nothing for the next read, whose body lists no schema at all.
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => ResourceBody.Read(
            Encoding.UTF8.GetBytes("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"""), UserJson.Read, ResourceSchema.User));

        var fired = Lenient(() => ResourceBody.Read(Encoding.UTF8.GetBytes("""{"userName":"a"}"""), UserJson.Read, ResourceSchema.User));

        Assert.Equal([ToleranceRule.MissingCoreSchema], fired);
    }

    [Fact]
    public void A_cached_lenient_filter_is_still_refused_for_a_strict_request_and_counted_for_every_lenient_one()
    {
        var cache = new FilterCache();
        Assert.Equal([ToleranceRule.UnquotedFilterValue], Lenient(() => cache.GetOrParse("externalId eq jyoung")));
        Assert.Equal([ToleranceRule.UnquotedFilterValue], Lenient(() => cache.GetOrParse("externalId eq jyoung")));

        var error = Strict(() => cache.GetOrParse("externalId eq jyoung"));

        Assert.Equal(ScimType.InvalidFilter, error.ScimType);
        Assert.Equal(1, cache.Count);
    }

    [Theory]
    [InlineData("active eq True", ToleranceRule.FilterLiteralCase)]
    [InlineData("active eq true", ToleranceRule.None)]
    [InlineData("emails[type eq \"work\"].value eq \"x\"", ToleranceRule.ValuePathSubAttributeInFilter)]
    [InlineData("emails[type eq \"work\" and value eq \"x\"]", ToleranceRule.None)]
    [InlineData("userName eq bjensen", ToleranceRule.UnquotedFilterValue)]
    public void Filters_say_which_lenient_reading_they_needed(string filter, ToleranceRule expected)
    {
        FilterParser.Parse(filter, FilterParserOptions.Default, out var tolerated);

        Assert.Equal(expected, tolerated);
    }
}
