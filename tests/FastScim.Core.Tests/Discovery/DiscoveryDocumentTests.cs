using System.Text.Json;
using FastScim.Core.Discovery;
using FastScim.Core.Schema;

namespace FastScim.Core.Tests.Discovery;

public class DiscoveryDocumentTests
{
    private const string BaseUrl = "http://127.0.0.1:8080/t/acme/api/v1/scim/v2";

    [Fact]
    public void The_service_provider_config_advertises_every_feature_with_its_limits()
    {
        using var document = Parse(w => ServiceProviderConfig.Write(w, BaseUrl));
        var root = document.RootElement;

        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", root.GetProperty("schemas")[0].GetString());
        Assert.True(root.GetProperty("patch").GetProperty("supported").GetBoolean());
        Assert.True(root.GetProperty("bulk").GetProperty("supported").GetBoolean());
        Assert.Equal(1000, root.GetProperty("bulk").GetProperty("maxOperations").GetInt32());
        Assert.Equal(1048576, root.GetProperty("bulk").GetProperty("maxPayloadSize").GetInt32());
        Assert.Equal(200, root.GetProperty("filter").GetProperty("maxResults").GetInt32());
        Assert.True(root.GetProperty("changePassword").GetProperty("supported").GetBoolean());
        Assert.True(root.GetProperty("sort").GetProperty("supported").GetBoolean());
        Assert.True(root.GetProperty("etag").GetProperty("supported").GetBoolean());
        var pagination = root.GetProperty("pagination");
        Assert.True(pagination.GetProperty("cursor").GetBoolean());
        Assert.True(pagination.GetProperty("index").GetBoolean());
        Assert.Equal("index", pagination.GetProperty("defaultPaginationMethod").GetString());
        Assert.Equal(100, pagination.GetProperty("defaultPageSize").GetInt32());
        Assert.Equal(200, pagination.GetProperty("maxPageSize").GetInt32());
        Assert.False(pagination.TryGetProperty("cursorTimeout", out _));
        Assert.Equal("oauthbearertoken", root.GetProperty("authenticationSchemes")[0].GetProperty("type").GetString());
        Assert.StartsWith("https://", root.GetProperty("documentationUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(BaseUrl + "/ServiceProviderConfig", root.GetProperty("meta").GetProperty("location").GetString());
    }

    [Fact]
    public void A_schema_is_written_with_every_characteristic_of_every_attribute()
    {
        var value = new AttributeDefinition("value", AttributeType.String, false, "The id.", false, false, Mutability.Immutable, Returned.Default, Uniqueness.None, [], [], []);
        var reference = new AttributeDefinition("$ref", AttributeType.Reference, false, "The URI.", false, false, Mutability.Immutable, Returned.Default, Uniqueness.None, [], ["User", "Group"], []);
        var members = new AttributeDefinition("members", AttributeType.Complex, true, "Members.", false, false, Mutability.ReadWrite, Returned.Default, Uniqueness.None, [], [], [value, reference]);
        var type = new AttributeDefinition("type", AttributeType.String, false, "Kind.", false, false, Mutability.ReadWrite, Returned.Request, Uniqueness.Server, ["work", "home"], [], []);
        var schema = new SchemaDefinition("urn:example:Thing", "Thing", "A thing.", [members, type]);

        using var document = Parse(w => SchemaDocument.Write(w, schema, BaseUrl));
        var root = document.RootElement;

        Assert.Equal("urn:example:Thing", root.GetProperty("id").GetString());
        Assert.Equal(BaseUrl + "/Schemas/urn:example:Thing", root.GetProperty("meta").GetProperty("location").GetString());
        var writtenMembers = root.GetProperty("attributes")[0];
        Assert.Equal("complex", writtenMembers.GetProperty("type").GetString());
        Assert.True(writtenMembers.GetProperty("multiValued").GetBoolean());
        Assert.Equal(2, writtenMembers.GetProperty("subAttributes").GetArrayLength());
        Assert.Equal("immutable", writtenMembers.GetProperty("subAttributes")[0].GetProperty("mutability").GetString());
        Assert.Equal(["User", "Group"], writtenMembers.GetProperty("subAttributes")[1].GetProperty("referenceTypes").EnumerateArray().Select(e => e.GetString()));
        var writtenType = root.GetProperty("attributes")[1];
        Assert.Equal("request", writtenType.GetProperty("returned").GetString());
        Assert.Equal("server", writtenType.GetProperty("uniqueness").GetString());
        Assert.False(writtenType.GetProperty("caseExact").GetBoolean());
        Assert.False(writtenType.GetProperty("required").GetBoolean());
        Assert.Equal(["work", "home"], writtenType.GetProperty("canonicalValues").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_resource_type_lists_its_schema_extensions()
    {
        var resourceType = new ResourceTypeDefinition("User", "User", "/Users", "User Account", "urn:ietf:params:scim:schemas:core:2.0:User",
            [new SchemaExtension("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", false)]);

        using var document = Parse(w => ResourceTypeDocument.Write(w, resourceType, BaseUrl));
        var root = document.RootElement;

        Assert.Equal("/Users", root.GetProperty("endpoint").GetString());
        Assert.Equal("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", root.GetProperty("schemaExtensions")[0].GetProperty("schema").GetString());
        Assert.False(root.GetProperty("schemaExtensions")[0].GetProperty("required").GetBoolean());
        Assert.Equal(BaseUrl + "/ResourceTypes/User", root.GetProperty("meta").GetProperty("location").GetString());
        Assert.Same(resourceType, ResourceTypeDocument.Find([resourceType], "user"));
        Assert.Null(ResourceTypeDocument.Find([resourceType], "Group"));
    }

    private static JsonDocument Parse(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return JsonDocument.Parse(stream.ToArray());
    }
}
