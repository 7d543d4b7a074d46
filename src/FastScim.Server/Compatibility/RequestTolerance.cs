using FastScim.Core.Compatibility;
using FastScim.Server.Hosting;

namespace FastScim.Server.Compatibility;

/// <summary>The <see cref="ToleranceContext"/> of one SCIM request: its tenant's profile, reporting to the compatibility log.</summary>
internal sealed class RequestTolerance : ToleranceContext
{
    private readonly ScimRequest _request;

    private RequestTolerance(ScimRequest request)
        : base(request.Settings.StrictCompatibility) => _request = request;

    /// <summary>Makes the request's context current for everything it runs (its async calls and its queued writes).</summary>
    public static void Begin(ScimRequest request) => Tolerance.Current = new RequestTolerance(request);

    protected override void OnFired(ToleranceRule rule)
    {
        if (_request.CompatibilityLog is { } log)
        {
            log.Record(_request.Tenant, _request.Client, rule, () => Example(_request));
        }
    }

    private static string Example(ScimRequest request)
    {
        var http = request.Request;
        var body = request.Body is { IsDisposed: false } held ? held.Span : default;
        return RequestExample.Describe(http.Method, http.Path + http.QueryString, http.Headers.UserAgent.ToString(), body);
    }
}
