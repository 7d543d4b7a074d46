using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Discovery;

/// <summary>RFC 7644 §4 over HTTP: every document points at the tenant's own URL.</summary>
public class DiscoveryEndpointTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Fact]
    public async Task ServiceProviderConfig_is_scim_json_with_the_advertised_limits()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("ServiceProviderConfig");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var body = await response.JsonAsync();
        Assert.Equal(1000, body.GetProperty("bulk").GetProperty("maxOperations").GetInt32());
        Assert.Equal(1048576, body.GetProperty("bulk").GetProperty("maxPayloadSize").GetInt32());
        Assert.Equal(200, body.GetProperty("filter").GetProperty("maxResults").GetInt32());
        Assert.Equal("oauthbearertoken", body.GetProperty("authenticationSchemes")[0].GetProperty("type").GetString());
        Assert.Equal(server.BaseUrl() + "/ServiceProviderConfig", body.GetProperty("meta").GetProperty("location").GetString());
    }

    [Fact]
    public async Task ResourceTypes_lists_User_with_the_enterprise_extension_and_Group()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("ResourceTypes");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", body.GetProperty("schemas")[0].GetString());
        Assert.Equal(2, body.GetProperty("totalResults").GetInt32());
        var types = body.GetProperty("Resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal("/Users", types["User"].GetProperty("endpoint").GetString());
        Assert.Equal(UserUrn, types["User"].GetProperty("schema").GetString());
        Assert.Equal(EnterpriseUrn, types["User"].GetProperty("schemaExtensions")[0].GetProperty("schema").GetString());
        Assert.Equal("/Groups", types["Group"].GetProperty("endpoint").GetString());
        Assert.Equal(server.BaseUrl() + "/ResourceTypes/Group", types["Group"].GetProperty("meta").GetProperty("location").GetString());
    }

    [Theory]
    [InlineData("User")]
    [InlineData("Group")]
    public async Task A_single_resource_type_is_served_by_id(string id)
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("ResourceTypes/" + id);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(id, (await response.JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Schemas_lists_the_three_schemas_with_their_attributes()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Schemas");

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        var schemas = body.GetProperty("Resources").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(3, body.GetProperty("totalResults").GetInt32());
        Assert.Contains(UserUrn, schemas.Keys);
        Assert.Contains(GroupUrn, schemas.Keys);
        Assert.Contains(EnterpriseUrn, schemas.Keys);
        var userName = schemas[UserUrn].GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "userName");
        Assert.Equal("server", userName.GetProperty("uniqueness").GetString());
        Assert.False(userName.GetProperty("caseExact").GetBoolean());
        Assert.True(userName.GetProperty("required").GetBoolean());
        var password = schemas[UserUrn].GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "password");
        Assert.Equal("never", password.GetProperty("returned").GetString());
        Assert.Equal("writeOnly", password.GetProperty("mutability").GetString());
        Assert.Equal(server.BaseUrl() + "/Schemas/" + UserUrn, schemas[UserUrn].GetProperty("meta").GetProperty("location").GetString());
    }

    [Fact]
    public async Task A_single_schema_is_served_by_its_urn()
    {
        using var response = await server.Client(server.DefaultToken).GetAsync("Schemas/" + EnterpriseUrn);

        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(EnterpriseUrn, body.GetProperty("id").GetString());
        Assert.Contains(body.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("name").GetString() == "manager");
    }

    [Theory]
    [InlineData("Schemas/urn:example:nothing")]
    [InlineData("ResourceTypes/Device")]
    public async Task Unknown_discovery_ids_are_404_scim_errors(string path)
    {
        using var response = await server.Client(server.DefaultToken).GetAsync(path);

        await response.AssertScimErrorAsync(404);
    }
}
