using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Storage.Planning;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Group membership, one record per (group, member) in the collection <c>memberships</c>:
/// <c>{ _id: "group|member", group, value, type, display }</c>, indexed on <c>group</c> (a group's
/// members) and on <c>value</c> (a resource's groups). Adding or removing one member is one
/// point read and one write whatever the group's size; nothing is ever embedded in the group.
/// </summary>
internal sealed class Memberships
{
    public const string CollectionName = "memberships";

    /// <summary>How deep nested groups are followed (cycle and indirect-membership walks are bounded).</summary>
    public const int MaxNesting = 64;

    private readonly string _users;
    private readonly string _groups;
    private readonly MembershipModel _model;

    public Memberships(TenantDatabase database, string usersCollection, string groupsCollection)
    {
        _users = usersCollection;
        _groups = groupsCollection;
        database.EnsureIndex(CollectionName, "group", "$.group", unique: false);
        database.EnsureIndex(CollectionName, "value", "$.value", unique: false);

        // members.value is not caseExact: filters seek the upper-cased member (QueryPlanner).
        if (QueryPlanner.Groups.MembershipIndex is { } seekIndex)
        {
            database.EnsureIndex(CollectionName, "seek_value", seekIndex, unique: false);
        }

        // Reads are served from memory; the writer keeps the model in step with what is durable.
        _model = new MembershipModel(database.Database.GetCollection(CollectionName));
        database.Register(CollectionName, _model);
    }

    /// <summary>The ids of the groups with a member whose index key equals the seek's key (members.value eq …), read in the caller's transaction.</summary>
    public static IEnumerable<BsonValue> GroupsWith(LiteDatabase database, IndexSeek seek)
    {
        foreach (var membership in database.GetCollection(CollectionName).Find(LiteDbResourceCollection<Group>.SeekExpression(seek)))
        {
            yield return membership["group"];
        }
    }

    private static string Key(string group, string member) => group + "|" + member;

    /// <summary>
    /// <see cref="IGroupCollection.GroupsVersionOf"/>: <see cref="IGroupCollection.NoGroups"/> for a
    /// resource in no group, else the memberships' version and <paramref name="groupsVersion"/> (the
    /// groups' own, for their displayNames) in one number, each in 32 bits (it would take 4 billion
    /// batches of one tenant for a version to come round again).
    /// </summary>
    public long GroupsVersionOf(string memberId, long groupsVersion)
    {
        var (isMember, version) = _model.MembershipOf(memberId);
        return isMember ? State(version, groupsVersion) : IGroupCollection.NoGroups;
    }

    /// <summary><see cref="IGroupCollection.GroupsState"/>: what <see cref="GroupsVersionOf"/> answers for a member, read without looking one up.</summary>
    public long GroupsState(long groupsVersion) => State(_model.Version, groupsVersion);

    private static long State(long membershipsVersion, long groupsVersion) => (membershipsVersion << 32) | (groupsVersion & 0xFFFF_FFFF);

    /// <summary>A group's members as last committed, ordered by member id.</summary>
    public List<Member> MembersOf(string groupId) => _model.MembersOf(groupId);

    /// <summary>A group's members inside the writer's transaction (what it has changed so far included), ordered by member id.</summary>
    public static List<Member> MembersOf(WriteContext context, string groupId) =>
        [.. context.Collection(CollectionName).Find(Query.EQ("group", groupId)).Select(ToMember).OrderBy(static m => m.Value, StringComparer.Ordinal)];

    /// <summary>
    /// The groups a resource belongs to directly, then through nesting (bounded, each group once),
    /// with each group's displayName from <paramref name="displayNameOf"/>.
    /// </summary>
    public IReadOnlyList<GroupMembership> GroupsOf(string memberId, Func<string, string?> displayNameOf)
    {
        var direct = _model.DirectGroupsOf(memberId);
        if (direct.Count == 0)
        {
            return [];
        }

        var result = new List<GroupMembership>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { memberId };
        IEnumerable<string> frontier = direct;
        for (int depth = 0; depth < MaxNesting; depth++)
        {
            var next = new List<string>();
            foreach (var group in frontier)
            {
                if (seen.Add(group))
                {
                    result.Add(new GroupMembership(group, displayNameOf(group), depth == 0));
                    next.Add(group);
                }
            }

            if (next.Count == 0)
            {
                break;
            }

            frontier = next.SelectMany(g => _model.DirectGroupsOf(g));
        }

        return result;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a group on the writer: validates every added member
    /// first (RFC 7643 §4.2: a member is a User or Group of this tenant, and not the group itself),
    /// then writes. Returns whether the membership changed.
    /// </summary>
    public bool Apply(WriteContext context, string groupId, MembershipChange change)
    {
        var additions = Validate(context, groupId, change.Add);
        bool changed = false;
        if (change.ReplaceAll)
        {
            var keep = new HashSet<string>(additions.Select(static a => a.Value!), StringComparer.Ordinal);
            foreach (var existing in context.Collection(CollectionName).Find(Query.EQ("group", groupId)).ToList())
            {
                if (!keep.Contains(existing["value"].AsString))
                {
                    changed |= context.Delete(CollectionName, existing["_id"]);
                }
            }
        }

        foreach (var value in change.Remove)
        {
            if (context.FindById(CollectionName, Key(groupId, value)) is not null)
            {
                changed |= context.Delete(CollectionName, Key(groupId, value));
            }
        }

        foreach (var member in additions)
        {
            // Never a duplicate: a member already there stays as it is.
            if (context.FindById(CollectionName, Key(groupId, member.Value!)) is null)
            {
                context.Insert(CollectionName, ToDocument(groupId, member));
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Removes a resource from every group it is a direct member of; returns those groups.</summary>
    public static List<string> RemoveEverywhere(WriteContext context, string memberId)
    {
        var groups = new List<string>();
        foreach (var membership in context.Collection(CollectionName).Find(Query.EQ("value", memberId)).ToList())
        {
            groups.Add(membership["group"].AsString);
            context.Delete(CollectionName, membership["_id"]);
        }

        return groups;
    }

    /// <summary>Removes every membership record of a group (its members).</summary>
    public static void RemoveMembersOf(WriteContext context, string groupId)
    {
        foreach (var membership in context.Collection(CollectionName).Find(Query.EQ("group", groupId)).ToList())
        {
            context.Delete(CollectionName, membership["_id"]);
        }
    }

    private List<Member> Validate(WriteContext context, string groupId, IReadOnlyList<Member> members)
    {
        var valid = new List<Member>(members.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (string.IsNullOrEmpty(member.Value))
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, "Every member needs a 'value': the id of a User or Group.");
            }

            if (!seen.Add(member.Value))
            {
                continue;
            }

            string type;
            if (context.Exists(_users, member.Value))
            {
                type = "User";
            }
            else if (context.Exists(_groups, member.Value))
            {
                // A group listing itself means nothing; a cycle through other groups is allowed
                // (RFC 7644 §3.7.1 resolves one in Bulk: two groups that contain each other), and
                // every walk over nested groups is bounded and visits each group once.
                if (member.Value == groupId)
                {
                    throw ScimException.BadRequest(ScimType.InvalidValue, $"The group '{groupId}' cannot be a member of itself.");
                }

                type = "Group";
            }
            else
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, $"The member '{member.Value}' is neither a User nor a Group of this tenant.");
            }

            valid.Add(new Member { Value = member.Value, Type = type, Display = member.Display });
        }

        return valid;
    }

    private static BsonDocument ToDocument(string groupId, Member member)
    {
        var document = new BsonDocument
        {
            ["_id"] = Key(groupId, member.Value!),
            ["group"] = groupId,
            ["value"] = member.Value,
            ["type"] = member.Type,
        };
        if (member.Display is not null)
        {
            document["display"] = member.Display;
        }

        return document;
    }

    private static Member ToMember(BsonDocument document) => new()
    {
        Value = document["value"].AsString,
        Type = document["type"].AsString,
        Display = document["display"] is { IsString: true } display ? display.AsString : null,
    };
}
