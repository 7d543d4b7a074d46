using System.Text;
using FastScim.Core.Bulk;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Bulk;

/// <summary>RFC 7644 §3.7: parsing a BulkRequest, its bulkId references and the order they impose.</summary>
public class BulkRequestTests
{
    private const string Urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    private static BulkRequest Parse(string json, int maxOperations = 1000) => BulkRequest.Parse(Encoding.UTF8.GetBytes(json), maxOperations);

    private static BulkOperation Post(int index, string bulkId, string data) =>
        new(index, "POST", bulkId, null, "/Groups", Encoding.UTF8.GetBytes(data));

    [Fact]
    public void Parses_the_rfc_example_with_case_insensitive_member_names()
    {
        var request = Parse($$"""
            {"Schemas":["{{Urn}}"],"FAILONERRORS":1,"operations":[
              {"method":"POST","path":"/Users","bulkId":"qwerty","data":{"userName":"Alice"} },
              {"Method":"PUT","Path":"/Users/b7c1","Version":"W/\"3694e05e\"","Data":{"userName":"Bob"} },
              {"method":"DELETE","path":"/Users/e9e3","version":"W/\"0ee8add0\""}]}
            """);

        Assert.Equal(1, request.FailOnErrors);
        Assert.Equal(3, request.Operations.Count);
        Assert.Equal("qwerty", request.Operations[0].BulkId);
        Assert.Equal("""{"userName":"Alice"}""", Encoding.UTF8.GetString(request.Operations[0].Data.Span));
        Assert.Equal("W/\"3694e05e\"", request.Operations[1].Version);
        Assert.Equal("/Users/b7c1", request.Operations[1].Path);
        Assert.False(request.Operations[2].HasData);
        Assert.Equal(2, request.Operations[2].Index);
    }

    [Theory]
    [InlineData("""{"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":0,"Operations":[]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[1]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":1}]}""")]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","bulkId":"a"},{"method":"POST","bulkId":"a"}]}""")]
    [InlineData("""{"schemas":""")]
    public void A_malformed_request_is_invalidSyntax(string json)
    {
        var error = Assert.Throws<ScimException>(() => Parse(json));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimType.InvalidSyntax, error.ScimType);
    }

    [Fact]
    public void More_operations_than_the_limit_is_413_naming_it()
    {
        var error = Assert.Throws<ScimException>(() => Parse($$"""{"schemas":["{{Urn}}"],"Operations":[{},{},{}]}""", maxOperations: 2));

        Assert.Equal(413, error.Status);
        Assert.Contains("maxOperations (2)", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void References_are_found_in_values_paths_and_filters_but_not_member_names()
    {
        var found = new List<string>();
        BulkReferences.Collect("""{"members":[{"value":"bulkId:a"}],"bulkId:x":"plain","m":{"value":"bulkId:b"}}"""u8, found);
        BulkReferences.Collect("/Groups/bulkId:c", found);
        BulkReferences.Collect("members[value eq \"bulkId:d\"]", found);

        Assert.Equal(["a", "b", "c", "d"], found);
    }

    [Fact]
    public void Substitution_replaces_references_and_escapes_the_ids()
    {
        var ids = new Dictionary<string, string> { ["a"] = "id-\"1\"", ["c"] = "id3" };

        var data = BulkReferences.Substitute(Encoding.UTF8.GetBytes("""{"members":[{"value":"bulkId:a"},{"value":"bulkId:b"}],"n":1.5e3,"t":true}"""), ids);
        var path = BulkReferences.Substitute("/Groups/bulkId:c", ids);

        Assert.Equal("""{"members":[{"value":"id-\"1\""},{"value":"bulkId:b"}],"n":1.5e3,"t":true}""", Encoding.UTF8.GetString(data.Span));
        Assert.Equal("/Groups/id3", path);
    }

    [Fact]
    public void Operations_run_after_the_posts_they_reference_whatever_the_request_order()
    {
        BulkOperation[] operations =
        [
            Post(0, "g", """{"members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}"""),
            Post(1, "u2", """{"manager":{"value":"bulkId:u1"}}"""),
            new(2, "PATCH", null, null, "/Groups/bulkId:g", Encoding.UTF8.GetBytes("{}")),
            Post(3, "u1", "{}"),
            Post(4, "free", "{}"),
        ];

        var graph = BulkIdGraph.Build(operations);

        Assert.Equal([3, 1, 0, 2, 4], graph.Order);
        Assert.Empty(graph.Cyclic);
        Assert.Equal(["u1", "u2"], graph.References[0]);
        Assert.Equal(["g"], graph.References[2]);
    }

    [Fact]
    public void Cycles_and_what_depends_on_them_come_last_and_are_marked()
    {
        BulkOperation[] operations =
        [
            Post(0, "a", """{"members":[{"value":"bulkId:b"}]}"""),
            Post(1, "b", """{"members":[{"value":"bulkId:a"}]}"""),
            Post(2, "c", """{"members":[{"value":"bulkId:a"}]}"""),
            Post(3, "self", """{"members":[{"value":"bulkId:self"}]}"""),
            Post(4, "d", "{}"),
        ];

        var graph = BulkIdGraph.Build(operations);

        Assert.Equal([4, 0, 1, 2, 3], graph.Order);
        Assert.Equal([0, 1, 2, 3], graph.Cyclic.Order());
    }

    [Fact]
    public void An_unknown_reference_imposes_no_order_and_is_not_declared()
    {
        BulkOperation[] operations = [Post(0, "g", """{"members":[{"value":"bulkId:nobody"}]}"""), Post(1, "u", "{}")];

        var graph = BulkIdGraph.Build(operations);

        Assert.Equal([0, 1], graph.Order);
        Assert.Equal(["nobody"], graph.References[0]);
        Assert.False(graph.Declarations.ContainsKey("nobody"));
        Assert.Equal(1, graph.Declarations["u"]);
    }

    [Fact]
    public void A_pending_manager_is_split_off_and_the_rest_is_kept()
    {
        var data = Encoding.UTF8.GetBytes("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"HR","Manager":{"value":"bulkId:b"}}}""");

        var (kept, manager) = CircularReferences.SplitManager(data, id => id == "b");

        Assert.Equal("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"HR"}}""", Encoding.UTF8.GetString(kept.Span));
        Assert.Equal("""{"value":"bulkId:b"}""", Encoding.UTF8.GetString(manager!.Value.Span));
    }

    [Theory]
    [InlineData("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"bulkId:done"}}""")]
    [InlineData("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"plain"}}}""")]
    [InlineData("""{"userName":"a"}""")]
    [InlineData("""{"userName":""")]
    public void Without_a_pending_manager_nothing_is_split(string json)
    {
        var data = Encoding.UTF8.GetBytes(json);

        var (kept, manager) = CircularReferences.SplitManager(data, id => id == "b");

        Assert.Null(manager);
        Assert.True(kept.Span.SequenceEqual(data));
    }

    [Fact]
    public void A_groups_members_that_refer_to_pending_bulkIds_are_split_off_for_a_later_PATCH()
    {
        var data = Encoding.UTF8.GetBytes("""{"displayName":"A","Members":[{"type":"Group","value":"bulkId:b"},{"value":"u-1"},{"value":"bulkId:done"}]}""");

        var (kept, later) = CircularReferences.SplitMembers(data, id => id == "b");

        Assert.Equal("""{"displayName":"A","Members":[{"value":"u-1"},{"value":"bulkId:done"}]}""", Encoding.UTF8.GetString(kept.Span));
        Assert.Equal("""[{"type":"Group","value":"bulkId:b"}]""", Encoding.UTF8.GetString(later!.Value.Span));
    }

    [Fact]
    public void Members_without_a_pending_reference_are_left_as_sent()
    {
        var data = Encoding.UTF8.GetBytes("""{"displayName":"A","members":[{"value":"bulkId:done"}]}""");

        var (kept, later) = CircularReferences.SplitMembers(data, id => id == "b");

        Assert.Null(later);
        Assert.True(kept.Span.SequenceEqual(data));
    }
}
