using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Core.Schema;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>PUT (RFC 7644 §3.5.1) and DELETE (§3.6), with If-Match preconditions (§3.14).</summary>
internal static partial class ScimHandlers
{
    /// <summary>The If-Match header, or null when absent (an unconditional write).</summary>
    private static string? IfMatch(ScimRequest request)
    {
        var value = request.Request.Headers.IfMatch.ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// RFC 7644 §3.5.1: "id" is readOnly; a body may carry it when it is the resource's own
    /// (Okta's PUT does), never another one's.
    /// </summary>
    private static void RequireOwnId(ScimRequest request, ReadOnlySpan<byte> body)
    {
        var id = ResourceBody.ReadId(body);
        if (id is not null && !string.Equals(id, request.IdString, StringComparison.Ordinal))
        {
            throw ScimException.BadRequest(ScimType.Mutability, $"The body's id '{id}' is not the id of the resource in the URL; 'id' is readOnly.");
        }
    }

    /// <param name="keep">
    /// What the replacement takes over from the stored resource: a new resource from (current,
    /// replacement), never a change to <paramref name="replacement"/>, because the store may run
    /// the change more than once against different states (IResourceCollection.UpdateAsync).
    /// </param>
    private static async Task ReplaceAsync<T>(ScimRequest request, IResourceCollection<T> collection, ResourceKind kind, T replacement, Func<T, T, T>? keep)
        where T : class, IScimResource
    {
        var checkImmutable = ImmutableAttributes.Any(kind.Schema);
        var stored = await WriteTurn.QueueAsync(request.WriteTurn, () => collection.UpdateAsync(
            request.IdString,
            IfMatch(request),
            current =>
            {
                if (checkImmutable)
                {
                    ImmutableAttributes.Check(ToJson<IScimResource>(current, kind.Writer), ToJson<IScimResource>(replacement, kind.Writer), kind.Schema);
                }

                return keep is null ? replacement : keep(current, replacement);
            },
            request.Aborted)).ConfigureAwait(false);
        // The stored version itself (IResourceCollection.UpdateAsync), which readers share.
        await SendResourceAsync(request, stored, kind, 200, includeLocation: false, shared: true).ConfigureAwait(false);
    }

    private static async Task DeleteAsync<T>(ScimRequest request, IResourceCollection<T> collection)
        where T : class, IScimResource
    {
        await WriteTurn.QueueAsync(request.WriteTurn, (collection, request), static s => s.collection.DeleteAsync(s.request.IdString, IfMatch(s.request), s.request.Aborted)).ConfigureAwait(false);
        ScimResponse.SendEmpty(request.Features, 204);
    }
}
