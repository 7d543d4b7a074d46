using System.Text.Json;

namespace FastScim.Tests.Infrastructure;

public static class ResponseExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a SCIM error body (RFC 7644 §3.12) with this status, and returns it.</summary>
    public static async Task<JsonElement> AssertScimErrorAsync(this HttpResponseMessage response, int status, string? scimType = null)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(RunningServer.ScimMediaType, response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync().ConfigureAwait(false);
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body.GetProperty("schemas")[0].GetString());
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        if (scimType is null)
        {
            Assert.False(body.TryGetProperty("scimType", out _));
        }
        else
        {
            Assert.Equal(scimType, body.GetProperty("scimType").GetString());
        }

        return body;
    }
}
