using FastScim.Core.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Io;

/// <summary>Sends response bodies: always <c>application/scim+json</c> (RFC 7644 §3.1, §8.1) with a Content-Length.</summary>
internal static class ScimResponse
{
    public const string ContentType = "application/scim+json; charset=utf-8";

    /// <summary>Sends what <paramref name="body"/> holds, then returns the buffer to its pool.</summary>
    public static async Task SendAsync(IFeatureCollection features, int status, JsonResponseBuffer body, string? etag = null, string? location = null)
    {
        try
        {
            var bytes = body.WrittenMemory;
            var headers = Start(features, status, etag, location);
            headers.ContentType = ContentType;
            headers.ContentLength = bytes.Length;
            await features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            body.Return();
        }
    }

    /// <summary>Sends a SCIM error (RFC 7644 §3.12).</summary>
    public static Task SendErrorAsync(IFeatureCollection features, int status, ScimType scimType, string detail)
    {
        var body = JsonResponseBuffer.Rent();
        ScimError.Write(body.Writer, status, scimType, detail);
        return SendAsync(features, status, body);
    }

    public static Task SendErrorAsync(IFeatureCollection features, ScimException error) =>
        SendErrorAsync(features, error.Status, error.ScimType, error.Detail);

    /// <summary>A response without a body (204, 304; a Bulk operation's success, <see cref="Hosting.ScimRequest.SuccessBodyUnused"/>).</summary>
    public static void SendEmpty(IFeatureCollection features, int status, string? etag = null, string? location = null)
    {
        var headers = Start(features, status, etag, location);
        if (status != 304)
        {
            headers.ContentLength = 0;
        }
    }

    /// <summary>Sets the status and, when given, the ETag (RFC 7644 §3.14) and Location (§3.3) of a response; answers its headers.</summary>
    private static IHeaderDictionary Start(IFeatureCollection features, int status, string? etag, string? location)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = status;
        var headers = response.Headers;
        if (etag is not null)
        {
            headers.ETag = etag;
        }

        if (location is not null)
        {
            headers.Location = location;
        }

        return headers;
    }
}
