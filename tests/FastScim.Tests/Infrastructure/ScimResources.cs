using System.Text.Json;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Infrastructure;

/// <summary>Small steps the resource tests repeat: create a user or group, PATCH it, read it back.</summary>
public static class ScimResources
{
    public const string PatchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public static string NewUserName(string prefix = "u") => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>POSTs a user with a fresh userName plus <paramref name="extra"/> (JSON members without braces).</summary>
    public static async Task<JsonElement> CreateUserAsync(this HttpClient client, string extra = "")
    {
        var comma = string.IsNullOrWhiteSpace(extra) ? "" : "," + extra;
        using var created = await client.PostAsync("Users", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{NewUserName()}}"{{comma}}}"""));
        Assert.Equal(201, (int)created.StatusCode);
        return await created.JsonAsync();
    }

    /// <summary>POSTs a group with these member ids.</summary>
    public static async Task<JsonElement> CreateGroupAsync(this HttpClient client, string displayName, params string[] memberIds)
    {
        var members = string.Join(",", memberIds.Select(id => $$"""{"value":"{{id}}"}"""));
        using var created = await client.PostAsync("Groups", Json($$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{displayName}}","members":[{{members}}]}"""));
        Assert.Equal(201, (int)created.StatusCode);
        return await created.JsonAsync();
    }

    public static string Id(this JsonElement resource) => resource.GetProperty("id").GetString()!;

    public static string Version(this JsonElement resource) => resource.GetProperty("meta").GetProperty("version").GetString()!;

    public static string LastModified(this JsonElement resource) => resource.GetProperty("meta").GetProperty("lastModified").GetString()!;

    /// <summary>PATCH with a PatchOp body whose Operations array holds <paramref name="operations"/>.</summary>
    public static Task<HttpResponseMessage> PatchOperationsAsync(this HttpClient client, string resource, string operations, string? ifMatch = null) =>
        client.PatchRawAsync(resource, $$"""{"schemas":["{{PatchOpUrn}}"],"Operations":[{{operations}}]}""", ifMatch);

    public static Task<HttpResponseMessage> PatchRawAsync(this HttpClient client, string resource, string body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, resource) { Content = Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    /// <summary>PATCH that must succeed with 200; returns the resource in the response.</summary>
    public static async Task<JsonElement> PatchOkAsync(this HttpClient client, string resource, string operations)
    {
        using var response = await client.PatchOperationsAsync(resource, operations);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(200 == (int)response.StatusCode, $"PATCH {resource} answered {(int)response.StatusCode}: {text}");
        return await response.JsonAsync();
    }

    public static async Task<string> GetTextAsync(this HttpClient client, string resource)
    {
        using var response = await client.GetAsync(resource);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string resource)
    {
        using var response = await client.GetAsync(resource);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>The member ids of a group, sorted (absent members = none).</summary>
    public static string[] MemberIds(this JsonElement group) =>
        group.TryGetProperty("members", out var members) && members.ValueKind == JsonValueKind.Array
            ? members.EnumerateArray().Select(m => m.GetProperty("value").GetString()!).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>The user's derived groups as (group id, type), sorted by id.</summary>
    public static (string Value, string? Type)[] Groups(this JsonElement user) =>
        user.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array
            ? groups.EnumerateArray()
                .Select(g => (g.GetProperty("value").GetString()!, g.TryGetProperty("type", out var t) ? t.GetString() : null))
                .OrderBy(g => g.Item1, StringComparer.Ordinal).ToArray()
            : [];

    public static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();
}
