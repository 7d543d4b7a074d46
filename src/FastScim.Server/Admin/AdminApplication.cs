using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Server.Compatibility;
using FastScim.Server.Io;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Server.Admin;

/// <summary>
/// Tenant and token administration for the <c>fastscim</c> command while a server runs, served
/// only on a Unix domain socket in the data directory (mode 0600). The CLI must not open the
/// server's LiteDB files itself: LiteDB can lose writes when two processes share a file
/// (LiteDB #2163), and the running server's in-memory token table would not see the change.
/// <code>
/// GET    /tenants                       list
/// POST   /tenants/{name}                create; answers the first token
/// DELETE /tenants/{name}                delete with its data
/// GET    /tenants/{name}/tokens         list token prefixes
/// POST   /tenants/{name}/tokens         new token
/// DELETE /tenants/{name}/tokens/{prefix} revoke
/// GET    /tenants/{name}/settings       the tenant's settings
/// PUT    /tenants/{name}/settings/{key}/{value}  change one (group-patch-response: 200 | 204; compat: lenient | strict)
/// GET    /tenants/{name}/compat         the compatibility report
/// POST   /tenants/{name}/bulk           run a BulkRequest in the tenant (fastscim import)
/// GET    /tenants/{name}/export         the tenant as one ListResponse, streamed (fastscim export)
/// </code>
/// </summary>
internal sealed partial class AdminApplication(TenantRegistry registry, TenantStoreCache stores, CompatibilityLog compatibility, TenantTransfer transfer, TextWriter errorLog) : IHttpApplication<IFeatureCollection>
{
    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public async Task ProcessRequestAsync(IFeatureCollection context)
    {
        var request = context.GetRequiredFeature<IHttpRequestFeature>();
        var body = JsonResponseBuffer.Rent();
        int status;
        try
        {
            status = await HandleAsync(context, request, body.Writer).ConfigureAwait(false);
            if (status == AlreadySent)
            {
                body.Return();
                return;
            }
        }
        catch (Exception error) when (context.GetRequiredFeature<IHttpResponseFeature>().HasStarted)
        {
            // A streamed answer (export) failed half-way: it cannot become an error any more, so
            // the connection is aborted and the CLI sees a truncated body instead of a whole one.
            await errorLog.WriteLineAsync($"fastscim admin: {request.Method} {request.Path} failed: {error}").ConfigureAwait(false);
            body.Return();
            throw;
        }
        catch (AdminException error)
        {
            body.Clear();
            status = error.Status;
            WriteError(body.Writer, error.Message);
        }
        catch (ScimException error)
        {
            body.Clear();
            status = error.Status;
            WriteError(body.Writer, error.Detail);
        }
        catch (InvalidOperationException error)
        {
            body.Clear();
            status = 409;
            WriteError(body.Writer, error.Message);
        }
        catch (ArgumentException error)
        {
            body.Clear();
            status = 400;
            WriteError(body.Writer, error.Message);
        }
#pragma warning disable CA1031 // Report any failure to the CLI instead of dropping the connection.
        catch (Exception error)
#pragma warning restore CA1031
        {
            await errorLog.WriteLineAsync($"fastscim admin: {request.Method} {request.Path} failed: {error}").ConfigureAwait(false);
            body.Clear();
            status = 500;
            WriteError(body.Writer, "The server failed: " + error.Message);
        }

        var response = context.GetRequiredFeature<IHttpResponseFeature>();
        var bytes = body.WrittenMemory;
        response.StatusCode = status;
        response.Headers.ContentType = "application/json";
        response.Headers.ContentLength = bytes.Length;
        await context.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(bytes).ConfigureAwait(false);
        body.Return();
    }

    private async Task<int> HandleAsync(IFeatureCollection context, IHttpRequestFeature request, Utf8JsonWriter writer)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments[0] != "tenants")
        {
            throw new AdminException(404, $"Unknown admin path '{request.Path}'.");
        }

        var method = request.Method;
        switch (segments.Length)
        {
            case 1 when method == "GET":
                WriteTenants(writer);
                return 200;
            case 2 when method == "POST":
                writer.WriteStartObject();
                writer.WriteString("tenant"u8, segments[1]);
                writer.WriteString("token"u8, registry.CreateTenant(segments[1]));
                writer.WriteEndObject();
                return 201;
            case 2 when method == "DELETE":
                RequireTenant(segments[1]);
                await registry.DeleteTenantAsync(segments[1], stores.CloseAsync).ConfigureAwait(false);
                compatibility.Forget(segments[1]);
                writer.WriteStartObject();
                writer.WriteString("deleted"u8, segments[1]);
                writer.WriteEndObject();
                return 200;
            case 3 when segments[2] == "tokens" && method == "GET":
                RequireTenant(segments[1]);
                writer.WriteStartObject();
                writer.WriteStartArray("tokens"u8);
                foreach (var token in registry.ListTokens(segments[1]))
                {
                    writer.WriteStartObject();
                    writer.WriteString("prefix"u8, token.Prefix);
                    writer.WriteString("created"u8, token.Created);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                return 200;
            case 3 when segments[2] == "tokens" && method == "POST":
                RequireTenant(segments[1]);
                writer.WriteStartObject();
                writer.WriteString("tenant"u8, segments[1]);
                writer.WriteString("token"u8, registry.CreateToken(segments[1]));
                writer.WriteEndObject();
                return 201;
            case 3 when segments[2] == "compat" && method == "GET":
                RequireTenant(segments[1]);
                WriteCompatibility(writer, compatibility.Report(segments[1]));
                return 200;
            case 3 when segments[2] == "settings" && method == "GET":
                RequireTenant(segments[1]);
                WriteSettings(writer, registry.SettingsOf(segments[1]));
                return 200;
            case 5 when segments[2] == "settings" && method == "PUT":
                RequireTenant(segments[1]);
                var settings = TenantSettingNames.With(registry.SettingsOf(segments[1]), segments[3], segments[4]);
                registry.UpdateSettings(segments[1], settings);
                WriteSettings(writer, settings);
                return 200;
            case 3 when segments[2] == "bulk" && method == "POST":
                RequireTenant(segments[1]);
                return await BulkAsync(context, segments[1], writer).ConfigureAwait(false);
            case 3 when segments[2] == "export" && method == "GET":
                RequireTenant(segments[1]);
                await ExportAsync(context, segments[1]).ConfigureAwait(false);
                return AlreadySent;
            case 4 when segments[2] == "tokens" && method == "DELETE":
                RequireTenant(segments[1]);
                writer.WriteStartObject();
                writer.WriteNumber("revoked"u8, registry.RevokeToken(segments[1], segments[3]));
                writer.WriteEndObject();
                return 200;
            default:
                throw new AdminException(404, $"Unknown admin request {method} '{request.Path}'.");
        }
    }

    private void RequireTenant(string name)
    {
        if (!registry.Exists(name))
        {
            throw new AdminException(404, $"There is no tenant '{name}'.");
        }
    }

    private void WriteTenants(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("tenants"u8);
        foreach (var tenant in registry.ListTenants())
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, tenant.Name);
            writer.WriteString("created"u8, tenant.Created);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSettings(Utf8JsonWriter writer, TenantSettings settings)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in TenantSettingNames.Describe(settings))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteCompatibility(Utf8JsonWriter writer, IReadOnlyList<CompatibilityRecord> records)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("rules"u8);
        foreach (var record in records)
        {
            writer.WriteStartObject();
            writer.WriteString("rule"u8, record.Rule);
            writer.WriteString("client"u8, record.Client);
            writer.WriteNumber("count"u8, record.Count);
            writer.WriteString("lastSeen"u8, record.LastSeen);
            writer.WriteString("example"u8, record.Example);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("error"u8, message);
        writer.WriteEndObject();
    }
}
