using System.Text;
using System.Text.Json;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Protocol;

/// <summary>RFC 7644 §3.4.2.5 / §3.9 on the RFC 7643 §8.3 enterprise user.</summary>
public class AttributeProjectionTests
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static readonly User Barbara = UserJson.Read(Encoding.UTF8.GetBytes($$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{Enterprise}}"],
         "externalId":"701984","userName":"bjensen@example.com",
         "name":{"formatted":"Ms. Barbara J Jensen, III","familyName":"Jensen","givenName":"Barbara"},
         "displayName":"Babs Jensen","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
         "{{Enterprise}}":{"employeeNumber":"701984","costCenter":"4130","manager":{"value":"26118915","displayName":"John Smith"} } }
        """));

    static AttributeProjectionTests()
    {
        Barbara.Id = "2819c223";
        Barbara.Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"", Location = "https://example.com/Users/2819c223" };
    }

    [Fact]
    public void Without_parameters_there_is_no_projection()
    {
        Assert.Null(AttributeProjection.Parse(null, " ", ResourceSchema.User));
    }

    [Fact]
    public void Attributes_keep_only_the_named_ones_plus_id_and_schemas()
    {
        var result = Project("userName,name.givenName,emails.value", null);

        Assert.Equal(["schemas", "id", "userName", "name", "emails"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["givenName"], result.GetProperty("name").EnumerateObject().Select(p => p.Name));
        Assert.All(result.GetProperty("emails").EnumerateArray(), e => Assert.Equal(["value"], e.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Names_match_case_insensitively_and_with_the_core_urn()
    {
        var result = Project("USERNAME,urn:ietf:params:scim:schemas:core:2.0:User:displayName", null);

        Assert.Equal("bjensen@example.com", result.GetProperty("userName").GetString());
        Assert.Equal("Babs Jensen", result.GetProperty("displayName").GetString());
        Assert.False(result.TryGetProperty("active", out _));
    }

    [Fact]
    public void Extension_attributes_are_selected_under_their_urn()
    {
        var one = Project(Enterprise + ":manager.value", null);
        var whole = Project(Enterprise, null);

        Assert.Equal(["manager"], one.GetProperty(Enterprise).EnumerateObject().Select(p => p.Name));
        Assert.Equal(["value"], one.GetProperty(Enterprise).GetProperty("manager").EnumerateObject().Select(p => p.Name));
        Assert.Equal("4130", whole.GetProperty(Enterprise).GetProperty("costCenter").GetString());
    }

    [Fact]
    public void Excluded_attributes_are_removed_but_id_and_schemas_stay()
    {
        var result = Project(null, "emails,name.formatted,id,schemas," + Enterprise + ":costCenter");

        Assert.False(result.TryGetProperty("emails", out _));
        Assert.Equal(["familyName", "givenName"], result.GetProperty("name").EnumerateObject().Select(p => p.Name));
        Assert.Equal("2819c223", result.GetProperty("id").GetString());
        Assert.True(result.TryGetProperty("schemas", out _));
        Assert.True(result.TryGetProperty("meta", out _));
        Assert.False(result.GetProperty(Enterprise).TryGetProperty("costCenter", out _));
        Assert.Equal("701984", result.GetProperty(Enterprise).GetProperty("employeeNumber").GetString());
    }

    [Fact]
    public void Unknown_names_select_nothing_and_the_password_is_never_there()
    {
        var result = Project("nonsense,password", null);

        Assert.Equal(["schemas", "id"], result.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Returns_tells_whether_a_top_level_attribute_is_wanted()
    {
        var withoutMembers = AttributeProjection.Parse(null, "members", ResourceSchema.Group)!;
        var onlyName = AttributeProjection.Parse("displayName", null, ResourceSchema.Group)!;

        Assert.False(withoutMembers.Returns("members"));
        Assert.True(withoutMembers.Returns("displayName"));
        Assert.False(onlyName.Returns("members"));
        Assert.True(onlyName.Returns("displayName"));
    }

    [Fact]
    public void A_name_with_a_value_filter_selects_the_attribute_it_names()
    {
        var whole = Project("emails[type eq \"work\"]", null);
        var sub = Project("emails[type eq \"work\"].value", null);

        Assert.Equal(2, whole.GetProperty("emails").GetArrayLength());
        Assert.Equal(["value"], sub.GetProperty("emails")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_malformed_name_is_an_invalid_value()
    {
        var error = Assert.Throws<ScimException>(() => AttributeProjection.Parse("emails[type", null, ResourceSchema.User));

        Assert.Equal(ScimType.InvalidValue, error.ScimType);
    }

    private static JsonElement Project(string? attributes, string? excluded)
    {
        var projection = AttributeProjection.Parse(attributes, excluded, ResourceSchema.User)!;
        using var full = new MemoryStream();
        using (var writer = new Utf8JsonWriter(full))
        {
            UserJson.Write(writer, Barbara);
        }

        using var projected = new MemoryStream();
        using (var writer = new Utf8JsonWriter(projected))
        {
            projection.Copy(full.ToArray(), writer);
        }

        using var document = JsonDocument.Parse(projected.ToArray());
        return document.RootElement.Clone();
    }
}
