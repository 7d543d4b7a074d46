using FastScim.Server.Routing;

namespace FastScim.Server.Tests.Routing;

public class RouterTests
{
    private const string Base = "/t/acme/api/v1/scim/v2";

    [Theory]
    [InlineData(Base + "/Users", ScimEndpoint.Users)]
    [InlineData(Base + "/users", ScimEndpoint.Users)]
    [InlineData(Base + "/Users/", ScimEndpoint.Users)]
    [InlineData(Base + "//Users", ScimEndpoint.Users)]
    [InlineData(Base + "/Groups", ScimEndpoint.Groups)]
    [InlineData(Base + "/Bulk", ScimEndpoint.Bulk)]
    [InlineData(Base + "/Schemas", ScimEndpoint.Schemas)]
    [InlineData(Base + "/ResourceTypes", ScimEndpoint.ResourceTypes)]
    [InlineData(Base + "/ServiceProviderConfig", ScimEndpoint.ServiceProviderConfig)]
    public void Collection_paths_match_their_endpoint_without_an_id(string path, ScimEndpoint expected)
    {
        var route = Router.Match(path);

        Assert.Equal(RouteKind.Matched, route.Kind);
        Assert.Equal(expected, route.Endpoint);
        Assert.False(route.HasId);
        Assert.False(route.Search);
        Assert.Equal("acme", path[route.Tenant]);
    }

    [Theory]
    [InlineData(Base + "/Users/2819c223-7f76-453a-919d-413861904646", ScimEndpoint.Users, "2819c223-7f76-453a-919d-413861904646")]
    [InlineData(Base + "/Groups/e9e30dba", ScimEndpoint.Groups, "e9e30dba")]
    [InlineData(Base + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", ScimEndpoint.Schemas, "urn:ietf:params:scim:schemas:core:2.0:User")]
    [InlineData(Base + "/ResourceTypes/User", ScimEndpoint.ResourceTypes, "User")]
    [InlineData(Base + "/Users/abc/", ScimEndpoint.Users, "abc")]
    [InlineData(Base + "//Users/abc", ScimEndpoint.Users, "abc")]
    public void Resource_paths_carry_the_id_as_an_offset_into_the_path(string path, ScimEndpoint expected, string id)
    {
        var route = Router.Match(path);

        Assert.Equal(RouteKind.Matched, route.Kind);
        Assert.Equal(expected, route.Endpoint);
        Assert.True(route.HasId);
        Assert.Equal(id, path[route.Id]);
    }

    [Theory]
    [InlineData(Base + "/.search", ScimEndpoint.Root)]
    [InlineData(Base + "/Users/.search", ScimEndpoint.Users)]
    [InlineData(Base + "/Groups/.search", ScimEndpoint.Groups)]
    public void Search_paths_are_recognised(string path, ScimEndpoint expected)
    {
        var route = Router.Match(path);

        Assert.Equal(RouteKind.Matched, route.Kind);
        Assert.Equal(expected, route.Endpoint);
        Assert.True(route.Search);
        Assert.False(route.HasId);
    }

    [Theory]
    [InlineData(Base)]
    [InlineData(Base + "/")]
    public void The_base_url_itself_is_the_root(string path)
    {
        var route = Router.Match(path);

        Assert.Equal(RouteKind.Matched, route.Kind);
        Assert.Equal(ScimEndpoint.Root, route.Endpoint);
        Assert.False(route.Search);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Users")]
    [InlineData("/t/")]
    [InlineData("/t/acme")]
    [InlineData("/t//api/v1/scim/v2/Users")]
    [InlineData("/t/acme/api/v2/scim/v2/Users")]
    [InlineData("/t/acme/api/v1/scim/v2Users")]
    [InlineData("/scim/v2/Users")]
    public void Paths_outside_a_tenant_base_url_are_not_found(string path)
    {
        Assert.Equal(RouteKind.NotFound, Router.Match(path).Kind);
    }

    [Theory]
    [InlineData(Base + "/Me")]
    [InlineData(Base + "/Userz")]
    [InlineData(Base + "/Users/abc/def")]
    [InlineData(Base + "/Bulk/abc")]
    [InlineData(Base + "/ServiceProviderConfig/x")]
    [InlineData(Base + "/Schemas/.search")]
    public void Unknown_endpoints_under_a_base_url_are_distinguished(string path)
    {
        var route = Router.Match(path);

        Assert.Equal(RouteKind.UnknownEndpoint, route.Kind);
        Assert.Equal("acme", path[route.Tenant]);
    }

    [Fact]
    public void Allowed_methods_follow_the_endpoint()
    {
        Assert.Equal("GET, POST", Router.AllowedMethods(Router.Match(Base + "/Users")));
        Assert.Equal("GET, PUT, PATCH, DELETE", Router.AllowedMethods(Router.Match(Base + "/Groups/x")));
        Assert.Equal("POST", Router.AllowedMethods(Router.Match(Base + "/Bulk")));
        Assert.Equal("POST", Router.AllowedMethods(Router.Match(Base + "/Users/.search")));
        Assert.Equal("GET", Router.AllowedMethods(Router.Match(Base + "/Schemas")));
    }

    [Theory]
    [InlineData("GET", ScimVerb.Get)]
    [InlineData("POST", ScimVerb.Post)]
    [InlineData("PUT", ScimVerb.Put)]
    [InlineData("PATCH", ScimVerb.Patch)]
    [InlineData("DELETE", ScimVerb.Delete)]
    [InlineData("HEAD", ScimVerb.Other)]
    [InlineData("get", ScimVerb.Other)]
    public void Verbs_parse_exactly(string method, ScimVerb expected)
    {
        Assert.Equal(expected, Router.ParseVerb(method));
    }
}
