using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace FastScim.Baseline;

/// <summary>
/// The least a SCIM server can do for <c>GET /Users/{id}</c>: no routing, no lookup, no JSON
/// writer. Any request with an Authorization header (its value is not checked) gets the same
/// pre-encoded User with a Content-Length; a request without one gets 401 with
/// <c>WWW-Authenticate</c> and a fixed SCIM error. The headers are the ones FastScim sends for a
/// read (Content-Type, Content-Length, ETag), so that the bytes on the wire are alike.
/// </summary>
internal sealed class BaselineApplication : IHttpApplication<IFeatureCollection>
{
    private static readonly StringValues ContentType = "application/scim+json; charset=utf-8";
    private static readonly StringValues ETag = "W/\"1\"";
    private static readonly StringValues Challenge = "Bearer realm=\"FastScim\"";

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(IFeatureCollection context)
    {
        var request = context.GetRequiredFeature<IHttpRequestFeature>();
        var response = context.GetRequiredFeature<IHttpResponseFeature>();
        var headers = response.Headers;
        ReadOnlyMemory<byte> body;
        if (request.Headers.Authorization.Count == 0)
        {
            response.StatusCode = 401;
            headers.WWWAuthenticate = Challenge;
            body = FixedResponses.Unauthorized;
        }
        else
        {
            response.StatusCode = 200;
            headers.ETag = ETag;
            body = FixedResponses.User;
        }

        headers.ContentType = ContentType;
        headers.ContentLength = body.Length;
        var write = context.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(body);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }
}
