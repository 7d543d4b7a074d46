using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Core.Security;
using FastScim.Server.Hosting;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>The /Users endpoint (RFC 7644 §3.2).</summary>
internal static partial class ScimHandlers
{
    private static Task CreateUserAsync(ScimRequest request) => WithBodyAsync(request, static (request, body) =>
    {
        User user;
        using (body)
        {
            user = ResourceBody.Read(body.Span, UserJson.Read, ResourceSchema.User);
        }

        ValidateUser(user);
        return CreateAsync(request, user, request.Store.Users, UserKind);
    });

    private static Task ReplaceUserAsync(ScimRequest request) => WithBodyAsync(request, static (request, body) =>
    {
        User user;
        using (body)
        {
            RequireOwnId(request, body.Span);
            user = ResourceBody.Read(body.Span, UserJson.Read, ResourceSchema.User);
        }

        ValidateUser(user);

        // A password is never returned, so a client cannot send it back: a PUT without one keeps it.
        return ReplaceAsync(request, request.Store.Users, UserKind, user, static (current, replacement) => replacement.Password is null ? WithPassword(replacement, current.Password) : replacement);
    });

    private static User WithPassword(User user, string? password)
    {
        User copy = user.Copy();
        copy.Password = password;
        return copy;
    }

    private static Task DeleteUserAsync(ScimRequest request) => DeleteAsync(request, request.Store.Users);

    /// <summary>Schema rules a User must satisfy whatever wrote it; hashes a new password.</summary>
    private static void ValidateUser(User user)
    {
        // RFC 7643 §4.1.1: userName is REQUIRED.
        if (string.IsNullOrWhiteSpace(user.UserName))
        {
            throw ScimException.BadRequest(ScimType.InvalidValue, "The attribute 'userName' is required.");
        }

        // RFC 7643 §4.1.1: the cleartext password is never stored or returned.
        if (user.Password is { } password && !PasswordHash.IsHash(password))
        {
            user.Password = PasswordHash.Hash(password);
        }
    }

    private static Task GetUserAsync(ScimRequest request) => GetAsync(request, request.Store.Users.FindShared(request.IdString), UserKind);

    /// <summary>RFC 7643 §4.1.2: "groups" is derived from the groups' members, direct and indirect, always current.</summary>
    private static void CompleteUser(ScimRequest request, User user)
    {
        var memberships = request.Store.Groups.GroupsOf(user.Id!);
        if (memberships.Count == 0)
        {
            user.Groups = null;
            return;
        }

        var groups = new List<UserGroup>(memberships.Count);
        foreach (var membership in memberships)
        {
            groups.Add(new UserGroup
            {
                Value = membership.GroupId,
                Ref = ReferenceTo(request, "Group", membership.GroupId),
                Display = membership.DisplayName,
                Type = membership.Direct ? "direct" : "indirect",
            });
        }

        user.Groups = groups;
    }

    private static Task ListUsersAsync(ScimRequest request) =>
        request.Search.Cursor is not null ? ListUsersByCursorAsync(request) : ListAsync(request, UserKind, search => FetchUsers(request, search));

    private static ResourcePage<User> FetchUsers(ScimRequest request, SearchRequest search, bool acrossTypes = false)
    {
        if (search.Filter is null && search.SortBy is null)
        {
            return request.Store.Users.ListShared(search.Paging.Skip, search.Paging.Count);
        }

        var parsed = search.Filter is null ? null : Filters.Users.Parsed.GetOrParse(search.Filter);
        var filter = parsed is null
            ? static _ => true
            : acrossTypes
                ? FilterCompiler.Compile<User, UserAccessors>(parsed, unknownIsUnassigned: true)
                : Filters.Users.GetOrCompile(search.Filter!, parsed);
        var order = search.SortBy is null ? null : ScimSort.Create<User, UserAccessors>(SortPath(search.SortBy), search.Descending);

        // The parsed filter lets the store seek an index (userName eq …) instead of reading every user.
        return request.Store.Users.Query(parsed, filter, search.Paging.Skip, search.Paging.Count, order);
    }
}
