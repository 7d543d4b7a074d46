using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Protocol;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage.Planning;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>Names shared by every resource collection in a tenant file.</summary>
internal static class ResourceFields
{
    /// <summary>Creation order: a strictly increasing number per collection, indexed, kept out of the resource.</summary>
    public const string SequenceField = "_seq";

    public const string SequenceExpression = "$._seq";
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

    /// <param name="beforeDelete">Runs on the writer, in the delete's transaction, before the resource goes (e.g. removing its memberships).</param>
    /// <param name="planner">Picks index seeks for filtered queries (its indexes are ensured here); without one every query scans.</param>
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
        database.EnsureIndex(codec.CollectionName, ResourceFields.SequenceField, ResourceFields.SequenceExpression, unique: true);
        foreach (BsonIndex index in codec.Indexes)
        {
            database.EnsureIndex(codec.CollectionName, index.Name, index.Expression, index.Unique);
        }

        foreach (BsonIndex index in planner?.Indexes ?? [])
        {
            database.EnsureIndex(codec.CollectionName, index.Name, index.Expression, index.Unique);
        }
    }

    public Task CreateAsync(T resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException("The resource needs an id before it is stored.", nameof(resource));
        }

        // Map on the caller's thread: the writer thread only checks and inserts.
        BsonDocument document = _codec.ToDocument(resource);
        document["_id"] = resource.Id;
        return _database.WriteAsync(context => Insert(context, document), cancellationToken);
    }

    private bool Insert(WriteContext context, BsonDocument document)
    {
        string collection = _codec.CollectionName;
        if (context.FindById(collection, document["_id"]) is not null)
        {
            throw new ScimException(409, ScimType.Uniqueness, $"A resource with id '{document["_id"].AsString}' already exists.");
        }

        CheckUnique(context, document, exceptId: null);
        document[ResourceFields.SequenceField] = context.NextSequence(collection);
        context.Insert(collection, document);
        return true;
    }

    public Task<T> UpdateAsync(string id, string? ifMatch, Func<T, T> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(change);
        return _database.WriteAsync(context => Update(context, id, ifMatch, change, sideChange: null), cancellationToken);
    }

    public Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync(context => Delete(context, id, ifMatch), cancellationToken);
    }

    /// <summary>Reads the current state inside the writer's transaction and checks If-Match (RFC 7644 §3.14).</summary>
    internal (BsonDocument Document, T Resource) Current(WriteContext context, string id, string? ifMatch)
    {
        BsonDocument document = context.FindById(_codec.CollectionName, id)
            ?? throw new ScimException(404, ScimType.None, $"Resource '{id}' not found.");
        T resource = _codec.FromDocument(document);
        if (ifMatch is not null && !EntityTag.Matches(ifMatch, resource.Meta?.Version))
        {
            throw new ScimException(412, ScimType.None, $"The resource '{id}' is at version {resource.Meta?.Version}, not {ifMatch}: it changed since it was read.");
        }

        return (document, resource);
    }

    /// <summary>
    /// The update, on the writer. <paramref name="sideChange"/> changes what is stored beside the
    /// resource (memberships) and says whether it changed anything; it runs after every check
    /// that can refuse, so a refusal changes nothing.
    /// </summary>
    internal T Update(WriteContext context, string id, string? ifMatch, Func<T, T>? change, Func<WriteContext, bool>? sideChange)
    {
        var (stored, current) = Current(context, id, ifMatch);
        var meta = current.Meta ?? new ResourceMeta();
        T updated = change is null ? current : change(current);
        updated.Id = id;

        // RFC 7643 §3.1: id and meta belong to the service provider, whatever the change did.
        updated.Meta = new ResourceMeta
        {
            ResourceType = meta.ResourceType,
            Created = meta.Created,
            LastModified = meta.LastModified,
            Version = meta.Version,
        };
        BsonDocument document = ToStoredDocument(updated, stored[ResourceFields.SequenceField]);
        bool changed = !SameContent(stored, document);
        if (changed)
        {
            CheckUnique(context, document, id);
        }

        if (sideChange is not null && sideChange(context))
        {
            changed = true;
        }

        if (!changed)
        {
            return updated;
        }

        updated.Meta.Version = EntityTag.Next(meta.Version);
        updated.Meta.LastModified = Clock.Now();
        document = ToStoredDocument(updated, stored[ResourceFields.SequenceField]);
        context.Update(_codec.CollectionName, document);
        return updated;
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

    /// <summary>Whether a resource with this id is stored, read inside the writer's transaction.</summary>
    internal bool Exists(WriteContext context, string id) => context.FindById(_codec.CollectionName, id) is not null;

    /// <summary>Stores a new resource on the writer (the body of <see cref="CreateAsync"/>).</summary>
    internal void Insert(WriteContext context, T resource)
    {
        BsonDocument document = _codec.ToDocument(resource);
        document["_id"] = resource.Id;
        Insert(context, document);
    }

    internal TenantDatabase Database => _database;

    private BsonDocument ToStoredDocument(T resource, BsonValue sequence)
    {
        BsonDocument document = _codec.ToDocument(resource);
        document["_id"] = resource.Id;
        document[ResourceFields.SequenceField] = sequence;
        return document;
    }

    // A write that changes nothing keeps its version (RFC 7644 §3.14: the version changes with the resource).
    private static bool SameContent(BsonDocument stored, BsonDocument updated) =>
        JsonSerializer.Serialize(WithoutMeta(stored)) == JsonSerializer.Serialize(WithoutMeta(updated));

    private static BsonDocument WithoutMeta(BsonDocument document)
    {
        var copy = new BsonDocument();
        foreach (var (key, value) in document)
        {
            if (key != "meta")
            {
                copy[key] = value;
            }
        }

        return copy;
    }

    /// <summary>
    /// Checked here, on the single writer, against everything committed and everything earlier in
    /// this batch; so a conflict refuses this write alone instead of failing LiteDB's insert
    /// (which would roll back the whole batch's transaction). RFC 7643 §7 "uniqueness".
    /// </summary>
    private void CheckUnique(WriteContext context, BsonDocument document, string? exceptId)
    {
        foreach (BsonIndex index in _codec.UniqueIndexes)
        {
            BsonValue key = BsonExpression.Create(index.Expression).ExecuteScalar(document);
            var predicate = exceptId is null
                ? BsonExpression.Create(index.Expression + " = @0", key)
                : BsonExpression.Create(index.Expression + " = @0 AND _id != @1", key, new BsonValue(exceptId));
            if (context.Exists(_codec.CollectionName, predicate))
            {
                string shown = key.IsString ? key.AsString : key.ToString();
                throw new ScimException(409, ScimType.Uniqueness, $"The {index.Name} '{shown}' already exists.");
            }
        }
    }

    public T? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        BsonDocument? document = _database.Database.GetCollection(_codec.CollectionName).FindById(id);
        return document is null ? null : _codec.FromDocument(document);
    }

    public ResourcePage<T> Query(Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null) => Query(QueryPlan.Scan, predicate, skip, count, order, complete: null);

    public ResourcePage<T> Query(FilterNode? filter, Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null) =>
        Query(Plan(filter), predicate, skip, count, order, complete: null);

    /// <summary>The plan of <paramref name="filter"/> here: a scan without a planner.</summary>
    internal QueryPlan Plan(FilterNode? filter) => _planner is null ? QueryPlan.Scan : _planner.Plan(filter);

    /// <summary>
    /// The query behind <see cref="Query(Func{T, bool}, int, int, Comparison{T})"/>: the candidates
    /// of <paramref name="plan"/> (every resource for a scan) in creation order, each tested by
    /// <paramref name="predicate"/>, so a plan changes the cost and never the result.
    /// <paramref name="complete"/> fills in what is stored elsewhere (a group's members) before the test.
    /// </summary>
    internal ResourcePage<T> Query(QueryPlan plan, Func<T, bool> predicate, int skip, int count, Comparison<T>? order, Action<T>? complete)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        LiteDatabase database = _database.Database;
        database.BeginTrans();
        try
        {
            IEnumerable<BsonDocument> candidates = Candidates(database, plan);
            if (order is not null)
            {
                return Sorted(candidates, predicate, skip, count, order, complete);
            }

            var page = new List<T>(Math.Min(count, 256));
            int total = 0;
            foreach (BsonDocument document in candidates)
            {
                T resource = _codec.FromDocument(document);
                complete?.Invoke(resource);
                if (!predicate(resource))
                {
                    continue;
                }

                if (total >= skip && page.Count < count)
                {
                    page.Add(resource);
                }

                total++;
            }

            return new ResourcePage<T>(page, total);
        }
        finally
        {
            database.Rollback();
        }
    }

    /// <summary>The documents a plan reads, each once, in creation order.</summary>
    private IEnumerable<BsonDocument> Candidates(LiteDatabase database, QueryPlan plan)
    {
        ILiteCollection<BsonDocument> collection = database.GetCollection(_codec.CollectionName);
        if (plan.Seeks is not { } seeks)
        {
            return collection.Query().OrderBy(ResourceFields.SequenceExpression).ToEnumerable();
        }

        var found = new Dictionary<BsonValue, BsonDocument>();
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

                    foreach (BsonValue id in _membershipSeek(database, seek))
                    {
                        AddById(id);
                    }

                    break;
                default:
                    foreach (BsonDocument document in collection.Find(SeekExpression(seek)))
                    {
                        found.TryAdd(document["_id"], document);
                    }

                    break;
            }
        }

        if (found.Count <= 1)
        {
            return found.Values;
        }

        var ordered = found.Values.ToArray();
        Array.Sort(ordered, static (a, b) => a[ResourceFields.SequenceField].CompareTo(b[ResourceFields.SequenceField]));
        return ordered;

        void AddById(BsonValue id)
        {
            if (!found.ContainsKey(id) && collection.FindById(id) is { } document)
            {
                found.Add(id, document);
            }
        }
    }

    /// <summary>The predicate LiteDB answers from the index on <see cref="IndexSeek.Expression"/> (ANY for a multikey index).</summary>
    internal static BsonExpression SeekExpression(IndexSeek seek) =>
        BsonExpression.Create(seek.Expression + (seek.Expression.Contains("[*]", StringComparison.Ordinal) ? " ANY = @0" : " = @0"), new BsonValue(seek.Key));

    private ResourcePage<T> Sorted(IEnumerable<BsonDocument> candidates, Func<T, bool> predicate, int skip, int count, Comparison<T> order, Action<T>? complete)
    {
        var matches = new List<T>();
        foreach (BsonDocument document in candidates)
        {
            T resource = _codec.FromDocument(document);
            complete?.Invoke(resource);
            if (predicate(resource))
            {
                matches.Add(resource);
            }
        }

        // Enumerable.OrderBy is stable: equal keys keep creation order.
        var page = matches.Index().OrderBy(static m => m.Item, Comparer<T>.Create(order)).Skip(skip).Take(count).Select(static m => m.Item).ToArray();
        return new ResourcePage<T>(page, matches.Count);
    }

    public ResourcePage<T> List(int skip, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ILiteCollection<BsonDocument> collection = _database.Database.GetCollection(_codec.CollectionName);

        // One read transaction, so the page and the total come from the same snapshot. It begins and
        // ends on this thread with no await in between (LiteDB transactions are per thread).
        LiteDatabase database = _database.Database;
        database.BeginTrans();
        try
        {
            int total = collection.Count();
            if (count == 0 || skip >= total)
            {
                return new ResourcePage<T>([], total);
            }

            List<BsonDocument> documents = collection.Query()
                .OrderBy(ResourceFields.SequenceExpression)
                .Skip(skip)
                .Limit(count)
                .ToList();
            var resources = new T[documents.Count];
            for (int i = 0; i < resources.Length; i++)
            {
                resources[i] = _codec.FromDocument(documents[i]);
            }

            return new ResourcePage<T>(resources, total);
        }
        finally
        {
            database.Rollback();
        }
    }

    public CursorPage<T> QueryAfter(long afterSequence, Func<T, bool>? predicate, int count) => QueryAfter(afterSequence, predicate, count, complete: null);

    /// <summary>
    /// The keyset read behind <see cref="QueryAfter(long, Func{T, bool}?, int)"/>. Without a
    /// predicate the page is an index range on <c>_seq</c> (count + 1 documents read) and the total
    /// is the collection's count; with one, every resource is tested once to count the matches.
    /// <paramref name="complete"/> fills in what is stored elsewhere (a group's members) first.
    /// </summary>
    internal CursorPage<T> QueryAfter(long afterSequence, Func<T, bool>? predicate, int count, Action<T>? complete)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        LiteDatabase database = _database.Database;
        ILiteCollection<BsonDocument> collection = database.GetCollection(_codec.CollectionName);
        var page = new List<T>(Math.Min(count, 256));
        long last = afterSequence;
        bool more = false;

        // One read transaction: the page and the total come from the same snapshot.
        database.BeginTrans();
        try
        {
            if (predicate is null)
            {
                int all = collection.Count();
                var after = BsonExpression.Create(ResourceFields.SequenceExpression + " > @0", new BsonValue(afterSequence));
                foreach (BsonDocument document in collection.Query().Where(after).OrderBy(ResourceFields.SequenceExpression).Limit(count + 1).ToEnumerable())
                {
                    if (page.Count == count)
                    {
                        more = true;
                        break;
                    }

                    T resource = _codec.FromDocument(document);
                    complete?.Invoke(resource);
                    page.Add(resource);
                    last = document[ResourceFields.SequenceField].AsInt64;
                }

                return new CursorPage<T>(page, last, more, all);
            }

            int total = 0;
            foreach (BsonDocument document in collection.Query().OrderBy(ResourceFields.SequenceExpression).ToEnumerable())
            {
                T resource = _codec.FromDocument(document);
                complete?.Invoke(resource);
                if (!predicate(resource))
                {
                    continue;
                }

                total++;
                long sequence = document[ResourceFields.SequenceField].AsInt64;
                if (sequence <= afterSequence)
                {
                    continue;
                }

                if (page.Count < count)
                {
                    page.Add(resource);
                    last = sequence;
                }
                else
                {
                    more = true;
                }
            }

            return new CursorPage<T>(page, last, more, total);
        }
        finally
        {
            database.Rollback();
        }
    }
}
