using System.Text.Json;
using FastScim.Server.Handlers;
using FastScim.Server.Io;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Admin;

/// <summary>The admin routes of <c>fastscim import</c> and <c>fastscim export</c> (see <see cref="TenantTransfer"/>).</summary>
internal sealed partial class AdminApplication
{
    /// <summary>What a handler answers when it has sent its response itself (streamed).</summary>
    private const int AlreadySent = 0;

    /// <summary>
    /// Runs the BulkRequest in the body and answers with exactly what <c>POST /Bulk</c> answers:
    /// its status and its BulkResponse or SCIM error. The body is bounded as the SCIM endpoint
    /// bounds it (maxPayloadSize, RFC 7644 §3.7.4; 413 past it).
    /// </summary>
    private async Task<int> BulkAsync(IFeatureCollection context, string tenant, Utf8JsonWriter writer)
    {
        var request = context.GetRequiredFeature<IHttpRequestFeature>();
        var aborted = context.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;
        byte[] bulkRequest;
        using (var body = await RequestBody.ReadAsync(context.GetRequiredFeature<IRequestBodyPipeFeature>().Reader, request.Headers.ContentLength, ScimHandlers.MaxBodySize, aborted).ConfigureAwait(false))
        {
            bulkRequest = body.Span.ToArray();
        }

        var (status, answer) = await transfer.BulkAsync(tenant, bulkRequest, aborted).ConfigureAwait(false);
        writer.WriteRawValue(answer, skipInputValidation: true);
        return status;
    }

    /// <summary>Streams the tenant as one ListResponse; chunked, since its length is known only at the end.</summary>
    private async Task ExportAsync(IFeatureCollection context, string tenant)
    {
        var response = context.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = ScimResponse.ContentType;
        var aborted = context.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;
        await transfer.ExportAsync(tenant, context.GetRequiredFeature<IHttpResponseBodyFeature>().Writer, aborted).ConfigureAwait(false);
    }
}
