using System.IO.Pipelines;
using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Server.Routing;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>
/// What <c>fastscim import</c> and <c>fastscim export</c> run in a tenant without a client
/// connection (see <see cref="Admin.TenantTransfer"/>): a BulkRequest through the same
/// <c>POST /Bulk</c> handler a client reaches, and the whole tenant as one ListResponse.
/// </summary>
internal static partial class ScimHandlers
{
    // Pages read from the store while exporting: enough to amortise, few enough to hold.
    private const int ExportUsersPage = 500;
    private const int ExportGroupsPage = 100;

    /// <summary>
    /// Runs a BulkRequest body as <c>POST /Bulk</c> (RFC 7644 §3.7) in <paramref name="tenant"/>'s
    /// tenant: it becomes one synthetic request, run and answered exactly as a client's would be.
    /// Answers the status and body: 200 with the BulkResponse, or a SCIM error (§3.12).
    /// </summary>
    public static async Task<(int Status, byte[] Body)> RunBulkRequestAsync(ScimRequest tenant, ReadOnlyMemory<byte> bulkRequest)
    {
        var path = Paths.BasePath(tenant.Tenant) + "/Bulk";
        var answer = await ExecuteAsync(tenant, "POST", ScimVerb.Post, Router.Match(path), path, null, bulkRequest, turn: null).ConfigureAwait(false);
        return (answer.Status, answer.Body);
    }

    /// <summary>
    /// Every User, then every Group, of <paramref name="tenant"/>'s tenant as one ListResponse
    /// (RFC 7644 §3.4.2), each resource as GET returns it (the generated writer, so never a
    /// password), streamed page by page in creation order rather than held whole.
    /// </summary>
    public static async Task ExportAsync(ScimRequest tenant, PipeWriter output)
    {
        var writer = new Utf8JsonWriter(output, JsonResponseBuffer.Options);
        await using (writer.ConfigureAwait(false))
        {
            ListResponse.WriteStreamedStart(writer);
            var count = await ExportAsync(tenant, writer, output, UserKind, after => tenant.Store.Users.QueryAfter(after, null, ExportUsersPage)).ConfigureAwait(false);
            count += await ExportAsync(tenant, writer, output, GroupKind, after => tenant.Store.Groups.QueryAfter(after, null, ExportGroupsPage, includeMembers: true)).ConfigureAwait(false);
            ListResponse.WriteStreamedEnd(writer, count);
        }

        await output.FlushAsync(tenant.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One resource type by cursor pages (RFC 9865's keyset): each page is read from one snapshot;
    /// resources created meanwhile come later and deleted ones vanish, none is repeated.
    /// </summary>
    private static async Task<int> ExportAsync<T>(ScimRequest tenant, Utf8JsonWriter writer, PipeWriter output, ResourceKind kind, Func<long, CursorPage<T>> fetch)
        where T : class, IScimResource
    {
        var count = 0;
        var after = 0L;
        while (true)
        {
            var page = fetch(after);
            foreach (var resource in page.Resources)
            {
                Prepare(tenant, resource, kind);
                kind.Write(writer, resource);
            }

            count += page.Resources.Count;
            writer.Flush();
            await output.FlushAsync(tenant.Aborted).ConfigureAwait(false);
            if (!page.HasMore)
            {
                return count;
            }

            after = page.LastSequence;
        }
    }
}
