using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Server.Auth;
using FastScim.Server.Compatibility;
using FastScim.Server.Handlers;
using FastScim.Server.Io;
using FastScim.Server.Routing;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Hosting;

/// <summary>
/// The one terminal request handler: route on spans, authenticate, dispatch to the handler for
/// (endpoint, verb). No middleware, no endpoint routing.
/// </summary>
internal sealed class ScimApplication(TenantRegistry registry, TenantStoreCache stores, CompatibilityLog compatibility, TextWriter errorLog) : IHttpApplication<IFeatureCollection>
{
    private readonly BearerAuthenticator _authenticator = new(registry);

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(IFeatureCollection context)
    {
        var request = context.GetRequiredFeature<IHttpRequestFeature>();
        try
        {
            // Dispatched here rather than in an async method of its own: most requests wait on the
            // tenant's writer or the network, and each async method that waits is a state machine
            // moved to the heap — one per request instead of two (issue 7: bytes per request).
            if (Refusal(context, request, out var route, out var tenant, out var verb) is { } refused)
            {
                await refused.ConfigureAwait(false);
                return;
            }

            using var lease = await stores.AcquireAsync(tenant).ConfigureAwait(false);
            var scim = new ScimRequest(context, request, route, tenant, lease.Store, registry.SettingsOf(tenant)) { ErrorLog = errorLog, CompatibilityLog = compatibility };
            RequestTolerance.Begin(scim);
            await ScimHandlers.HandleAsync(scim, verb).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (request.Headers is not null && context.Get<IHttpRequestLifetimeFeature>()?.RequestAborted.IsCancellationRequested == true)
        {
            // The client went away; there is nobody to answer.
        }
#pragma warning disable CA1031 // The last line of defence: an unexpected failure is a SCIM 500, never a dropped connection.
        catch (Exception error)
#pragma warning restore CA1031
        {
            await SendFailureAsync(context, request, error, errorLog).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Answers a failed request with its SCIM error; shared with each operation of a Bulk
    /// request, so that an operation fails exactly as the single request would.
    /// </summary>
    internal static Task SendFailureAsync(IFeatureCollection context, IHttpRequestFeature request, Exception error, TextWriter errorLog) => error switch
    {
        ScimException scim => ScimResponse.SendErrorAsync(context, scim),

        // RFC 7644 §3.12: a body that is not valid JSON is invalidSyntax.
        JsonException json => ScimResponse.SendErrorAsync(context, 400, ScimType.InvalidSyntax, "The request body is not valid JSON" + (json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "") + "."),
        Microsoft.AspNetCore.Http.BadHttpRequestException bad => ScimResponse.SendErrorAsync(context, bad.StatusCode, ScimType.None, bad.Message),
        _ => SendInternalErrorAsync(context, request, error, errorLog),
    };

    private static async Task SendInternalErrorAsync(IFeatureCollection context, IHttpRequestFeature request, Exception error, TextWriter errorLog)
    {
        await errorLog.WriteLineAsync($"fastscim: {request.Method} {request.Path} failed: {error}").ConfigureAwait(false);
        await ScimResponse.SendErrorAsync(context, 500, ScimType.None, "An internal error occurred; the request was not applied.").ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a request that is refused before any handler runs — an unknown path (404), a
    /// missing or wrong token (401), a method the endpoint does not allow (405) — being sent; null
    /// when it is admitted, with its route, tenant and verb.
    /// </summary>
    private Task? Refusal(IFeatureCollection context, IHttpRequestFeature request, out RouteMatch route, out string tenant, out ScimVerb verb)
    {
        var path = request.Path;
        route = Router.Match(path);
        tenant = "";
        verb = default;
        if (route.Kind == RouteKind.NotFound)
        {
            return ScimResponse.SendErrorAsync(context, 404, ScimType.None, "Not found: SCIM endpoints are under /t/{tenant}/api/v1/scim/v2.");
        }

        var tenantInPath = path.AsSpan()[route.Tenant];
        if (_authenticator.Authenticate(request.Headers.Authorization, tenantInPath) is not { } authenticated)
        {
            context.GetRequiredFeature<IHttpResponseFeature>().Headers.WWWAuthenticate = BearerAuthenticator.Challenge;
            return ScimResponse.SendErrorAsync(context, 401, ScimType.None, BearerAuthenticator.FailureDetail);
        }

        tenant = authenticated;
        if (route.Kind == RouteKind.UnknownEndpoint || (route.Endpoint == ScimEndpoint.Root && !route.Search))
        {
            return ScimResponse.SendErrorAsync(context, 404, ScimType.None, $"Not found: no SCIM endpoint at '{path}'.");
        }

        verb = Router.ParseVerb(request.Method);
        if (!IsAllowed(route, verb))
        {
            context.GetRequiredFeature<IHttpResponseFeature>().Headers.Allow = Router.AllowedMethods(route);
            return ScimResponse.SendErrorAsync(context, 405, ScimType.None, $"The method {request.Method} is not allowed here; allowed: {Router.AllowedMethods(route)}.");
        }

        return null;
    }

    private static bool IsAllowed(in RouteMatch route, ScimVerb verb) => verb switch
    {
        ScimVerb.Get => !route.Search && route.Endpoint is not (ScimEndpoint.Bulk or ScimEndpoint.Root),
        ScimVerb.Post => route.Search || route.Endpoint is ScimEndpoint.Bulk || (route.Endpoint is ScimEndpoint.Users or ScimEndpoint.Groups && !route.HasId),
        ScimVerb.Put or ScimVerb.Patch or ScimVerb.Delete => !route.Search && route.HasId && route.Endpoint is ScimEndpoint.Users or ScimEndpoint.Groups,
        _ => false,
    };
}
