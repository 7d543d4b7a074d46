using FastScim.Core.Resources;
using FastScim.Storage.Planning;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// One tenant's resources in one LiteDB file (<c>{data}/tenants/{tenant}.db</c>), opened once and
/// shared by every request for that tenant, with exactly one writer thread.
/// </summary>
public sealed class LiteDbTenantStore : ITenantStore
{
    private readonly TenantDatabase _database;

    /// <summary>For tests: the tenant's file and writer.</summary>
    internal TenantDatabase Database => _database;

    public LiteDbTenantStore(string tenant, string path, ResourceCodec<User> users, ResourceCodec<Group> groups)
        : this(tenant, path, users, groups, HeapCompaction.MinimumBytes)
    {
    }

    /// <param name="compactAfterBytes">The least its files may hold for its open to be followed by a compaction (<see cref="HeapCompaction"/>).</param>
    internal LiteDbTenantStore(string tenant, string path, ResourceCodec<User> users, ResourceCodec<Group> groups, long compactAfterBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(groups);
        Tenant = tenant;
        _database = TenantDatabase.Open(tenant, path);
        try
        {
            var memberships = new Memberships(_database, users.CollectionName, groups.CollectionName);
            LiteDbGroupCollection? groupCollection = null;

            // A deleted user leaves every group it was in (RFC 7644 §3.6: it is no longer a member).
            Users = new LiteDbResourceCollection<User>(_database, users, beforeDelete: (context, id) => groupCollection!.RemoveMemberEverywhere(context, id), planner: QueryPlanner.Users);
            groupCollection = new LiteDbGroupCollection(_database, groups, memberships);
            Groups = groupCollection;
        }
        catch
        {
            _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        CompactedAfterOpen = HeapCompaction.AfterOpen(_database.File.Length, compactAfterBytes);
    }

    /// <summary>Whether opening the tenant was followed by a compaction of the heap (<see cref="HeapCompaction"/>).</summary>
    internal bool CompactedAfterOpen { get; }

    public string Tenant { get; }

    public IResourceCollection<User> Users { get; }

    public IGroupCollection Groups { get; }

    /// <summary>Batches committed and flushed to disk so far.</summary>
    internal long DurableCommits => _database.DurableCommits;

    /// <summary>Finishes every queued write, then closes the file.</summary>
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
