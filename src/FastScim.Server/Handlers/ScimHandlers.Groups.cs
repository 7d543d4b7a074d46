using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Server.Hosting;

namespace FastScim.Server.Handlers;

/// <summary>The /Groups endpoint (RFC 7644 §3.2).</summary>
internal static partial class ScimHandlers
{
    private static async Task CreateGroupAsync(ScimRequest request)
    {
        Group group;
        using (var body = await ReadBodyAsync(request).ConfigureAwait(false))
        {
            group = GroupJson.Read(body.Span);
        }

        ValidateGroup(group);
        ResolveMembers(request, group);
        await CreateAsync(request, group, request.Store.Groups, GroupKind).ConfigureAwait(false);
    }

    private static void ValidateGroup(Group group)
    {
        // RFC 7643 §4.2: displayName is REQUIRED.
        if (string.IsNullOrWhiteSpace(group.DisplayName))
        {
            throw ScimException.BadRequest(ScimType.InvalidValue, "The attribute 'displayName' is required.");
        }
    }

    /// <summary>
    /// Every member must be a User or Group of this tenant (RFC 7643 §4.2: "value" is the member's
    /// id); "type" is filled in from what the id names. A member of another tenant is unknown here.
    /// </summary>
    private static void ResolveMembers(ScimRequest request, Group group)
    {
        if (group.Members is not { Count: > 0 } members)
        {
            return;
        }

        foreach (var member in members)
        {
            if (string.IsNullOrEmpty(member.Value))
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, "Every member needs a 'value': the id of a User or Group.");
            }

            string type;
            if (request.Store.Users.Find(member.Value) is not null)
            {
                type = "User";
            }
            else if (request.Store.Groups.Find(member.Value) is not null)
            {
                type = "Group";
            }
            else
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, Invariant($"The member '{member.Value}' is neither a User nor a Group of this tenant."));
            }

            member.Type = type;
        }
    }

    private static async Task ReplaceGroupAsync(ScimRequest request)
    {
        Group group;
        using (var body = await ReadBodyAsync(request).ConfigureAwait(false))
        {
            RequireOwnId(request, body.Span);
            group = GroupJson.Read(body.Span);
        }

        ValidateGroup(group);
        ResolveMembers(request, group);
        await ReplaceAsync(request, request.Store.Groups, GroupKind, group, keep: null).ConfigureAwait(false);
    }

    private static Task DeleteGroupAsync(ScimRequest request) => DeleteAsync(request, request.Store.Groups);

    private static Task GetGroupAsync(ScimRequest request) => GetAsync(request, request.Store.Groups, GroupKind);

    private static Task ListGroupsAsync(ScimRequest request) => ListAsync(request, request.Store.Groups, GroupKind);
}
