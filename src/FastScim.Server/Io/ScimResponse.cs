using FastScim.Core.Protocol;
using System.Buffers;
using System.IO.Pipelines;
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
            var response = features.GetRequiredFeature<IHttpResponseFeature>();
            response.StatusCode = status;
            var headers = response.Headers;
            headers.ContentType = ContentType;
            if (etag is not null)
            {
                headers.ETag = etag;
            }

            if (location is not null)
            {
                headers.Location = location;
            }

            var writer = features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer;
            if (body.IsSegmented)
            {
                await SendSegmentsAsync(headers, writer, body.Segments).ConfigureAwait(false);
                return;
            }

            var bytes = body.WrittenMemory;
            headers.ContentLength = bytes.Length;
            await writer.WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            body.Return();
        }
    }

    /// <summary>
    /// A body in segments, each copied once, straight into the response pipe (a page of kept
    /// resources is never assembled in a buffer of its own first), flushed once at the end.
    /// </summary>
    private static async Task SendSegmentsAsync(IHeaderDictionary headers, PipeWriter writer, List<ReadOnlyMemory<byte>> segments)
    {
        long length = 0;
        foreach (var segment in segments)
        {
            length += segment.Length;
        }

        headers.ContentLength = length;
        foreach (var segment in segments)
        {
            writer.Write(segment.Span);
        }

        await writer.FlushAsync().ConfigureAwait(false);
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

    /// <summary>A response without a body (204, 304).</summary>
    public static void SendEmpty(IFeatureCollection features, int status, string? etag = null)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = status;
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        if (status != 304)
        {
            response.Headers.ContentLength = 0;
        }
    }
}
