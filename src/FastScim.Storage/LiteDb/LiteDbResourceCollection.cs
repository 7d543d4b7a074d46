using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Protocol;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.Planning;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>Names shared by every resource collection in a tenant file.</summary>
internal static class ResourceFields
{
    /// <summary>Creation order, in a resource's document of an earlier version's file (<see cref="ResourceLog.MoveEarlierForm"/>); a log entry keeps it beside the bytes.</summary>
    public const string SequenceField = "_seq";
}

/// <summary>
/// The resources of one type in one tenant's LiteDB file. Writes go through the tenant's single
/// writer (<see cref="TenantDatabase"/>); reads run on the caller's thread.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "A SCIM collection of resources, named after IResourceCollection.")]
public sealed class LiteDbResourceCollection<T> : IResourceCollection<T>
    where T : class, IScimResource
{
    private readonly TenantDatabase _database;
    private readonly ResourceCodec<T> _codec;

    private readonly Action<WriteContext, string>? _beforeDelete;
    private readonly QueryPlanner? _planner;
    private readonly Func<LiteDatabase, IndexSeek, IEnumerable<BsonValue>>? _membershipSeek;
    private readonly ResourceModel<T> _model;
    private readonly string[] _uniqueNames;

    /// <param name="beforeDelete">Runs on the writer, in the delete's transaction, before the resource goes (e.g. removing its memberships).</param>
    /// <param name="planner">Picks index seeks for filtered queries (answered from the in-memory model's indexes); without one every query scans.</param>
    /// <param name="membershipSeek">The ids a <see cref="SeekTarget.Memberships"/> seek finds (members.value, stored beside the groups).</param>
    internal LiteDbResourceCollection(
        TenantDatabase database,
        ResourceCodec<T> codec,
        Action<WriteContext, string>? beforeDelete = null,
        QueryPlanner? planner = null,
        Func<LiteDatabase, IndexSeek, IEnumerable<BsonValue>>? membershipSeek = null)
    {
        _database = database;
        _codec = codec;
        _beforeDelete = beforeDelete;
        _planner = planner;
        _membershipSeek = membershipSeek;
        _uniqueNames = [.. codec.UniqueIndexes.Select(static i => i.Name)];
        if (planner?.UniqueSeekExpressions.FirstOrDefault(e => !codec.UniqueIndexes.Any(i => i.Expression == e)) is { } missing)
        {
            // Refused when the store opens, not by the first query that would seek it.
            throw new InvalidOperationException($"The planner seeks through the unique index {missing}, which the '{codec.CollectionName}' codec does not keep.");
        }

        // Every read is served from memory, and so are the writer's checks (existence, uniqueness,
        // the next sequence): the file keeps a log of changes (ResourceLog), read when the tenant
        // opens. A file written by an earlier version keeps a document per resource: moved first.
        ResourceLog.MoveEarlierForm(database, codec.CollectionName);
        _model = new ResourceModel<T>(
            database.Database.GetCollection(ResourceLog.CollectionOf(codec.CollectionName)),
            codec,
            [.. (planner?.Indexes ?? []).Select(static i => i.Expression)],
            [.. codec.UniqueIndexes.Select(static i => i.Expression)]);
        database.Register(codec.CollectionName, _model);
    }

    public Task CreateAsync(T resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("The resource needs an id before it is stored.", nameof(resource));
        }

        // Map on the caller's thread, and make the model's entry: the writer only checks and records.
        PreparedEntry<T> prepared = _model.Prepare(resource, handedOver: true);
        return _database.WriteAsync(static (context, s) => s.Collection.Insert(context, s.Prepared), (Collection: this, Prepared: prepared), cancellationToken);
    }

    /// <summary>Stores a new resource on the writer, from its entry made ahead (<see cref="Prepare"/>): the body of <see cref="CreateAsync"/>.</summary>
    internal bool Insert(WriteContext context, PreparedEntry<T> prepared)
    {
        string collection = _codec.CollectionName;
        string id = prepared.Resource.Id!;
        if (context.Exists(collection, id))
        {
            throw new ScimException(409, ScimType.Uniqueness, $"A resource with id '{id}' already exists.");
        }

        CheckUnique(context, prepared.Keys, exceptId: null);
        context.Put(collection, id, context.NextSequence(collection), prepared);
        return true;
    }

    public Task<T> UpdateAsync(string id, string? ifMatch, Func<T, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);

        // The change runs here, on the caller's thread, against the committed resource; the writer
        // only checks that nothing changed the resource since (else it runs the change itself).
        // The writer is the one thread every write of the tenant goes through.
        UpdateDraft? draft = Draft(id, change);
        return _database.WriteAsync(
            static (context, s) => s.Draft is not null && s.Collection.IsCurrent(context, s.Draft)
                ? s.Collection.Update(context, s.IfMatch, s.Draft)
                : s.Collection.Update(context, s.Id, s.IfMatch, s.Change, sideChange: null),
            (Collection: this, Id: id, IfMatch: ifMatch, Change: change, Draft: draft),
            cancellationToken);
    }

    public Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync(static (context, s) => s.Collection.Delete(context, s.Id, s.IfMatch), (Collection: this, Id: id, IfMatch: ifMatch), cancellationToken);
    }

    /// <summary>
    /// The current state as the writer's transaction sees it — this batch's own change, else the
    /// committed resource in the model — as the version stored (never to be changed) with its
    /// creation sequence; checks If-Match (RFC 7644 §3.14).
    /// </summary>
    private (T Stored, long Sequence, int? ContentHash) Current(WriteContext context, string id, string? ifMatch)
    {
        (T Stored, long Sequence, int? ContentHash)? current = null;
        if (context.TryGetPending(_codec.CollectionName, id, out ResourceChange pending))
        {
            current = pending.Prepared is PreparedEntry<T> version ? (version.Resource, pending.Sequence, version.ContentHash) : null;
        }
        else if (_model.Current.ById.TryGetValue(id, out ModelEntry<T>? entry))
        {
            current = (entry.Resource, entry.Sequence, entry.ContentHash);
        }

        if (current is not { } found)
        {
            throw new ScimException(404, ScimType.None, $"Resource '{id}' not found.");
        }

        CheckIfMatch(id, ifMatch, found.Stored.Meta?.Version);
        return found;
    }

    /// <summary>RFC 7644 §3.14: a write with If-Match applies only to the version it names.</summary>
    private static void CheckIfMatch(string id, string? ifMatch, string? version)
    {
        if (ifMatch is not null && !EntityTag.Matches(ifMatch, version))
        {
            throw new ScimException(412, ScimType.None, $"The resource '{id}' is at version {version}, not {ifMatch}: it changed since it was read.");
        }
    }

    /// <summary>
    /// The update, on the writer. <paramref name="sideChange"/> changes what is stored beside the
    /// resource (memberships) and says whether it changed anything; it runs after every check
    /// that can refuse, so a refusal changes nothing.
    /// </summary>
    internal T Update(WriteContext context, string id, string? ifMatch, Func<T, T>? change, Func<WriteContext, bool>? sideChange)
    {
        var (stored, sequence, contentHash) = Current(context, id, ifMatch);
        var (updated, version) = Change(stored, contentHash, id, change);
        if (version is not null)
        {
            CheckUnique(context, version.Keys, id);
        }

        if (sideChange is not null && sideChange(context) && version is null)
        {
            // The content is as stored but what is stored beside it changed: a new version all the same.
            updated.Meta = MetaOf(stored, next: true);
            version = _model.Prepare(updated, handedOver: true);
        }

        if (version is not null)
        {
            context.Put(_codec.CollectionName, id, sequence, version);
        }

        return updated;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a shallow copy of <paramref name="stored"/>
    /// (<see cref="ResourceCodec{T}.Copy"/>: its own meta, its lists and objects shared with
    /// <paramref name="stored"/>, which the change replaces and never edits): the changed resource, and the model's entry of
    /// its new version when its content differs from what is stored — else null, and the resource
    /// keeps the stored version (RFC 7644 §3.14: the version changes with the resource).
    /// <paramref name="storedHash"/>: the stored version's <see cref="ResourceCodec{T}.ContentHash"/>, when known.
    /// </summary>
    private (T Updated, PreparedEntry<T>? Version) Change(T stored, int? storedHash, string id, Func<T, T>? change)
    {
        // Shallow (IResourceCollection.UpdateAsync): a change replaces lists and objects, never
        // edits them, so only what it replaces is new — issue 7: a PATCH of top-level attributes
        // copied its user deep, ≈1 KB of objects that live as long as the version, ≈9% of PATCH's
        // throughput in the garbage collector's pauses (perf/RESULTS.md, eighteenth session).
        T current = _codec.Copy(stored);
        T updated = change is null ? current : change(current);

        // RFC 7643 §3.1: id and meta belong to the service provider, whatever the change did. The
        // bytes are written once, as the new version's; the comparison leaves meta out. Another
        // hash is a change for certain: only an equal or unknown one needs the stored version's
        // bytes again.
        updated.Id = id;
        updated.Meta = MetaOf(stored, next: true);
        byte[] body = _codec.ToBytes(updated);
        int hash = ResourceCodec<T>.ContentHash(body);
        bool maybeSame = storedHash is null || storedHash == hash;
        if (maybeSame && ResourceCodec<T>.SameContent(_codec.ToBytes(stored), body))
        {
            updated.Meta = MetaOf(stored, next: false);
            return (updated, null);
        }

        // The change's result is the store's own (made from its copy, or the change's new object):
        // the model keeps it as the version, and UpdateAsync's caller only reads it.
        return (updated, _model.Prepare(updated, body, hash, handedOver: true));
    }

    /// <summary>The stored resource's meta, or its next version's: version and lastModified moved on (RFC 7644 §3.14).</summary>
    private static ResourceMeta MetaOf(T stored, bool next)
    {
        var meta = stored.Meta ?? new ResourceMeta();
        return new ResourceMeta
        {
            ResourceType = meta.ResourceType,
            Created = meta.Created,
            LastModified = next ? ResourceClock.Now() : meta.LastModified,
            Version = next ? EntityTag.Next(meta.Version) : meta.Version,
        };
    }

    /// <summary>An update computed off the writer from <see cref="Basis"/>, the committed state it started from; <see cref="Prepared"/> is null when it changes nothing.</summary>
    private sealed record UpdateDraft(ModelEntry<T> Basis, T Updated, PreparedEntry<T>? Prepared);

    /// <summary>
    /// The update of the committed resource, computed on the caller's thread; null when there is no
    /// such resource or the change refused it (the writer then runs it and answers for itself).
    /// </summary>
    private UpdateDraft? Draft(string id, Func<T, T> change)
    {
        if (!_model.Current.ById.TryGetValue(id, out ModelEntry<T>? basis))
        {
            return null;
        }

        try
        {
            var (updated, version) = Change(basis.Resource, basis.ContentHash, id, change);
            return new UpdateDraft(basis, updated, version);
        }
        catch (Exception)
        {
            // Refused (or failed) against this state: the writer runs the change against the state
            // it holds, which may differ, and answers with its own result.
            return null;
        }
    }

    /// <summary>On the writer: nothing in this batch or since the draft changed the resource.</summary>
    private bool IsCurrent(WriteContext context, UpdateDraft draft) =>
        !context.TryGetPending(_codec.CollectionName, draft.Basis.Id, out _)
        && _model.Current.ById.TryGetValue(draft.Basis.Id, out ModelEntry<T>? now)
        && ReferenceEquals(now, draft.Basis);

    /// <summary>The writer's part of a current draft: If-Match, uniqueness, the write.</summary>
    private T Update(WriteContext context, string? ifMatch, UpdateDraft draft)
    {
        CheckIfMatch(draft.Basis.Id, ifMatch, draft.Basis.Resource.Meta?.Version);
        if (draft.Prepared is { } prepared)
        {
            CheckUnique(context, prepared.Keys, draft.Basis.Id);
            context.Put(_codec.CollectionName, draft.Basis.Id, draft.Basis.Sequence, prepared);
        }

        return draft.Updated;
    }

    private bool Delete(WriteContext context, string id, string? ifMatch)
    {
        _ = Current(context, id, ifMatch);
        _beforeDelete?.Invoke(context, id);
        return context.Delete(_codec.CollectionName, id);
    }

    /// <summary>Moves a resource's version and lastModified on, on the writer (something stored beside it changed).</summary>
    internal void Touch(WriteContext context, string id)
    {
        _ = Update(context, id, ifMatch: null, change: null, sideChange: static _ => true);
    }

    /// <summary>The model's entry for a new resource, made on the caller's thread so that the writer only checks and records it.</summary>
    internal PreparedEntry<T> Prepare(T resource) => _model.Prepare(resource);

    /// <summary>Stores a new resource on the writer, making its entry there (tests write inside a batch with it).</summary>
    internal void Insert(WriteContext context, T resource) => Insert(context, Prepare(resource));

    internal TenantDatabase Database => _database;

    /// <summary>The version of the collection's committed state: it grows with every batch that changed it.</summary>
    internal long Version => _model.Version;

    /// <summary>
    /// Checked here, on the single writer, against everything earlier in this batch and then
    /// everything committed (the model's unique indexes), so a conflict refuses this write alone.
    /// RFC 7643 §2.1 "uniqueness": keys compare ignoring case, as the LiteDB index did. A document
    /// without a key (null) conflicts with none. <paramref name="keys"/>: the document's index keys.
    /// </summary>
    private void CheckUnique(WriteContext context, CompactStrings[] keys, string? exceptId)
    {
        ModelSnapshot<T>? committed = null;
        for (int u = 0; u < _uniqueNames.Length; u++)
        {
            if (_model.UniqueKey(keys, u) is not { } key)
            {
                continue;
            }

            foreach (string holder in context.PendingHolders(_codec.CollectionName, u, key))
            {
                if (holder != exceptId)
                {
                    Taken(u, key);
                }
            }

            committed ??= _model.Current;
            if (committed.Indexes[_model.UniqueOffset + u].TryGetValue(key, out var holders))
            {
                foreach (string holder in holders)
                {
                    // A holder this batch changed is judged by its pending state, above. The index
                    // may still name an id that gave the key up (ModelIndex): its current keys say.
                    if (holder != exceptId
                        && !context.TryGetPending(_codec.CollectionName, holder, out _)
                        && _model.Holds(_model.UniqueOffset + u, key, holder))
                    {
                        Taken(u, key);
                    }
                }
            }
        }

        void Taken(int u, string key) =>
            throw new ScimException(409, ScimType.Uniqueness, $"The {_uniqueNames[u]} '{key}' already exists.");
    }

    /// <summary>Reads one value of a stored resource without copying it (<paramref name="read"/> must not keep or change it).</summary>
    internal TValue? Read<TValue>(string id, Func<T, TValue> read) =>
        _model.Current.ById.TryGetValue(id, out ModelEntry<T>? entry) ? read(entry.Resource) : default;

    public T? Find(string id) => FindShared(id) is { } found ? _codec.Copy(found) : null;

    public T? FindShared(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _model.Current.ById.TryGetValue(id, out ModelEntry<T>? entry) ? entry.Resource : null;
    }

    public ResourcePage<T> Query(Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null) => Query(QueryPlan.Scan, predicate, skip, count, order, complete: null);

    public ResourcePage<T> Query(FilterNode? filter, Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null) =>
        Query(Plan(filter), predicate, skip, count, order, complete: null);

    /// <summary>The plan of <paramref name="filter"/> here: a scan without a planner.</summary>
    internal QueryPlan Plan(FilterNode? filter) => _planner is null ? QueryPlan.Scan : _planner.Plan(filter);

    /// <summary>
    /// The query behind <see cref="Query(Func{T, bool}, int, int, Comparison{T})"/>, on one snapshot
    /// of the in-memory model: the candidates of <paramref name="plan"/> (every resource for a scan)
    /// in creation order, each tested by <paramref name="predicate"/>, so a plan changes the cost and
    /// never the result. <paramref name="complete"/> fills in what is stored elsewhere (a group's
    /// members) before the test, on a copy. The resources returned are copies.
    /// </summary>
    internal ResourcePage<T> Query(QueryPlan plan, Func<T, bool> predicate, int skip, int count, Comparison<T>? order, Action<T>? complete) =>
        Query(_model.Current, plan, predicate, skip, count, order, complete);

    /// <summary>For tests: the snapshot a query reads now (a reader may keep it while the writer goes on).</summary>
    internal ModelSnapshot<T> Snapshot => _model.Current;

    /// <summary>The query on <paramref name="snapshot"/>, which may be older than the current one.</summary>
    internal ResourcePage<T> Query(ModelSnapshot<T> snapshot, QueryPlan plan, Func<T, bool> predicate, int skip, int count, Comparison<T>? order, Action<T>? complete)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<ModelEntry<T>>? seeks = plan.Seeks is { } planned ? Candidates(snapshot, planned) : null;
        if (order is not null)
        {
            var matches = new List<T>();
            if (seeks is null)
            {
                foreach (ModelEntry<T> entry in snapshot.Flat)
                {
                    if (Test(entry) is { } match)
                    {
                        matches.Add(match);
                    }
                }
            }
            else
            {
                foreach (ModelEntry<T> entry in seeks)
                {
                    if (Test(entry) is { } match)
                    {
                        matches.Add(match);
                    }
                }
            }

            // Enumerable.OrderBy is stable: equal keys keep creation order.
            var sorted = matches.Index().OrderBy(static m => m.Item, Comparer<T>.Create(order)).Skip(skip).Take(count).Select(static m => m.Item).ToArray();
            if (complete is null)
            {
                for (int i = 0; i < sorted.Length; i++)
                {
                    sorted[i] = _codec.Copy(sorted[i]);
                }
            }

            return new ResourcePage<T>(sorted, matches.Count);
        }

        var page = new List<T>(Math.Min(count, seeks?.Count ?? 256));
        int total = 0;
        if (seeks is null && complete is null)
        {
            // The hot scan: test the shared resources in place, copy only what the page returns.
            var resources = snapshot.Resources;
            if (resources.Length >= ParallelScanThreshold && Environment.ProcessorCount > 1)
            {
                return ParallelScan(resources, predicate, skip, count);
            }

            foreach (T resource in resources)
            {
                if (!predicate(resource))
                {
                    continue;
                }

                if (total >= skip && page.Count < count)
                {
                    page.Add(_codec.Copy(resource));
                }

                total++;
            }
        }
        else if (seeks is null)
        {
            foreach (ModelEntry<T> entry in snapshot.Flat)
            {
                Visit(entry);
            }
        }
        else
        {
            foreach (ModelEntry<T> entry in seeks)
            {
                Visit(entry);
            }
        }

        return new ResourcePage<T>(page, total);

        void Visit(ModelEntry<T> entry)
        {
            if (Test(entry) is not { } match)
            {
                return;
            }

            if (total >= skip && page.Count < count)
            {
                page.Add(complete is null ? _codec.Copy(match) : match);
            }

            total++;
        }

        // The resource if it matches: the shared one when nothing needs completing (the predicate
        // only reads), else a completed copy.
        T? Test(ModelEntry<T> entry)
        {
            T resource = entry.Resource;
            if (complete is not null)
            {
                resource = _codec.Copy(resource);
                complete(resource);
            }

            return predicate(resource) ? resource : null;
        }
    }

    /// <summary>
    /// Below this many resources one core scans faster than the hand-off to others costs. Tests
    /// lower it to run the parallel scan on small collections (its results are the sequential
    /// scan's by construction, so other readers are unaffected).
    /// </summary>
    internal static int ParallelScanThreshold { get; set; } = 16_384;

    /// <summary>
    /// A scan of a large collection split over the cores: each part collects the positions of its
    /// matches, then the parts are read in order, so the page and the total are exactly those of
    /// the sequential scan (creation order). The predicate only reads shared, immutable resources.
    /// </summary>
    private ResourcePage<T> ParallelScan(T[] resources, Func<T, bool> predicate, int skip, int count)
    {
        int parts = Math.Min(Environment.ProcessorCount, 8);
        int size = (resources.Length + parts - 1) / parts;
        var matches = new List<int>[parts];
        Parallel.For(0, parts, part =>
        {
            var found = new List<int>();
            int end = Math.Min(resources.Length, (part + 1) * size);
            for (int i = part * size; i < end; i++)
            {
                if (predicate(resources[i]))
                {
                    found.Add(i);
                }
            }

            matches[part] = found;
        });

        var page = new List<T>(Math.Min(count, 256));
        int total = 0;
        foreach (var found in matches)
        {
            foreach (int i in found)
            {
                if (total >= skip && page.Count < count)
                {
                    page.Add(_codec.Copy(resources[i]));
                }

                total++;
            }
        }

        return new ResourcePage<T>(page, total);
    }

    /// <summary>
    /// The entries a seek plan finds, each once, in creation order; null when an index may have
    /// dropped a key that an id held in <paramref name="snapshot"/> (a reader that kept its snapshot
    /// while the writer moved on, ModelIndex.Covers): the caller scans the snapshot instead.
    /// </summary>
    private List<ModelEntry<T>>? Candidates(ModelSnapshot<T> snapshot, IReadOnlyList<IndexSeek> seeks)
    {
        var found = new List<ModelEntry<T>>();
        bool covered = true;
        foreach (IndexSeek seek in seeks)
        {
            switch (seek.Target)
            {
                case SeekTarget.Id:
                    AddById(seek.Key);
                    break;
                case SeekTarget.Memberships:
                    if (_membershipSeek is null)
                    {
                        throw new InvalidOperationException($"The seek on {seek.Attribute} needs the memberships collection.");
                    }

                    foreach (BsonValue id in _membershipSeek(_database.Database, seek))
                    {
                        AddById(id.AsString);
                    }

                    break;
                default:
                    int index = _model.IndexOf(seek.Expression);
                    if (index < 0)
                    {
                        throw new InvalidOperationException($"No in-memory index on {seek.Expression}.");
                    }

                    if (snapshot.Indexes[index].TryGetValue(seek.Key, out var ids))
                    {
                        foreach (string id in ids)
                        {
                            AddById(id);
                        }
                    }

                    covered &= snapshot.Indexes[index].Covers(snapshot.Version);
                    break;
            }
        }

        if (!covered)
        {
            return null;
        }

        if (found.Count > 1)
        {
            found.Sort(SequenceOrder<T>.Instance);
            int kept = 1;
            for (int i = 1; i < found.Count; i++)
            {
                if (found[i].Sequence != found[kept - 1].Sequence)
                {
                    found[kept++] = found[i];
                }
            }

            found.RemoveRange(kept, found.Count - kept);
        }

        return found;

        void AddById(string id)
        {
            if (snapshot.ById.TryGetValue(id, out ModelEntry<T>? entry))
            {
                found.Add(entry);
            }
        }
    }

    /// <summary>The predicate LiteDB answers from the index on <see cref="IndexSeek.Expression"/> (ANY for a multikey index).</summary>
    internal static BsonExpression SeekExpression(IndexSeek seek) =>
        BsonExpression.Create(seek.Expression + (seek.Expression.Contains("[*]", StringComparison.Ordinal) ? " ANY = @0" : " = @0"), new BsonValue(seek.Key));

    public ResourcePage<T> List(int skip, int count)
    {
        var (shared, total) = ListShared(skip, count);
        var resources = new T[shared.Count];
        for (int i = 0; i < resources.Length; i++)
        {
            resources[i] = _codec.Copy(shared[i]);
        }

        return new ResourcePage<T>(resources, total);
    }

    public ResourcePage<T> ListShared(int skip, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        // A window on the snapshot's flat array, as a scan reads it: made once per snapshot, where
        // each position in the tree is a walk down it (a page of 100 was 100 walks). Never changed.
        ModelSnapshot<T> snapshot = _model.Current;
        T[] all = snapshot.Resources;
        int total = all.Length;
        if (count == 0 || skip >= total)
        {
            return new ResourcePage<T>([], total);
        }

        int taken = Math.Min(count, total - skip);
        return new ResourcePage<T>(new ArraySegment<T>(all, skip, taken), total) { Renderings = new ArraySegment<ResourceRendering?>(snapshot.Renderings, skip, taken) };
    }

    public CursorPage<T> QueryAfter(long afterSequence, Func<T, bool>? predicate, int count) => QueryAfter(afterSequence, predicate, count, complete: null);

    /// <summary>
    /// The keyset read behind <see cref="QueryAfter(long, Func{T, bool}?, int)"/>, on one snapshot of
    /// the in-memory model. Without a predicate the page starts at a binary search on the sequence
    /// and the total is the collection's count; with one, every resource is tested once to count
    /// the matches. <paramref name="complete"/> fills in what is stored elsewhere (a group's members) first, on a copy.
    /// </summary>
    internal CursorPage<T> QueryAfter(long afterSequence, Func<T, bool>? predicate, int count, Action<T>? complete)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ModelSnapshot<T> snapshot = _model.Current;
        var page = new List<T>(Math.Min(count, 256));
        long last = afterSequence;
        bool more = false;
        if (predicate is null)
        {
            // A page by position in the tree: no full copy of a snapshot that writes just replaced.
            ImmutableList<ModelEntry<T>> all = snapshot.BySequence;
            for (int i = snapshot.IndexAfter(afterSequence); i < all.Count; i++)
            {
                if (page.Count == count)
                {
                    more = true;
                    break;
                }

                T resource = _codec.Copy(all[i].Resource);
                complete?.Invoke(resource);
                page.Add(resource);
                last = all[i].Sequence;
            }

            return new CursorPage<T>(page, last, more, all.Count);
        }

        int total = 0;
        foreach (ModelEntry<T> entry in snapshot.Flat)
        {
            T resource = entry.Resource;
            if (complete is not null)
            {
                resource = _codec.Copy(resource);
                complete(resource);
            }

            if (!predicate(resource))
            {
                continue;
            }

            total++;
            if (entry.Sequence <= afterSequence)
            {
                continue;
            }

            if (page.Count < count)
            {
                page.Add(complete is null ? _codec.Copy(resource) : resource);
                last = entry.Sequence;
            }
            else
            {
                more = true;
            }
        }

        return new CursorPage<T>(page, last, more, total);
    }
}
