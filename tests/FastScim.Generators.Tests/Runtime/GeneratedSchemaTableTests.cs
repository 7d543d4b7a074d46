using FastScim.Core.Schema;

namespace FastScim.Generators.Tests.Runtime;

public class GeneratedSchemaTableTests
{
    [Fact]
    public void UserName_has_the_RFC_characteristics()
    {
        var userName = ScimSchemas.User.FindAttribute("USERNAME")!;
        Assert.Equal("userName", userName.Name);
        Assert.Equal(AttributeType.String, userName.Type);
        Assert.True(userName.Required);
        Assert.False(userName.CaseExact);
        Assert.False(userName.MultiValued);
        Assert.Equal(Mutability.ReadWrite, userName.Mutability);
        Assert.Equal(Returned.Default, userName.Returned);
        Assert.Equal(Uniqueness.Server, userName.Uniqueness);
    }

    [Fact]
    public void Password_groups_and_emails_have_the_RFC_characteristics()
    {
        var password = ScimSchemas.User.FindAttribute("password")!;
        Assert.Equal(Mutability.WriteOnly, password.Mutability);
        Assert.Equal(Returned.Never, password.Returned);

        var groups = ScimSchemas.User.FindAttribute("groups")!;
        Assert.Equal(Mutability.ReadOnly, groups.Mutability);
        Assert.True(groups.MultiValued);
        Assert.Equal(new[] { "value", "$ref", "display", "type" }, groups.SubAttributes.Select(a => a.Name));
        Assert.Equal(new[] { "User", "Group" }, groups.FindSubAttribute("$REF")!.ReferenceTypes);
        Assert.Equal(new[] { "direct", "indirect" }, groups.FindSubAttribute("type")!.CanonicalValues);

        var emails = ScimSchemas.User.FindAttribute("emails")!;
        Assert.Equal(new[] { "work", "home", "other" }, emails.FindSubAttribute("type")!.CanonicalValues);
        Assert.Equal(AttributeType.Boolean, emails.FindSubAttribute("primary")!.Type);

        var x509 = ScimSchemas.User.FindAttribute("x509Certificates")!.FindSubAttribute("value")!;
        Assert.Equal(AttributeType.Binary, x509.Type);
        Assert.True(x509.CaseExact);

        Assert.Equal(new[] { "external" }, ScimSchemas.User.FindAttribute("profileUrl")!.ReferenceTypes);
        Assert.Equal(
            new[] { "formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary" },
            ScimSchemas.User.FindAttribute("addresses")!.SubAttributes.Select(a => a.Name));
    }

    [Fact]
    public void User_schema_has_every_RFC_attribute_in_order()
    {
        Assert.Equal(
            new[]
            {
                "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale",
                "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements",
                "roles", "x509Certificates",
            },
            ScimSchemas.User.Attributes.Select(a => a.Name));
        Assert.Equal(
            new[] { "formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix" },
            ScimSchemas.User.FindAttribute("name")!.SubAttributes.Select(a => a.Name));
    }

    [Fact]
    public void Group_and_enterprise_schemas()
    {
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:Group", ScimSchemas.Group.Id);
        var members = ScimSchemas.Group.FindAttribute("members")!;
        Assert.Equal(new[] { "value", "$ref", "type", "display" }, members.SubAttributes.Select(a => a.Name));
        Assert.Equal(Mutability.Immutable, members.FindSubAttribute("value")!.Mutability);

        Assert.Equal("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ScimSchemas.EnterpriseUser.Id);
        Assert.Equal(
            new[] { "employeeNumber", "costCenter", "organization", "division", "department", "manager" },
            ScimSchemas.EnterpriseUser.Attributes.Select(a => a.Name));
        var manager = ScimSchemas.EnterpriseUser.FindAttribute("manager")!;
        Assert.Equal(Mutability.ReadOnly, manager.FindSubAttribute("displayName")!.Mutability);
        Assert.Equal(new[] { "User" }, manager.FindSubAttribute("$ref")!.ReferenceTypes);
    }

    [Fact]
    public void All_is_ordinal_by_id_and_resource_types_keep_file_order()
    {
        Assert.Equal(
            new[]
            {
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            },
            ScimSchemas.All.Select(s => s.Id));
        Assert.Equal(new[] { "User", "Group" }, ScimSchemas.ResourceTypes.Select(r => r.Name));
        var user = ScimSchemas.ResourceTypes[0];
        Assert.Equal("/Users", user.Endpoint);
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", user.Schema);
        Assert.Equal(new SchemaExtension("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", false), user.SchemaExtensions.Single());
        Assert.Empty(ScimSchemas.ResourceTypes[1].SchemaExtensions);
    }
}
