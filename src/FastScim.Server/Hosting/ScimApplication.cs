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
            await DispatchAsync(context, request).ConfigureAwait(false);
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

    private async Task DispatchAsync(IFeatureCollection context, IHttpRequestFeature request)
    {
        var path = request.Path;
        var route = Router.Match(path);
        if (route.Kind == RouteKind.NotFound)
        {
            await ScimResponse.SendErrorAsync(context, 404, ScimType.None, "Not found: SCIM endpoints are under /t/{tenant}/api/v1/scim/v2.").ConfigureAwait(false);
            return;
        }

        var tenantInPath = path.AsSpan()[route.Tenant];
        var tenant = _authenticator.Authenticate(request.Headers.Authorization, tenantInPath);
        if (tenant is null)
        {
            context.GetRequiredFeature<IHttpResponseFeature>().Headers.WWWAuthenticate = BearerAuthenticator.Challenge;
            await ScimResponse.SendErrorAsync(context, 401, ScimType.None, BearerAuthenticator.FailureDetail).ConfigureAwait(false);
            return;
        }

        if (route.Kind == RouteKind.UnknownEndpoint || (route.Endpoint == ScimEndpoint.Root && !route.Search))
        {
            await ScimResponse.SendErrorAsync(context, 404, ScimType.None, $"Not found: no SCIM endpoint at '{path}'.").ConfigureAwait(false);
            return;
        }

        var verb = Router.ParseVerb(request.Method);
        if (!IsAllowed(route, verb))
        {
            context.GetRequiredFeature<IHttpResponseFeature>().Headers.Allow = Router.AllowedMethods(route);
            await ScimResponse.SendErrorAsync(context, 405, ScimType.None, $"The method {request.Method} is not allowed here; allowed: {Router.AllowedMethods(route)}.").ConfigureAwait(false);
            return;
        }

        using var lease = await stores.AcquireAsync(tenant).ConfigureAwait(false);
        var scim = new ScimRequest(context, request, route, tenant, lease.Store, registry.SettingsOf(tenant)) { ErrorLog = errorLog, CompatibilityLog = compatibility };
        RequestTolerance.Begin(scim);
        await ScimHandlers.HandleAsync(scim, verb).ConfigureAwait(false);
    }

    private static bool IsAllowed(in RouteMatch route, ScimVerb verb) => verb switch
    {
        ScimVerb.Get => !route.Search && route.Endpoint is not (ScimEndpoint.Bulk or ScimEndpoint.Root),
        ScimVerb.Post => route.Search || route.Endpoint is ScimEndpoint.Bulk || (route.Endpoint is ScimEndpoint.Users or ScimEndpoint.Groups && !route.HasId),
        ScimVerb.Put or ScimVerb.Patch or ScimVerb.Delete => !route.Search && route.HasId && route.Endpoint is ScimEndpoint.Users or ScimEndpoint.Groups,
        _ => false,
    };
}
