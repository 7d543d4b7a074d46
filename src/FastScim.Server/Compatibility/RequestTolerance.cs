using FastScim.Core.Compatibility;
using FastScim.Server.Hosting;

namespace FastScim.Server.Compatibility;

/// <summary>The <see cref="ToleranceContext"/> of one SCIM request: its tenant's profile, reporting to the compatibility log.</summary>
internal static class RequestTolerance
{
    /// <summary>Makes the request's context current for everything it runs (its async calls and its queued writes).</summary>
    public static void Begin(ScimRequest request)
    {
        var log = request.CompatibilityLog;
        Tolerance.Current = new ToleranceContext(
            request.Settings.StrictCompatibility,
            log is null ? null : rule => log.Record(request.Tenant, request.Client, rule, () => Example(request)));
    }

    private static string Example(ScimRequest request)
    {
        var http = request.Request;
        var body = request.Body is { IsDisposed: false } held ? held.Span : default;
        return RequestExample.Describe(http.Method, http.Path + http.QueryString, http.Headers.UserAgent.ToString(), body);
    }
}
