using FastScim.Core.Resources;
using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Server.Hosting;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>The /Groups endpoint (RFC 7644 §3.2).</summary>
internal static partial class ScimHandlers
{
    private static Task CreateGroupAsync(ScimRequest request) => WithBodyAsync(request, static (request, body) =>
    {
        Group group;
        using (body)
        {
            group = ResourceBody.Read(body.Span, GroupJson.Read, ResourceSchema.Group);
        }

        ValidateGroup(group);
        return CreateAsync(request, group, request.Store.Groups, GroupKind, reread: true);
    });

    private static void ValidateGroup(Group group)
    {
        // RFC 7643 §4.2: displayName is REQUIRED.
        if (string.IsNullOrWhiteSpace(group.DisplayName))
        {
            throw ScimException.BadRequest(ScimType.InvalidValue, "The attribute 'displayName' is required.");
        }
    }

    private static Task ReplaceGroupAsync(ScimRequest request) => WithBodyAsync(request, static (request, body) =>
    {
        Group group;
        using (body)
        {
            RequireOwnId(request, body.Span);
            group = ResourceBody.Read(body.Span, GroupJson.Read, ResourceSchema.Group);
        }

        ValidateGroup(group);
        return ReplaceAsync(request, request.Store.Groups, GroupKind, group, keep: null);
    });

    private static Task DeleteGroupAsync(ScimRequest request) => DeleteAsync(request, request.Store.Groups);

    /// <summary>GET /Groups/{id}; with <c>excludedAttributes=members</c> (Entra) the members are never loaded.</summary>
    private static Task GetGroupAsync(ScimRequest request) =>
        GetAsync(request, request.Store.Groups.Find(request.IdString, includeMembers: ReturnsMembers(request)), GroupKind);

    private static bool SortsByMembers(SearchRequest search) =>
        search.SortBy is not null && SortPath(search.SortBy).Name.Equals("members", StringComparison.OrdinalIgnoreCase);

    private static bool ReturnsMembers(ScimRequest request) => ProjectionOf(request, GroupKind)?.Returns("members") ?? true;

    private static void CompleteGroup(ScimRequest request, Group group)
    {
        // Edited in place, unlike a stored version's lists: a group's members are read afresh for
        // each answer (Memberships.MembersOf) and never live in the model, so no reader shares them.
        if (group.Members is { } members)
        {
            foreach (var member in members)
            {
                member.Ref = ReferenceTo(request, member.Type, member.Value);
            }
        }
    }

    private static Task ListGroupsAsync(ScimRequest request) =>
        request.Search.Cursor is not null ? ListGroupsByCursorAsync(request) : ListAsync(request, GroupKind, search => FetchGroups(request, search));

    /// <summary>Members are loaded only when the filter reads them or the response returns them.</summary>
    private static ResourcePage<Group> FetchGroups(ScimRequest request, SearchRequest search, bool acrossTypes = false)
    {
        var groups = request.Store.Groups;
        var returnMembers = ReturnsMembers(request);
        var order = search.SortBy is null ? null : ScimSort.Create<Group, GroupAccessors>(SortPath(search.SortBy), search.Descending);
        if (search.Filter is null)
        {
            return returnMembers && order is null
                ? groups.List(search.Paging.Skip, search.Paging.Count)
                : groups.Query(static _ => true, search.Paging.Skip, search.Paging.Count, returnMembers || SortsByMembers(search), order);
        }

        var parsed = Filters.Groups.Parsed.GetOrParse(search.Filter);
        var filter = acrossTypes
            ? FilterCompiler.Compile<Group, GroupAccessors>(parsed, unknownIsUnassigned: true)
            : Filters.Groups.GetOrCompile(search.Filter, parsed);
        var needsMembers = returnMembers || SortsByMembers(search) || FilterAnalysis.Mentions(parsed, "members");

        // The parsed filter lets the store seek an index (displayName eq …, members.value eq …) instead of reading every group.
        return groups.Query(parsed, filter, search.Paging.Skip, search.Paging.Count, needsMembers, order);
    }
}
