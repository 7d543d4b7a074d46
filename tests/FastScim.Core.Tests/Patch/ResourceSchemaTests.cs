using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Patch;

public class ResourceSchemaTests
{
    [Theory]
    [InlineData("userName", null, "userName", null)]
    [InlineData("USERNAME", null, "userName", null)]
    [InlineData("name.GIVENNAME", null, "name", "givenName")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", null, "name", "givenName")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "employeeNumber", null)]
    [InlineData("URN:IETF:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value")]
    [InlineData("id", null, "id", null)]
    [InlineData("meta.version", null, "meta", "version")]
    public void Resolves_paths_case_insensitively_to_schema_spelling(string path, string? extension, string attribute, string? sub)
    {
        var resolved = ResourceSchema.User.Resolve(PatchPathParser.Parse(path).Attribute);

        Assert.Equal(extension, resolved.Extension?.Id);
        Assert.Equal(attribute, resolved.Attribute!.Name);
        Assert.Equal(sub, resolved.SubAttribute?.Name);
    }

    [Fact]
    public void The_extension_urn_itself_resolves_to_the_extension()
    {
        var resolved = ResourceSchema.User.Resolve(PatchPathParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").Attribute);

        Assert.Null(resolved.Attribute);
        Assert.Equal("EnterpriseUser", resolved.Extension!.Name);
    }

    [Theory]
    [InlineData("nickName")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber")]
    public void Group_has_no_user_attributes(string path)
    {
        var error = Assert.Throws<ScimException>(() => ResourceSchema.Group.Resolve(PatchPathParser.Parse(path).Attribute));

        Assert.Equal(ScimType.InvalidPath, error.ScimType);
        Assert.Contains(path, error.Detail, StringComparison.Ordinal);
    }
}
