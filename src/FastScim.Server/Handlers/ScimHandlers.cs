using FastScim.Core.Discovery;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Server.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Handlers;

/// <summary>
/// The handlers for (endpoint, verb), one partial file per family: discovery, Users, Groups.
/// A combination no handler serves answers 501 with a SCIM error rather than pretending.
/// </summary>
internal static partial class ScimHandlers
{
    /// <summary>Largest request body accepted: the advertised Bulk maxPayloadSize (RFC 7644 §3.7.4).</summary>
    public const int MaxBodySize = ServiceProviderConfig.BulkMaxPayloadSize;

    public static Task HandleAsync(ScimRequest request, ScimVerb verb) => (request.Route.Endpoint, verb) switch
    {
        (ScimEndpoint.ServiceProviderConfig, ScimVerb.Get) => GetServiceProviderConfigAsync(request),
        (ScimEndpoint.ResourceTypes, ScimVerb.Get) => GetResourceTypesAsync(request),
        (ScimEndpoint.Schemas, ScimVerb.Get) => GetSchemasAsync(request),
        (_, ScimVerb.Post) when request.Route.Search => SearchAsync(request),
        (ScimEndpoint.Users, ScimVerb.Post) => CreateUserAsync(request),
        (ScimEndpoint.Users, ScimVerb.Get) when request.Route.HasId => GetUserAsync(request),
        (ScimEndpoint.Users, ScimVerb.Get) => ListUsersAsync(request),
        (ScimEndpoint.Users, ScimVerb.Put) => ReplaceUserAsync(request),
        (ScimEndpoint.Users, ScimVerb.Delete) => DeleteUserAsync(request),
        (ScimEndpoint.Users, ScimVerb.Patch) => PatchUserAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Post) => CreateGroupAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Get) when request.Route.HasId => GetGroupAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Get) => ListGroupsAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Put) => ReplaceGroupAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Delete) => DeleteGroupAsync(request),
        (ScimEndpoint.Groups, ScimVerb.Patch) => PatchGroupAsync(request),
        (ScimEndpoint.Bulk, ScimVerb.Post) => BulkAsync(request),
        _ => ScimResponse.SendErrorAsync(request.Features, 501, ScimType.None, $"{request.Request.Method} {request.Route.Endpoint}{(request.Route.Search ? "/.search" : "")} is not implemented yet."),
    };

    /// <summary>
    /// Reads the request's body (<see cref="ReadBodyAsync"/>) and hands it to <paramref name="next"/>,
    /// which owns it from then on: it disposes it on every path (a <c>using</c> as its first
    /// statement). A body that came with its headers, as nearly all do, is handed on at once: the
    /// handler then needs no async state machine of its own to wait for it (issue 7: a POST's
    /// bytes; one box of ≈200 B a request).
    /// </summary>
    private static Task WithBodyAsync(ScimRequest request, Func<ScimRequest, RequestBody, Task> next)
    {
        var reading = ReadBodyAsync(request);
        return reading.IsCompletedSuccessfully ? next(request, reading.Result) : AfterReadingAsync(request, reading, next);

        static async Task AfterReadingAsync(ScimRequest request, ValueTask<RequestBody> reading, Func<ScimRequest, RequestBody, Task> next) =>
            await next(request, await reading.ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a JSON request body within <see cref="MaxBodySize"/>. RFC 7644 §3.1 and §8.1:
    /// <c>application/scim+json</c>, and <c>application/json</c> which clients also send.
    /// </summary>
    private static async ValueTask<RequestBody> ReadBodyAsync(ScimRequest request)
    {
        var contentType = request.Request.Headers.ContentType.ToString();
        if (contentType.Length > 0 && !IsJsonMediaType(contentType))
        {
            throw new ScimException(415, ScimType.None, $"Unsupported Content-Type '{contentType}': send application/scim+json or application/json.");
        }

        var reader = request.Features.GetRequiredFeature<IRequestBodyPipeFeature>().Reader;
        var body = await RequestBody.ReadAsync(reader, request.Request.Headers.ContentLength, MaxBodySize, request.Aborted).ConfigureAwait(false);

        // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8. The JSON reader checks the
        // bytes of a string only when it is decoded, so a body that is not UTF-8 is refused here,
        // once and whole, before any of it is read as text (one vectorised pass).
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            body.Dispose();
            throw new ScimException(400, ScimType.InvalidSyntax, "The body is not UTF-8 text (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8).");
        }

        request.Body = body;
        return body;
    }

    internal static bool IsJsonMediaType(ReadOnlySpan<char> contentType)
    {
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals("application/scim+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The attribute a sortBy names (RFC 7644 §3.4.2.3: standard attribute notation, no filter).</summary>
    private static AttributePath SortPath(string sortBy)
    {
        var path = PatchPathParser.Parse(sortBy);
        return path.ValueFilter is null
            ? path.Attribute
            : throw ScimException.BadRequest(ScimType.InvalidValue, $"sortBy '{sortBy}' must name an attribute, not a filtered value.");
    }

    /// <summary>Parsed and compiled filters, per filter text, per resource type (bounded).</summary>
    private static readonly CompiledFilterCaches Filters = new();

    private static ScimException NotFound(ScimRequest request, string resourceType) =>
        new(404, ScimType.None, $"{resourceType} '{request.IdString}' not found.");
}
