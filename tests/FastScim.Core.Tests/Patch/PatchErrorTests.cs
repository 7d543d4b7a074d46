using System.Text;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using static FastScim.Core.Tests.Patch.PatchFixtures;

namespace FastScim.Core.Tests.Patch;

/// <summary>RFC 7644 §3.12 errors of PATCH; each leaves the stored resource unchanged.</summary>
public class PatchErrorTests
{
    [Theory]
    [InlineData("""{"Operations":[{"op":"replace","path":"nosuch","value":"x"}]}""", "nosuch")]
    [InlineData("""{"Operations":[{"op":"replace","path":"name.nosuch","value":"x"}]}""", "name.nosuch")]
    [InlineData("""{"Operations":[{"op":"replace","value":{"nosuch":"x"}}]}""", "nosuch")]
    [InlineData("""{"Operations":[{"op":"replace","path":"urn:example:other:2.0:User:x","value":"x"}]}""", "urn:example:other:2.0:User:x")]
    [InlineData("""{"Operations":[{"op":"replace","path":"displayName[value eq \"x\"]","value":"x"}]}""", "single-valued")]
    public void Unknown_attributes_and_bad_targets_are_invalidPath(string body, string named)
    {
        var error = PatchFails(StoredUser(), body);

        Assert.Equal(ScimType.InvalidPath, error.ScimType);
        Assert.Contains(named, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_path_is_invalidPath()
    {
        var error = Assert.Throws<ScimException>(() => PatchRequest.Parse("""{"Operations":[{"op":"remove","path":"emails[type eq \"work\""}]}"""u8));

        Assert.Equal(ScimType.InvalidPath, error.ScimType);
    }

    [Fact]
    public void Remove_without_path_is_noTarget()
    {
        var error = Assert.Throws<ScimException>(() => PatchRequest.Parse("""{"Operations":[{"op":"remove"}]}"""u8));

        Assert.Equal(ScimType.NoTarget, error.ScimType);
    }

    [Fact]
    public void Sub_attribute_of_an_empty_multi_valued_attribute_is_noTarget()
    {
        var stored = StoredUser();
        stored.Remove("ims");

        Assert.Equal(ScimType.NoTarget, PatchFails(stored, """{"Operations":[{"op":"replace","path":"ims.type","value":"aim"}]}""").ScimType);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"replace","path":"id","value":"other"}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","value":{"id":"other"}}]}""")]
    [InlineData("""{"Operations":[{"op":"remove","path":"id"}]}""")]
    [InlineData("""{"Operations":[{"op":"add","path":"groups","value":[{"value":"g1"}]}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","path":"meta.version","value":"W/\"1\""}]}""")]
    [InlineData("""{"Operations":[{"op":"remove","path":"userName"}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","path":"userName","value":null}]}""")]
    public void ReadOnly_and_required_attributes_are_mutability_errors(string body)
    {
        Assert.Equal(ScimType.Mutability, PatchFails(StoredUser(), body).ScimType);
    }

    [Fact]
    public void An_immutable_member_value_cannot_be_changed_but_can_be_set_once()
    {
        var error = PatchFails(StoredGroup(), $$"""{"Operations":[{"op":"replace","path":"members[value eq \"{{Mandy}}\"].value","value":"other"}]}""", ResourceSchema.Group);
        Assert.Equal(ScimType.Mutability, error.ScimType);

        var same = ApplyPatch(StoredGroup(), $$"""{"Operations":[{"op":"replace","path":"members[value eq \"{{Mandy}}\"].value","value":"{{Mandy}}"}]}""", ResourceSchema.Group);
        Assert.Equal(StoredGroup().ToJsonString(), same.ToJsonString());

        var stored = StoredGroup();
        stored["members"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["type"] = "Group" });
        var set = ApplyPatch(stored, """{"Operations":[{"op":"add","path":"members[type eq \"Group\"].value","value":"v9"}]}""", ResourceSchema.Group);
        Assert.Equal("v9", (string?)set["members"]![2]!["value"]);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"replace","path":"name","value":["a"]}]}""")]
    [InlineData("""{"Operations":[{"op":"replace","path":"nickName","value":{"x":1}}]}""")]
    [InlineData("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"a","primary":true},{"value":"b","primary":true}]}]}""")]
    [InlineData("""{"Operations":[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"x"}}]}""")]
    public void Values_of_the_wrong_shape_are_invalidValue(string body)
    {
        Assert.Equal(ScimType.InvalidValue, PatchFails(StoredUser(), body).ScimType);
    }

    [Fact]
    public void Wrong_JSON_types_are_caught_by_the_generated_reader_as_invalidValue()
    {
        var dom = ApplyPatch(StoredUser(), """{"Operations":[{"op":"replace","path":"active","value":"maybe"}]}""");

        var error = Assert.Throws<ScimException>(() => ReadUser(dom));
        Assert.Equal(ScimType.InvalidValue, error.ScimType);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"op":"add","path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":"move","path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":"add","path":"title"}]}""")]
    [InlineData("""{"Operations":[{"path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":{"op":"add"}}""")]
    [InlineData("""{"Operations":[{"op":"add","path":7,"value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":"add","value":"not an object"}]}""")]
    [InlineData("""{"Operations":[""")]
    public void Malformed_bodies_are_invalidSyntax(string body)
    {
        var error = Assert.Throws<ScimException>(() => ApplyPatch(StoredUser(), body));

        Assert.Equal(ScimType.InvalidSyntax, error.ScimType);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void An_empty_Operations_array_says_why()
    {
        var error = Assert.Throws<ScimException>(() => PatchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}"""u8));

        Assert.Contains("one or more", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_1000_operations_are_refused()
    {
        var ops = string.Join(",", Enumerable.Repeat("""{"op":"add","path":"title","value":"x"}""", 1001));
        var error = Assert.Throws<ScimException>(() => PatchRequest.Parse(Encoding.UTF8.GetBytes("{\"Operations\":[" + ops + "]}")));

        Assert.Equal(ScimType.InvalidSyntax, error.ScimType);
        Assert.Equal(1000, PatchRequest.Parse(Encoding.UTF8.GetBytes("{\"Operations\":[" + string.Join(",", Enumerable.Repeat("""{"op":"add","path":"title","value":"x"}""", 1000)) + "]}")).Operations.Count);
    }

    [Fact]
    public void The_error_names_the_failing_operation()
    {
        var error = PatchFails(StoredUser(), """{"Operations":[{"op":"add","path":"title","value":"x"},{"op":"replace","path":"bogus","value":1}]}""");

        Assert.StartsWith("Operations[1] (replace bogus)", error.Detail, StringComparison.Ordinal);
    }
}
