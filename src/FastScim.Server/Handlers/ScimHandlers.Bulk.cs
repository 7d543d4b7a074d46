using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using FastScim.Core.Bulk;
using FastScim.Core.Discovery;
using FastScim.Core.Protocol;
using FastScim.Server.Compatibility;
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
        // Each operation's data is a slice of the body, so the body stays until the last operation is done.
        using var body = await ReadBodyAsync(request).ConfigureAwait(false);
        var bulk = BulkRequest.Parse(body.Memory, ServiceProviderConfig.BulkMaxOperations);

        var graph = BulkIdGraph.Build(bulk.Operations);
        var results = new BulkResult?[bulk.Operations.Count];
        var createdIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var deferred = new List<DeferredReferences>();
        var errors = 0;
        var next = 0;
        var stopped = false;
        while (next < graph.Order.Count && !stopped)
        {
            // Independent operations run together, so the tenant's writer commits (and fsyncs)
            // them as one transaction instead of one each (BulkBatch says which may).
            var batch = new BulkBatch(bulk.FailOnErrors is { } limit ? limit - errors : int.MaxValue);
            for (; next < graph.Order.Count; next++)
            {
                var index = graph.Order[next];
                if (!batch.TryAdd(bulk.Operations[index], graph.References[index], graph.Cyclic.Contains(index)))
                {
                    break;
                }
            }

            // They run concurrently on the thread pool; their turns queue the writes in this order.
            var running = new Task<(BulkResult Result, DeferredReferences? Later)>[batch.Indexes.Count];
            WriteTurn? turn = null;
            try
            {
                for (var i = 0; i < running.Length; i++)
                {
                    var operation = bulk.Operations[batch.Indexes[i]];
                    var mine = turn = new WriteTurn(turn);
                    var place = await BulkAdmission.EnterAsync(request.Store, request.Aborted).ConfigureAwait(false);
                    running[i] = Task.Run(async () =>
                    {
                        try
                        {
                            return await RunOperationAsync(request, operation, graph, createdIds, failed, mine).ConfigureAwait(false);
                        }
                        finally
                        {
                            mine.Pass();
                            place.Dispose();
                        }
                    });
                }
            }
            catch
            {
                // The request is given up (the client went away): the operations already started
                // still read their data from the body, which must outlive them.
                await DrainAsync(running).ConfigureAwait(false);
                throw;
            }

            await Task.WhenAll(running).ConfigureAwait(false);
            for (var i = 0; i < running.Length && !stopped; i++)
            {
                var operation = bulk.Operations[batch.Indexes[i]];
                var (result, later) = running[i].Result;
                results[operation.Index] = result;
                if (later is not null)
                {
                    deferred.Add(later);
                }

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

                // §3.7.3: after failOnErrors errors the request stops; the rest is neither run nor
                // reported. The batch's capacity makes this its last operation.
                stopped = !result.Succeeded && ++errors >= bulk.FailOnErrors;
            }
        }

        foreach (var members in deferred)
        {
            results[members.Index] = await AddDeferredReferencesAsync(request, members, results[members.Index]!, createdIds).ConfigureAwait(false);
        }

        var response = JsonResponseBuffer.Rent();
        WriteBulkResponse(response.Writer, results);
        await ScimResponse.SendAsync(request.Features, 200, response).ConfigureAwait(false);
    }

    /// <summary>Waits for every operation started, whatever each ends with.</summary>
    private static async Task DrainAsync(Task[] started)
    {
        foreach (var task in started)
        {
            if (task is not null)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Its outcome is not reported: the request it belongs to failed.
                }
            }
        }
    }

    private static async Task<(BulkResult Result, DeferredReferences? Later)> RunOperationAsync(ScimRequest bulkRequest, BulkOperation operation, BulkIdGraph graph, Dictionary<string, string> createdIds, HashSet<string> failed, WriteTurn turn)
    {
        var method = operation.Method?.ToUpperInvariant();
        var verb = method is null ? ScimVerb.Other : Router.ParseVerb(method);
        var basePath = Paths.BasePath(bulkRequest.Tenant);
        (BulkResult, DeferredReferences?) Fail(int status, ScimType type, string detail) =>
            (BulkResult.Failure(method ?? operation.Method, operation.BulkId, null, status, type, detail), null);

        // Refused while its data was prepared (a string with no text, JsonText): this operation's to fail with.
        (BulkResult, DeferredReferences?) Refused(ScimException refusal) =>
            Fail(refusal.Status, refusal.ScimType, $"Operations[{operation.Index}]: {refusal.Detail}");

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

        // §3.7.1: a user or group on a cycle of references is created without the manager or
        // members not created yet; they are added by a PATCH once the whole request has run.
        var data = operation.Data;
        ReadOnlyMemory<byte>? referencesLater = null;
        var unresolved = graph.References[operation.Index].Where(id => !createdIds.ContainsKey(id)).ToList();
        bool Pending(string id) => graph.Declarations.ContainsKey(id) && !createdIds.ContainsKey(id) && !failed.Contains(id);
        var endpoint = verb == ScimVerb.Post && operation.Path is ['/', ..] ? Router.Match(basePath + operation.Path).Endpoint : ScimEndpoint.Root;
        if (unresolved.Exists(Pending) && endpoint is ScimEndpoint.Users or ScimEndpoint.Groups)
        {
            try
            {
                (data, referencesLater) = endpoint == ScimEndpoint.Users ? CircularReferences.SplitManager(data, Pending) : CircularReferences.SplitMembers(data, Pending);
            }
            catch (ScimException refusal)
            {
                return Refused(refusal);
            }

            if (referencesLater is not null)
            {
                var remaining = new List<string>();
                BulkReferences.Collect(operation.Path, remaining);
                BulkReferences.Collect(data.Span, remaining);
                unresolved = remaining.Where(id => !createdIds.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
            }
        }

        // §3.7.2: every other "bulkId:x" must name a POST of this request that has already succeeded.
        if (unresolved.Count > 0)
        {
            return Fail(409, ScimType.None, UnresolvedDetail(operation.Index, unresolved[0], graph, failed));
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

        ReadOnlyMemory<byte> resolved;
        try
        {
            resolved = BulkReferences.Substitute(data, createdIds);
        }
        catch (ScimException refusal)
        {
            return Refused(refusal);
        }

        var answer = await ExecuteAsync(bulkRequest, method!, verb, route, fullPath, operation.Version, resolved, turn).ConfigureAwait(false);
        var succeeded = answer.Status is >= 200 and < 300;
        var location = answer.Location ?? bulkRequest.BaseUrl + path;
        string? id = null;
        DeferredReferences? later = null;
        if (verb == ScimVerb.Post && succeeded)
        {
            id = location[(location.LastIndexOf('/') + 1)..];
            if (referencesLater is { } value)
            {
                later = endpoint == ScimEndpoint.Users
                    ? new DeferredReferences(operation.Index, "/Users/" + id, CircularReferences.ManagerPath, "manager", value)
                    : new DeferredReferences(operation.Index, "/Groups/" + id, CircularReferences.MembersPath, "members", value);
            }
        }

        return (new BulkResult(
            method!,
            operation.BulkId,
            verb == ScimVerb.Post && !succeeded ? null : location,
            answer.ETag,
            answer.Status,
            succeeded ? null : answer.Body,
            id), later);
    }

    private static string UnresolvedDetail(int index, string bulkId, BulkIdGraph graph, HashSet<string> failed) =>
        !graph.Declarations.ContainsKey(bulkId)
            ? $"Operations[{index}] refers to bulkId '{bulkId}', which no POST of this request declares (RFC 7644 §3.7.2)."
            : failed.Contains(bulkId)
                ? $"Operations[{index}] refers to bulkId '{bulkId}', whose operation failed (RFC 7644 §3.7.2)."
                : $"Operations[{index}] refers to bulkId '{bulkId}' through a circular chain of references that creating first cannot break (RFC 7644 §3.7.1): only users' enterprise managers and groups' members are added by a PATCH after the create.";

    /// <summary>The PATCH that adds the manager or members a resource on a cycle was created without (§3.7.1).</summary>
    private static async Task<BulkResult> AddDeferredReferencesAsync(ScimRequest bulkRequest, DeferredReferences later, BulkResult created, Dictionary<string, string> createdIds)
    {
        var missing = new List<string>();
        BulkReferences.Collect(later.Value.Span, missing);
        foreach (var bulkId in missing)
        {
            if (!createdIds.ContainsKey(bulkId))
            {
                return BulkResult.Failure(created.Method, created.BulkId, created.Location, 409, ScimType.None,
                    $"Operations[{later.Index}]: the resource was created, but its {later.What} could not be set: bulkId '{bulkId}' failed or did not run (RFC 7644 §3.7.1).");
            }
        }

        var body = new ArrayBufferWriter<byte>();
        body.Write("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\""u8);
        body.Write(System.Text.Encoding.UTF8.GetBytes(later.PatchPath));
        body.Write("\",\"value\":"u8);
        body.Write(BulkReferences.Substitute(later.Value, createdIds).Span);
        body.Write("}]}"u8);
        var path = Paths.BasePath(bulkRequest.Tenant) + later.ResourcePath;
        var answer = await ExecuteAsync(bulkRequest, "PATCH", ScimVerb.Patch, Router.Match(path), path, null, body.WrittenMemory, turn: null).ConfigureAwait(false);
        return answer.Status is >= 200 and < 300
            ? created with { Version = answer.ETag ?? created.Version }
            : created with { Status = answer.Status, Response = answer.Body };
    }

    /// <summary>Runs one request through <see cref="HandleAsync"/> and captures its answer.</summary>
    private static async Task<(int Status, string? Location, string? ETag, byte[] Body)> ExecuteAsync(ScimRequest bulkRequest, string method, ScimVerb verb, RouteMatch route, string fullPath, string? version, ReadOnlyMemory<byte> data, WriteTurn? turn)
    {
        var features = OperationFeatures(bulkRequest, method, fullPath, version, data, out var responseBody);
        var scim = new ScimRequest(features, features.GetRequiredFeature<IHttpRequestFeature>(), route, bulkRequest.Tenant, bulkRequest.Store, bulkRequest.Settings)
        {
            ErrorLog = bulkRequest.ErrorLog,
            WriteTurn = turn,
            SuccessBodyUnused = true,
            CompatibilityLog = bulkRequest.CompatibilityLog,
            Client = bulkRequest.Client,
        };

        // Each operation is its own request for the compatibility report (its own example).
        RequestTolerance.Begin(scim);
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
        var location = answer.Headers.Location.ToString();
        var etag = answer.Headers.ETag.ToString();
        return (answer.StatusCode, location.Length > 0 ? location : null, etag.Length > 0 ? etag : null, responseBody.ToArray());
    }

    /// <summary>What a created resource still needs: <paramref name="Value"/> added at <paramref name="PatchPath"/> (§3.7.1).</summary>
    private sealed record DeferredReferences(int Index, string ResourcePath, string PatchPath, string What, ReadOnlyMemory<byte> Value);

    /// <summary>The features of the single request a Bulk operation stands for.</summary>
    private static BulkOperationFeatures OperationFeatures(ScimRequest bulkRequest, string method, string path, string? version, ReadOnlyMemory<byte> data, out MemoryStream responseBody)
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

        var request = new HttpRequestFeature
        {
            Protocol = outer.Protocol,
            Scheme = outer.Scheme,
            Method = method,
            PathBase = "",
            Path = path,
            QueryString = "",
            RawTarget = path,
            Headers = headers,
        };
        responseBody = new MemoryStream();
        return new BulkOperationFeatures(
            request,
            data,
            new StreamResponseBodyFeature(responseBody),
            bulkRequest.Features.Get<IHttpRequestLifetimeFeature>(),
            bulkRequest.Features.Get<IHttpConnectionFeature>());
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
}
