using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage.Planning;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Groups in one tenant file: the group documents (without members) in the groups collection,
/// their members in <see cref="Memberships"/>. Every write that touches both runs as one
/// operation on the tenant's writer, so it is atomic and durable together.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A SCIM collection of resources, named after IResourceCollection.")]
public sealed class LiteDbGroupCollection : IGroupCollection
{
    private readonly LiteDbResourceCollection<Group> _groups;
    private readonly Memberships _memberships;
    private readonly Func<string, string?> _displayNameOf; // made once: GroupsOf runs for every user rendered
    internal LiteDbGroupCollection(TenantDatabase database, ResourceCodec<Group> codec, Memberships memberships)
    {
        _memberships = memberships;

        // The generated mapping writes members; here they live in their own records instead, and
        // the in-memory model's groups have none either: a read fills them in.
        var withoutMembers = codec.Without("members", group =>
        {
            var copy = codec.Copy(group);
            copy.Members = null;
            return copy;
        });
        _groups = new LiteDbResourceCollection<Group>(database, withoutMembers, BeforeDelete, QueryPlanner.Groups, Memberships.GroupsWith);
        _displayNameOf = id => _groups.Read(id, static g => g.DisplayName);
    }

    public Task CreateAsync(Group resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(resource.Id);
        var members = MembershipChange.ReplaceWith(resource.Members);
        // The group's entry is made here, off the writer, as a user's is.
        var prepared = _groups.Prepare(resource);
        return _groups.Database.WriteAsync(
            static (context, s) =>
            {
                s.Groups.Insert(context, s.Prepared);
                s.Memberships.Apply(context, s.Id, s.Members);
                return true;
            },
            (Groups: _groups, Memberships: _memberships, Id: resource.Id!, Prepared: prepared, Members: members),
            cancellationToken);
    }

    public Group? Find(string id) => Find(id, includeMembers: true);

    public Group? Find(string id, bool includeMembers)
    {
        var group = _groups.Find(id);
        if (group is not null && includeMembers)
        {
            group.Members = _memberships.MembersOf(id);
        }

        return group;
    }

    public ResourcePage<Group> Query(Func<Group, bool> predicate, int skip, int count, Comparison<Group>? order = null) =>
        Query(predicate, skip, count, includeMembers: true, order);

    public ResourcePage<Group> Query(Func<Group, bool> predicate, int skip, int count, bool includeMembers, Comparison<Group>? order = null) =>
        Query(QueryPlan.Scan, predicate, skip, count, includeMembers, order);

    public ResourcePage<Group> Query(FilterNode? filter, Func<Group, bool> predicate, int skip, int count, Comparison<Group>? order = null) =>
        Query(filter, predicate, skip, count, includeMembers: true, order);

    public ResourcePage<Group> Query(FilterNode? filter, Func<Group, bool> predicate, int skip, int count, bool includeMembers, Comparison<Group>? order = null) =>
        Query(_groups.Plan(filter), predicate, skip, count, includeMembers, order);

    /// <summary>The query with a given plan (tests force a scan to compare it with the planned one).</summary>
    internal ResourcePage<Group> Query(QueryPlan plan, Func<Group, bool> predicate, int skip, int count, bool includeMembers, Comparison<Group>? order) =>
        _groups.Query(plan, predicate, skip, count, order, includeMembers ? group => group.Members = _memberships.MembersOf(group.Id!) : null);

    public CursorPage<Group> QueryAfter(long afterSequence, Func<Group, bool>? predicate, int count) =>
        QueryAfter(afterSequence, predicate, count, includeMembers: true);

    public CursorPage<Group> QueryAfter(long afterSequence, Func<Group, bool>? predicate, int count, bool includeMembers) =>
        _groups.QueryAfter(afterSequence, predicate, count, includeMembers ? group => group.Members = _memberships.MembersOf(group.Id!) : null);

    public ResourcePage<Group> List(int skip, int count)
    {
        var page = _groups.List(skip, count);
        foreach (var group in page.Resources)
        {
            group.Members = _memberships.MembersOf(group.Id!);
        }

        return page;
    }

    /// <summary>PUT: the change sees the group with all its members, and its members replace them.</summary>
    public Task<Group> UpdateAsync(string id, string? ifMatch, Func<Group, Group> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _groups.Database.WriteAsync(
            context =>
            {
                IReadOnlyList<Member>? replacement = null;
                var group = _groups.Update(
                    context,
                    id,
                    ifMatch,
                    current =>
                    {
                        current.Members = Memberships.MembersOf(context, id);
                        var updated = change(current);
                        replacement = updated.Members;
                        return updated;
                    },
                    sideChange: c => _memberships.Apply(c, id, MembershipChange.ReplaceWith(replacement)));
                group.Members = Memberships.MembersOf(context, id);
                return group;
            },
            cancellationToken);
    }

    public Task<Group> UpdateAsync(string id, string? ifMatch, Func<Group, Group>? change, MembershipChange? members, bool returnMembers, CancellationToken cancellationToken = default)
    {
        return _groups.Database.WriteAsync(
            context =>
            {
                var group = _groups.Update(
                    context,
                    id,
                    ifMatch,
                    change is null ? null : current => change(current),
                    members is null || members.IsEmpty ? null : c => _memberships.Apply(c, id, members));
                group.Members = returnMembers ? Memberships.MembersOf(context, id) : null;
                return group;
            },
            cancellationToken);
    }

    public Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default) =>
        _groups.DeleteAsync(id, ifMatch, cancellationToken);

    // The groups' version first: a caller comparing two answers brackets what it read in between (see Memberships).
    public long GroupsVersionOf(string memberId) => _memberships.GroupsVersionOf(memberId, _groups.Version);

    public long GroupsState => _memberships.GroupsState(_groups.Version);

    public IReadOnlyList<GroupMembership> GroupsOf(string memberId) => _memberships.GroupsOf(memberId, _displayNameOf);

    /// <summary>Removes the group's own members and takes it out of the groups it belongs to (their versions move on).</summary>
    private void BeforeDelete(WriteContext context, string id)
    {
        Memberships.RemoveMembersOf(context, id);
        foreach (var parent in Memberships.RemoveEverywhere(context, id))
        {
            _groups.Touch(context, parent);
        }
    }

    /// <summary>A member that is deleted leaves every group it was in; those groups' versions move on.</summary>
    internal void RemoveMemberEverywhere(WriteContext context, string memberId)
    {
        foreach (var group in Memberships.RemoveEverywhere(context, memberId))
        {
            _groups.Touch(context, group);
        }
    }
}
