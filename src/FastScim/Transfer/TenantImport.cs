using System.Text.Json;
using FastScim.Administration;
using FastScim.Core.Bulk;

namespace FastScim.Transfer;

/// <summary>
/// <c>fastscim import</c>: reads the file three times and sends what <see cref="ImportPlan"/>
/// plans. First every resource is declared: a malformed file is refused before anything is
/// written, and the plan learns which ids the file holds. Then the Users are sent, then the
/// Groups, so that every member exists (or is known to have failed) before its group is planned.
/// </summary>
internal sealed class TenantImport(ITenantAdministration admin, string tenant, ProgressBar? progress)
{
    private static readonly ImportKind[] Order = [ImportKind.User, ImportKind.Group];

    public async Task<ImportPlan> RunAsync(string path)
    {
        var plan = new ImportPlan();
        var kinds = new List<ImportKind>();
        foreach (var resource in Read(path, _ => true))
        {
            plan.Declare(resource);
            kinds.Add(resource.Kind);
        }

        foreach (var kind in Order)
        {
            // Only the resources of this kind are read again (by their place in the file).
            foreach (var resource in Read(path, index => kinds[index] == kind))
            {
                if (plan.Add(resource) is { } chunk)
                {
                    await SendAsync(plan, chunk, kind).ConfigureAwait(false);
                }
            }

            while (plan.Flush() is { } chunk)
            {
                await SendAsync(plan, chunk, kind).ConfigureAwait(false);
            }

            progress?.End();
        }

        plan.Finish();
        return plan;
    }

    private static IEnumerable<ImportResource> Read(string path, Func<int, bool> wanted)
    {
        using var file = ResourceFile.Open(path);
        while (file.Next() is { } resource)
        {
            if (wanted(resource.Index))
            {
                yield return ImportResource.Read(resource.Json.Span, resource.Position);
            }
        }
    }

    private async Task SendAsync(ImportPlan plan, ImportChunk chunk, ImportKind kind)
    {
        var (status, body) = await admin.BulkAsync(tenant, chunk.Body).ConfigureAwait(false);
        if (status == 200)
        {
            plan.Record(chunk, body);
        }
        else
        {
            var (scimType, detail) = ScimError(body);
            plan.Fail(chunk, status, scimType, detail ?? "the BulkRequest was refused.");
        }

        progress?.Show(plan.Created(kind) + plan.Failed(kind), plan.Declared(kind), kind == ImportKind.User ? "users" : "groups");
    }

    /// <summary>scimType and detail of a SCIM error (RFC 7644 §3.12).</summary>
    private static (string? ScimType, string? Detail) ScimError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return (Text("scimType"), Text("detail"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
