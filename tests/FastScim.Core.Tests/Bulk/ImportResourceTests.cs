using System.Text;
using FastScim.Core.Bulk;

namespace FastScim.Core.Tests.Bulk;

/// <summary>Classifying the resources of an import file (RFC 7643 §3: schemas; §3.1: meta.resourceType).</summary>
public class ImportResourceTests
{
    private static ImportResource Read(string json) => ImportResource.Read(Encoding.UTF8.GetBytes(json), "[0]");

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"}""", ImportKind.User)]
    [InlineData("""{"Schemas":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP"],"displayName":"a"}""", ImportKind.Group)]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","urn:ietf:params:scim:schemas:core:2.0:User"]}""", ImportKind.User)]
    [InlineData("""{"meta":{"resourceType":"Group"},"displayName":"a"}""", ImportKind.Group)]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"meta":{"resourceType":"User"}}""", ImportKind.Group)]
    [InlineData("""{"schemas":["urn:example:Device"]}""", ImportKind.Unknown)]
    [InlineData("""{"userName":"no schemas"}""", ImportKind.Unknown)]
    public void The_kind_comes_from_schemas_else_from_meta_resourceType(string json, ImportKind kind)
    {
        var resource = Read(json);

        Assert.Equal(kind, resource.Kind);
        Assert.Equal(kind == ImportKind.Unknown, resource.Problem is not null);
    }

    [Fact]
    public void Id_and_name_are_read_case_insensitively_for_messages()
    {
        var resource = Read("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"ID":"2819c223","USERNAME":"bjensen"}""");

        Assert.Equal("2819c223", resource.Id);
        Assert.Equal("bjensen", resource.Name);
        Assert.Equal("User 'bjensen' ([0], id 2819c223)", resource.ToString());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""{"userName":"a","userName":"b"}""")]
    public void A_resource_that_cannot_be_read_has_a_problem_not_an_exception(string json)
    {
        var resource = Read(json);

        Assert.Equal(ImportKind.Unknown, resource.Kind);
        Assert.NotNull(resource.Problem);
    }
}
