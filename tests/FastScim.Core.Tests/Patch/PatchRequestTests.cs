using FastScim.Core.Patch;

namespace FastScim.Core.Tests.Patch;

public class PatchRequestTests
{
    [Fact]
    public void Member_names_and_ops_match_case_insensitively_and_schemas_may_be_missing()
    {
        var request = PatchRequest.Parse("""{"operations":[{"OP":"Add","Path":"nickName","Value":"a"},{"op":"REMOVE","path":"title"},{"op":"replace","value":{"x":1}}]}"""u8);

        Assert.Equal([PatchOperationType.Add, PatchOperationType.Remove, PatchOperationType.Replace], request.Operations.Select(o => o.Op));
        Assert.Equal("nickName", request.Operations[0].Path!.Attribute.Name);
        Assert.Null(request.Operations[2].Path);
        Assert.Equal(1, (int)request.Operations[2].Value!["x"]!);
    }

    [Fact]
    public void A_value_filter_path_is_parsed_by_the_shared_grammar()
    {
        var request = PatchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"x"}]}"""u8);

        var path = request.Operations[0].Path!;
        Assert.Equal("emails", path.Attribute.Name);
        Assert.NotNull(path.ValueFilter);
        Assert.Equal("value", path.SubAttribute);
    }

    [Fact]
    public void Values_are_detached_from_the_request_document()
    {
        var request = PatchRequest.Parse("""{"Operations":[{"op":"add","path":"emails","value":[{"value":"a"}]}]}"""u8);

        Assert.Null(request.Operations[0].Value!.Parent);
    }

    [Fact]
    public void Entra_remove_of_members_with_a_value_keeps_the_value()
    {
        var request = PatchRequest.Parse("""{"Operations":[{"op":"Remove","path":"members","value":[{"value":"u1091"}]}]}"""u8);

        Assert.Equal("u1091", (string?)request.Operations[0].Value![0]!["value"]);
    }
}
