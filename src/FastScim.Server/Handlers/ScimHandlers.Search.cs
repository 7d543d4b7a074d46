using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Server.Routing;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>POST …/.search (RFC 7644 §3.4.3): the query's parameters in a SearchRequest body.</summary>
internal static partial class ScimHandlers
{
    private static async Task SearchAsync(ScimRequest request)
    {
        using (var body = await ReadBodyAsync(request).ConfigureAwait(false))
        {
            request.Search = SearchRequest.Parse(body.Span);
        }

        switch (request.Route.Endpoint)
        {
            case ScimEndpoint.Users:
                await ListUsersAsync(request).ConfigureAwait(false);
                break;
            case ScimEndpoint.Groups:
                await ListGroupsAsync(request).ConfigureAwait(false);
                break;
            default:
                await SearchAllAsync(request).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// The root .search (§3.4.3) over every resource type: Users, then Groups, as one list paged
    /// across both.
    /// </summary>
    private static Task SearchAllAsync(ScimRequest request)
    {
        var search = request.Search;
        if (search.Cursor is not null)
        {
            throw ScimException.BadRequest(ScimType.InvalidCursor, "Cursor paging (RFC 9865) is served on /Users and /Groups; the root .search pages by startIndex.");
        }

        var paging = search.Paging;
        // One filter over every type: an attribute a type lacks is unassigned on it.
        var users = FetchUsers(request, search, acrossTypes: true);
        var groupSkip = Math.Max(0, paging.Skip - users.TotalResults);
        var groups = FetchGroups(request, search with { Paging = new Paging(groupSkip + 1, paging.Count - users.Resources.Count) }, acrossTypes: true);
        var items = new List<(IScimResource Resource, ResourceKind Kind)>(users.Resources.Count + groups.Resources.Count);
        foreach (var user in users.Resources)
        {
            items.Add((user, UserKind));
        }

        foreach (var group in groups.Resources)
        {
            items.Add((group, GroupKind));
        }

        // Each resource type has its own schema, so each gets its own projection.
        var userProjection = ProjectionOf(request, UserKind);
        var groupProjection = ProjectionOf(request, GroupKind);
        var responseBody = JsonResponseBuffer.Rent();
        ListResponse.Write(
            responseBody.Writer,
            items,
            users.TotalResults + groups.TotalResults,
            paging.StartIndex,
            (request, userProjection, groupProjection),
            static (w, item, p) => WriteStored(p.request, w, item.Resource, item.Kind, item.Kind == UserKind ? p.userProjection : p.groupProjection));
        return ScimResponse.SendAsync(request.Features, 200, responseBody);
    }
}
