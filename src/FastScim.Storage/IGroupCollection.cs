using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;

namespace FastScim.Storage;

/// <summary>
/// Groups, whose members are stored one record per membership rather than inside the group:
/// adding or removing one member of a 50,000-member group reads and writes that membership
/// alone, and a group read without members (<c>excludedAttributes=members</c>) never loads them.
/// So the stored version of a group has no members, and a group this collection answers —
/// <see cref="IResourceCollection{T}.UpdateAsync"/> included, which for users answers the stored
/// version itself — is a copy of the caller's own, its members read for it.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A SCIM collection of resources, named after IResourceCollection.")]
public interface IGroupCollection : IResourceCollection<Group>
{
    /// <summary>The group, with its members only when <paramref name="includeMembers"/> is true.</summary>
    Group? Find(string id, bool includeMembers);

    /// <summary>
    /// <see cref="IResourceCollection{T}.Query"/>, loading each group's members only when
    /// <paramref name="includeMembers"/> is true (the filter or the response needs them).
    /// </summary>
    ResourcePage<Group> Query(Func<Group, bool> predicate, int skip, int count, bool includeMembers, Comparison<Group>? order = null);

    /// <summary>
    /// <see cref="IResourceCollection{T}.QueryAfter"/>, loading each group's members only when
    /// <paramref name="includeMembers"/> is true (the filter or the response needs them).
    /// </summary>
    CursorPage<Group> QueryAfter(long afterSequence, Func<Group, bool>? predicate, int count, bool includeMembers);

    /// <summary>
    /// <see cref="Query(Func{Group, bool}, int, int, bool, Comparison{Group})"/> planned from the
    /// parsed <paramref name="filter"/> (see <see cref="IResourceCollection{T}.Query(FilterNode, Func{T, bool}, int, int, Comparison{T})"/>).
    /// </summary>
    ResourcePage<Group> Query(FilterNode? filter, Func<Group, bool> predicate, int skip, int count, bool includeMembers, Comparison<Group>? order = null) =>
        Query(predicate, skip, count, includeMembers, order);

    /// <summary>
    /// Changes a group's own attributes (<paramref name="change"/> gets the group WITHOUT members)
    /// and its membership (<paramref name="members"/>) together, atomically, on the tenant's
    /// writer, with the If-Match precondition and versioning of
    /// <see cref="IResourceCollection{T}.UpdateAsync"/>. Every added member must be a User or
    /// Group of this tenant, and a group may not contain itself, directly or through others:
    /// otherwise 400 invalidValue and nothing changes. Completes with the group as this update
    /// left it (RFC 7644 §3.14: the version answered is the one produced), with its members only
    /// when <paramref name="returnMembers"/> asks for them — read in the same transaction, so
    /// their cost is paid only by a client that wants them back.
    /// </summary>
    Task<Group> UpdateAsync(string id, string? ifMatch, Func<Group, Group>? change, MembershipChange? members, bool returnMembers, CancellationToken cancellationToken = default);

    /// <summary>
    /// The groups <paramref name="memberId"/> belongs to, directly and through nested groups
    /// (RFC 7643 §4.1.2, User "groups": derived, readOnly), nearest first.
    /// </summary>
    IReadOnlyList<GroupMembership> GroupsOf(string memberId);

    /// <summary>
    /// A number standing for what <see cref="GroupsOf"/> answers for <paramref name="memberId"/>:
    /// <see cref="NoGroups"/> while it belongs to no group; otherwise a number that changes with
    /// every change to any membership or group of the tenant. Read before and after reading
    /// <see cref="GroupsOf"/>: the same number both times, other than <see cref="NoGroups"/>,
    /// means that answer belongs to it. <see cref="NoGroups"/> twice does not say that no
    /// membership came and went in between: the answer belongs to it only when it is empty.
    /// </summary>
    long GroupsVersionOf(string memberId);

    /// <summary>
    /// A number that changes with every change to any membership or group of the tenant: while it
    /// is the same, <see cref="GroupsVersionOf"/> answers the same for every resource. Read before
    /// and after reading <see cref="GroupsVersionOf"/>: the same number both times says that answer
    /// holds at it. Costs no lookup, where <see cref="GroupsVersionOf"/> looks the resource up.
    /// </summary>
    long GroupsState { get; }

    /// <summary>What <see cref="GroupsVersionOf"/> answers for a resource that belongs to no group.</summary>
    const long NoGroups = -1;
}

/// <summary>One group a resource belongs to: directly, or through a group that is a member of it.</summary>
public sealed record GroupMembership(string GroupId, string? DisplayName, bool Direct);
