using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>
/// Cursor paging (RFC 9865) on /Users and /Groups, GET and .search alike: a keyset on the
/// creation sequence, so a cursor stays valid while resources are added and removed and never
/// skips or repeats one that exists throughout. Results come in creation order; sortBy is
/// refused (see docs/architecture.md, "Paging and cursors").
/// </summary>
internal static partial class ScimHandlers
{
    private static Task ListUsersByCursorAsync(ScimRequest request) =>
        ListByCursorAsync(request, UserKind, (search, after) => FetchUsersAfter(request, search, after));

    private static Task ListGroupsByCursorAsync(ScimRequest request) =>
        ListByCursorAsync(request, GroupKind, (search, after) => FetchGroupsAfter(request, search, after));

    private static CursorPage<User> FetchUsersAfter(ScimRequest request, SearchRequest search, long after)
    {
        var filter = search.Filter is null ? null : Filters.Users.GetOrCompile(search.Filter);
        return request.Store.Users.QueryAfter(after, filter, search.Paging.Count);
    }

    /// <summary>Members are loaded only when the filter reads them or the response returns them.</summary>
    private static CursorPage<Group> FetchGroupsAfter(ScimRequest request, SearchRequest search, long after)
    {
        if (search.Filter is null)
        {
            return request.Store.Groups.QueryAfter(after, null, search.Paging.Count, ReturnsMembers(request));
        }

        var parsed = Filters.Groups.Parsed.GetOrParse(search.Filter);
        var filter = Filters.Groups.GetOrCompile(search.Filter, parsed);
        var needsMembers = ReturnsMembers(request) || FilterAnalysis.Mentions(parsed, "members");
        return request.Store.Groups.QueryAfter(after, filter, search.Paging.Count, needsMembers);
    }

    private static Task ListByCursorAsync<T>(ScimRequest request, ResourceKind kind, Func<SearchRequest, long, CursorPage<T>> fetch)
        where T : class, IScimResource
    {
        var search = request.Search;
        RequireCursorPaging(search);
        var queryHash = PageCursor.QueryHash(kind.Name, search.Filter, search.SortBy, search.Descending);
        var after = PageCursor.Decode(search.Cursor!, queryHash);
        var page = fetch(search, after);
        var nextCursor = page.HasMore ? PageCursor.Encode(page.LastSequence, queryHash) : null;
        var projection = ProjectionOf(request, kind);
        var body = JsonResponseBuffer.Rent();
        ListResponse.WriteCursorPage(body.Writer, page.Resources, page.TotalResults, nextCursor, (request, kind, projection), static (w, r, p) => WriteStored(p.request, w, r, p.kind, p.projection));
        return ScimResponse.SendAsync(request.Features, 200, body);
    }

    /// <summary>The combinations RFC 9865 leaves to the service provider, refused with its error keywords (§2.1).</summary>
    private static void RequireCursorPaging(SearchRequest search)
    {
        if (search.HasStartIndex)
        {
            throw ScimException.BadRequest(ScimType.InvalidCursor, "A query pages either by startIndex or by cursor (RFC 9865 §2.2), not both: drop one of them.");
        }

        if (search.SortBy is not null)
        {
            throw ScimException.BadRequest(ScimType.InvalidCursor, "Cursor paging returns resources in creation order and cannot be combined with sortBy; page a sorted query with startIndex instead.");
        }

        // Paging.Parse turns an explicit count of 0 or less into 0; without count it is the default.
        if (search.Paging.Count == 0)
        {
            throw ScimException.BadRequest(ScimType.InvalidCount, Invariant($"With a cursor, count must be between 1 and {Paging.MaxResults} (RFC 9865 §2.1); larger counts are lowered to {Paging.MaxResults}."));
        }
    }
}
