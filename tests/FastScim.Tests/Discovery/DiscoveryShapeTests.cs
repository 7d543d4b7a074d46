using System.Text.Json;
using FastScim.Tests.Infrastructure;

namespace FastScim.Tests.Discovery;

/// <summary>
/// Issue 6, item 4: every discovery document in the shape Entra's validator and Okta's test suite
/// read — application/scim+json, camelCase names, no null anywhere (Entra's SCIM tutorial,
/// "/Schemas": "If a value isn't present, don't send null values. Property values should be camel
/// cased"). The walk follows the lists, so a resource type or schema added later is checked too.
/// </summary>
public class DiscoveryShapeTests(RunningServer server) : IClassFixture<RunningServer>
{
    /// <summary>Every discovery URL the server serves: the three endpoints and each listed item.</summary>
    private static async Task<List<string>> DiscoveryPathsAsync(HttpClient client)
    {
        var paths = new List<string> { "ServiceProviderConfig", "ResourceTypes", "Schemas" };
        foreach (var (list, prefix) in new[] { ("ResourceTypes", "ResourceTypes/"), ("Schemas", "Schemas/") })
        {
            var body = await client.GetJsonAsync(list);
            paths.AddRange(body.GetProperty("Resources").EnumerateArray().Select(r => prefix + r.GetProperty("id").GetString()));
        }

        return paths;
    }

    [Fact]
    public async Task Every_discovery_response_is_scim_json_camelCase_and_free_of_nulls()
    {
        var client = server.Client(server.DefaultToken);
        var paths = await DiscoveryPathsAsync(client);
        Assert.Equal(3 + 2 + 3, paths.Count);

        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.True(200 == (int)response.StatusCode, $"GET {path} answered {(int)response.StatusCode}");
            Assert.Equal(RunningServer.ScimMediaType, response.Content.Headers.ContentType?.MediaType);
            var body = await response.JsonAsync();
            Assert.True(JsonShape.Nulls(body).Count == 0, $"GET {path}: null at {string.Join(", ", JsonShape.Nulls(body))}");
            Assert.True(JsonShape.NonCamelCaseNames(body).Count == 0, $"GET {path}: not camelCase: {string.Join(", ", JsonShape.NonCamelCaseNames(body))}");
        }
    }

    [Fact]
    public async Task Characteristic_values_in_Schemas_are_the_camelCase_keywords_of_RFC_7643()
    {
        var schemas = await server.Client(server.DefaultToken).GetJsonAsync("Schemas");

        var attributes = schemas.GetProperty("Resources").EnumerateArray()
            .SelectMany(s => Flatten(s.GetProperty("attributes")))
            .ToList();
        Assert.NotEmpty(attributes);
        Assert.All(attributes, a =>
        {
            Assert.Contains(a.GetProperty("type").GetString(), new[] { "string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary" });
            Assert.Contains(a.GetProperty("mutability").GetString(), new[] { "readOnly", "readWrite", "immutable", "writeOnly" });
            Assert.Contains(a.GetProperty("returned").GetString(), new[] { "always", "never", "default", "request" });
            Assert.Contains(a.GetProperty("uniqueness").GetString(), new[] { "none", "server", "global" });
            Assert.Contains(a.GetProperty("multiValued").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Contains(a.GetProperty("required").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        });
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement attributes) =>
        attributes.EnumerateArray().SelectMany(a =>
            a.TryGetProperty("subAttributes", out var sub) ? Flatten(sub).Prepend(a) : [a]);

    [Fact]
    public void The_shape_walk_finds_nulls_and_names_that_are_not_camelCase_at_any_depth()
    {
        using var document = JsonDocument.Parse("""
            {"schemas":["urn:x"],"Resources":[{"id":"a","Name":null,"attributes":[{"name":"b","Type":"string","sub_attr":1}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"$ref":"x","value":null}}}],
             "nested":{"Resources":[]}}
            """);

        Assert.Equal(["$.Resources[0].Name", "$.Resources[0].urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.value"], JsonShape.Nulls(document.RootElement));
        Assert.Equal(["$.Resources[0].Name", "$.Resources[0].attributes[0].Type", "$.Resources[0].attributes[0].sub_attr", "$.nested.Resources"], JsonShape.NonCamelCaseNames(document.RootElement));
    }
}
