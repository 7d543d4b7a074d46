using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using FastScim.Core.Bulk;
using FastScim.Core.Discovery;
using FastScim.Core.Protocol;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Handlers;

/// <summary>
/// <c>POST /Bulk</c> (RFC 7644 §3.7). Each operation runs through <see cref="HandleAsync"/> as
/// the single request it stands for — a synthetic request over in-memory features, routed by the
/// same <see cref="Router"/> — so it gets exactly that request's validation and semantics; its
/// status, Location, ETag and (for failures) body become its entry in the BulkResponse.
/// </summary>
internal static partial class ScimHandlers
{
    private static async Task BulkAsync(ScimRequest request)
    {
        BulkRequest bulk;
        using (var body = await ReadBodyAsync(request).ConfigureAwait(false))
        {
            bulk = BulkRequest.Parse(body.Span, ServiceProviderConfig.BulkMaxOperations);
        }

        var graph = BulkIdGraph.Build(bulk.Operations);
        var results = new BulkResult?[bulk.Operations.Count];
        var createdIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var errors = 0;
        foreach (var index in graph.Order)
        {
            var operation = bulk.Operations[index];
            var result = await RunOperationAsync(request, operation, graph, createdIds, failed).ConfigureAwait(false);
            results[index] = result;
            if (operation.BulkId is { } bulkId)
            {
                if (result.Succeeded && result.Id is { } id)
                {
                    createdIds[bulkId] = id;
                }
                else
                {
                    failed.Add(bulkId);
                }
            }

            // §3.7.3: after failOnErrors errors the request stops; the rest is neither run nor reported.
            if (!result.Succeeded && ++errors >= bulk.FailOnErrors)
            {
                break;
            }
        }

        var response = JsonResponseBuffer.Rent();
        WriteBulkResponse(response.Writer, results);
        await ScimResponse.SendAsync(request.Features, 200, response).ConfigureAwait(false);
    }

    private static async Task<BulkResult> RunOperationAsync(ScimRequest bulkRequest, BulkOperation operation, BulkIdGraph graph, Dictionary<string, string> createdIds, HashSet<string> failed)
    {
        var method = operation.Method?.ToUpperInvariant();
        var verb = method is null ? ScimVerb.Other : Router.ParseVerb(method);
        var basePath = Paths.BasePath(bulkRequest.Tenant);
        BulkResult Fail(int status, ScimType type, string detail, string? path = null) =>
            BulkResult.Failure(method ?? operation.Method, operation.BulkId, path is null ? null : bulkRequest.BaseUrl[..^basePath.Length] + path, status, type, detail);

        if (verb is not (ScimVerb.Post or ScimVerb.Put or ScimVerb.Patch or ScimVerb.Delete))
        {
            return Fail(400, ScimType.InvalidValue, $"Operations[{operation.Index}]: \"method\" must be POST, PUT, PATCH or DELETE, not '{operation.Method}' (RFC 7644 §3.7).");
        }

        if (verb == ScimVerb.Post && string.IsNullOrEmpty(operation.BulkId))
        {
            return Fail(400, ScimType.InvalidValue, $"Operations[{operation.Index}]: a POST needs a \"bulkId\" (RFC 7644 §3.7).");
        }

        if (verb != ScimVerb.Delete && !operation.HasData)
        {
            return Fail(400, ScimType.InvalidSyntax, $"Operations[{operation.Index}]: {method} needs \"data\" (RFC 7644 §3.7).");
        }

        // §3.7.2: every "bulkId:x" must name a POST of this request that has already succeeded.
        foreach (var bulkId in graph.References[operation.Index])
        {
            if (createdIds.ContainsKey(bulkId))
            {
                continue;
            }

            var detail = !graph.Declarations.ContainsKey(bulkId)
                ? $"Operations[{operation.Index}] refers to bulkId '{bulkId}', which no POST of this request declares (RFC 7644 §3.7.2)."
                : failed.Contains(bulkId)
                    ? $"Operations[{operation.Index}] refers to bulkId '{bulkId}', whose operation failed (RFC 7644 §3.7.2)."
                    : $"Operations[{operation.Index}] refers to bulkId '{bulkId}' through a circular chain of references, which this server does not resolve (RFC 7644 §3.7.2); create the resources first and add the references with a later PATCH.";
            return Fail(409, ScimType.None, detail);
        }

        var path = BulkReferences.Substitute(operation.Path, createdIds);
        var fullPath = basePath + path;
        var route = path is ['/', ..] ? Router.Match(fullPath) : RouteMatch.NotFound;
        var validTarget = route.Kind == RouteKind.Matched && !route.Search
            && route.Endpoint is ScimEndpoint.Users or ScimEndpoint.Groups
            && route.HasId == (verb != ScimVerb.Post);
        if (!validTarget)
        {
            var expected = verb == ScimVerb.Post ? "\"/Users\" or \"/Groups\"" : "\"/Users/{id}\" or \"/Groups/{id}\"";
            return Fail(400, ScimType.InvalidPath, $"Operations[{operation.Index}]: the path '{path}' is not one {method} serves in a Bulk request; expected {expected} (RFC 7644 §3.7).");
        }

        var data = BulkReferences.Substitute(operation.Data, createdIds);
        var features = OperationFeatures(bulkRequest, method!, fullPath, operation.Version, data, out var responseBody);
        var scim = new ScimRequest(features, features.GetRequiredFeature<IHttpRequestFeature>(), route, bulkRequest.Tenant, bulkRequest.Store, bulkRequest.Settings) { ErrorLog = bulkRequest.ErrorLog };
        try
        {
            await HandleAsync(scim, verb).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bulkRequest.Aborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // An operation fails as its single request would: with its SCIM error, not the whole Bulk.
        catch (Exception error)
#pragma warning restore CA1031
        {
            await ScimApplication.SendFailureAsync(features, scim.Request, error, bulkRequest.ErrorLog).ConfigureAwait(false);
        }

        var answer = features.GetRequiredFeature<IHttpResponseFeature>();
        var status = answer.StatusCode;
        var location = answer.Headers.Location.ToString() is { Length: > 0 } sent ? sent : bulkRequest.BaseUrl + path;
        var version = answer.Headers.ETag.ToString();
        var succeeded = status is >= 200 and < 300;
        string? id = null;
        if (verb == ScimVerb.Post && succeeded)
        {
            id = location[(location.LastIndexOf('/') + 1)..];
        }

        return new BulkResult(
            method!,
            operation.BulkId,
            verb == ScimVerb.Post && !succeeded ? null : location,
            version.Length > 0 ? version : null,
            status,
            succeeded ? null : responseBody.ToArray(),
            id);
    }

    /// <summary>The features of the single request a Bulk operation stands for.</summary>
    private static FeatureCollection OperationFeatures(ScimRequest bulkRequest, string method, string path, string? version, ReadOnlyMemory<byte> data, out MemoryStream responseBody)
    {
        var outer = bulkRequest.Request;
        IHeaderDictionary headers = new HeaderDictionary();
        headers.Host = outer.Headers.Host;
        headers.ContentType = RunningContentType;
        if (!data.IsEmpty)
        {
            headers.ContentLength = data.Length;
        }

        // §3.7: "version" is the resource's version, as If-Match on the single request (§3.14).
        if (version is not null)
        {
            headers.IfMatch = version;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = outer.Protocol,
            Scheme = outer.Scheme,
            Method = method,
            PathBase = "",
            Path = path,
            QueryString = "",
            RawTarget = path,
            Headers = headers,
        });
        features.Set<IRequestBodyPipeFeature>(new OperationBody(PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(data))));
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        responseBody = new MemoryStream();
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        if (bulkRequest.Features.Get<IHttpRequestLifetimeFeature>() is { } lifetime)
        {
            features.Set(lifetime);
        }

        if (bulkRequest.Features.Get<IHttpConnectionFeature>() is { } connection)
        {
            features.Set(connection);
        }

        return features;
    }

    private const string RunningContentType = "application/scim+json";

    /// <summary>RFC 7644 §3.7.3: one entry per operation that ran, in request order; status as a string.</summary>
    private static void WriteBulkResponse(Utf8JsonWriter writer, BulkResult?[] results)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("schemas"u8);
        writer.WriteStringValue(SchemaUrns.BulkResponse);
        writer.WriteEndArray();
        writer.WriteStartArray("Operations"u8);
        foreach (var result in results)
        {
            if (result is null)
            {
                continue;
            }

            writer.WriteStartObject();
            if (result.Location is not null)
            {
                writer.WriteString("location"u8, result.Location);
            }

            writer.WriteString("method"u8, result.Method);
            if (result.BulkId is not null)
            {
                writer.WriteString("bulkId"u8, result.BulkId);
            }

            if (result.Version is not null)
            {
                writer.WriteString("version"u8, result.Version);
            }

            writer.WriteString("status"u8, result.Status.ToString(CultureInfo.InvariantCulture));
            if (result.Response is { Length: > 0 } response)
            {
                writer.WritePropertyName("response"u8);
                writer.WriteRawValue(response, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private sealed record BulkResult(string? Method, string? BulkId, string? Location, string? Version, int Status, byte[]? Response, string? Id)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        public static BulkResult Failure(string? method, string? bulkId, string? location, int status, ScimType type, string detail)
        {
            var body = JsonResponseBuffer.Rent();
            try
            {
                ScimError.Write(body.Writer, status, type, detail);
                return new BulkResult(method, bulkId, location, null, status, body.WrittenMemory.ToArray(), null);
            }
            finally
            {
                body.Return();
            }
        }
    }

    private sealed class OperationBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }
}
