using System.Collections.Immutable;
using FastScim.Core.Resources;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// The in-memory read model of the <c>memberships</c> collection: each group's members and each
/// resource's direct groups, kept in step by the tenant's writer like <see cref="ResourceModel{T}"/>
/// (applied after each commit, published copy-on-write once it is durable, read without a lock). Reading a
/// user's <c>groups</c> (every GET of a user, 100 per page) or a group's members is a dictionary
/// lookup instead of a LiteDB query; a 50,000-member group changes in O(log n) per member.
/// </summary>
internal sealed class MembershipModel : IResourceModel
{
    private static readonly ImmutableSortedDictionary<string, Member> NoMembers = ImmutableSortedDictionary.Create<string, Member>(StringComparer.Ordinal);
    private static readonly ImmutableSortedSet<string> NoGroups = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    private volatile Snapshot _current;
    private Snapshot? _built; // the writer's: applied, not yet durable, so not yet shown (Publish)

    public MembershipModel(ILiteCollection<BsonDocument> collection)
    {
        var builder = new Builder(Snapshot.Empty);
        foreach (BsonDocument document in collection.FindAll())
        {
            builder.Put(document);
        }

        _current = builder.ToSnapshot();
    }

    /// <summary>A group's members, ordered by member id (a new list each call).</summary>
    public List<Member> MembersOf(string groupId) =>
        _current.ByGroup.TryGetValue(groupId, out var members) ? [.. members.Values.Select(static m => new Member { Value = m.Value, Type = m.Type, Display = m.Display })] : [];

    /// <summary>The groups <paramref name="memberId"/> is a direct member of.</summary>
    public IReadOnlySet<string> DirectGroupsOf(string memberId) =>
        _current.ByMember.TryGetValue(memberId, out var groups) ? groups : NoGroups;

    /// <summary>The current snapshot's version (it grows with every applied batch: equal versions, equal memberships).</summary>
    public long Version => _current.Version;

    /// <summary>
    /// From one snapshot: whether <paramref name="memberId"/> is a direct member of any group, and
    /// the snapshot's <see cref="Version"/>.
    /// </summary>
    public (bool IsMember, long Version) MembershipOf(string memberId)
    {
        Snapshot current = _current;
        return (current.ByMember.ContainsKey(memberId), current.Version);
    }

    // Memberships keep nothing outside the model.
    public void Close()
    {
    }

    public void Apply(IReadOnlyList<ResourceChange> changes)
    {
        var builder = new Builder(_built ?? _current);
        foreach (ResourceChange change in changes)
        {
            if (change.Document is null)
            {
                builder.Remove(change.Id.AsString);
            }
            else
            {
                builder.Put(change.Document);
            }
        }

        _built = builder.ToSnapshot();
    }

    public void Publish()
    {
        if (_built is { } built)
        {
            _current = built;
            _built = null;
        }
    }

    private sealed record Snapshot(
        ImmutableDictionary<string, ImmutableSortedDictionary<string, Member>> ByGroup,
        ImmutableDictionary<string, ImmutableSortedSet<string>> ByMember,
        long Version)
    {
        public static Snapshot Empty { get; } = new(
            ImmutableDictionary.Create<string, ImmutableSortedDictionary<string, Member>>(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal),
            Version: 0);
    }

    private sealed class Builder(Snapshot start)
    {
        private readonly ImmutableDictionary<string, ImmutableSortedDictionary<string, Member>>.Builder _byGroup = start.ByGroup.ToBuilder();
        private readonly ImmutableDictionary<string, ImmutableSortedSet<string>>.Builder _byMember = start.ByMember.ToBuilder();

        public void Put(BsonDocument document)
        {
            var group = document["group"].AsString;
            var member = new Member
            {
                Value = document["value"].AsString,
                Type = document["type"].AsString,
                Display = document["display"] is { IsString: true } display ? display.AsString : null,
            };
            _byGroup[group] = _byGroup.GetValueOrDefault(group, NoMembers).SetItem(member.Value, member);
            _byMember[member.Value] = _byMember.GetValueOrDefault(member.Value, NoGroups).Add(group);
        }

        /// <summary>Removes the record "group|member" (Memberships' key).</summary>
        public void Remove(string key)
        {
            var bar = key.IndexOf('|', StringComparison.Ordinal);
            var group = key[..bar];
            var member = key[(bar + 1)..];
            if (_byGroup.TryGetValue(group, out var members))
            {
                members = members.Remove(member);
                if (members.IsEmpty)
                {
                    _byGroup.Remove(group);
                }
                else
                {
                    _byGroup[group] = members;
                }
            }

            if (_byMember.TryGetValue(member, out var groups))
            {
                groups = groups.Remove(group);
                if (groups.IsEmpty)
                {
                    _byMember.Remove(member);
                }
                else
                {
                    _byMember[member] = groups;
                }
            }
        }

        public Snapshot ToSnapshot() => new(_byGroup.ToImmutable(), _byMember.ToImmutable(), start.Version + 1);
    }
}
