using System.Collections.Immutable;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>A collection's in-memory model, kept in step by the tenant's writer.</summary>
internal interface IResourceModel
{
    /// <summary>
    /// Builds, from changes that are committed, in order, the next snapshot, which readers see only
    /// once <see cref="Publish"/> shows it: the writer builds while the commit's flush to disk is
    /// under way, and publishes when it is durable. Writer thread only; reads
    /// <paramref name="changes"/> and keeps no reference to it.
    /// </summary>
    void Apply(IReadOnlyList<ResourceChange> changes);

    /// <summary>Shows readers the snapshot <see cref="Apply"/> built, once its commit is durable (nothing when none was built). Writer thread only.</summary>
    void Publish();

    /// <summary>The tenant closed: give back what the model's resources hold outside it (their kept renderings).</summary>
    void Close();
}

/// <summary>A model whose collection the file keeps as a log (<see cref="ResourceLog"/>): the writer writes its records through it.</summary>
internal interface IResourceLogModel : IResourceModel
{
    /// <summary>
    /// Writes the collection's changes of the batch as one record of its log, in the writer's open
    /// transaction. Writer thread only; <see cref="IResourceModel.Apply"/> follows with the same
    /// changes once the transaction is committed (and <see cref="IResourceModel.Publish"/> once it is durable). Reads <paramref name="changes"/> and keeps
    /// no reference to it (it may be the writer's own pending list).
    /// </summary>
    void WriteLog(IReadOnlyList<ResourceChange> changes);

    /// <summary>Whether the log holds enough superseded entries for a compaction step (<see cref="LogLedger.WantsCompaction"/>).</summary>
    bool WantsCompaction { get; }

    /// <summary>
    /// One compaction step, in the writer's open transaction: the oldest records' live entries are
    /// written again as one new record, in the oldest one's slot, and the others deleted. Returns what to do once that
    /// transaction is committed and durable (the ledger and the entries learn where they are now).
    /// </summary>
    Action CompactLog();
}

/// <summary>What the writer asks a collection's model about what is committed (<see cref="WriteContext"/>).</summary>
internal interface IResourceIndex
{
    bool Contains(string id);

    /// <summary>The greatest creation sequence stored (0 for none).</summary>
    long LastSequence { get; }

    /// <summary>How many unique indexes the collection has.</summary>
    int UniqueCount { get; }

    /// <summary>The key of unique index <paramref name="unique"/> of a version prepared for the writer (a <see cref="PreparedEntry{T}"/>), or null when it has none.</summary>
    string? UniqueKeyOf(object prepared, int unique);
}

/// <summary>One stored resource in the model: its creation sequence, id, the resource (never handed out, only copies of it) and its index keys (planner indexes, then unique indexes).</summary>
internal sealed class ModelEntry<T>(long sequence, string id, T resource, CompactStrings[] keys)
    where T : class
{
    /// <summary>The log record holding this version (<see cref="ResourceLog"/>). The writer's alone: it moves when compaction rewrites the record; readers never look.</summary>
    public long Record { get; set; }

    public long Sequence { get; } = sequence;
    public string Id { get; } = id;
    public T Resource { get; } = resource;

    /// <summary>Per index (in <see cref="ResourceModel{T}.Expressions"/> order), the keys of this resource.</summary>
    public CompactStrings[] Keys { get; } = keys;

    /// <summary>The version's kept rendering (<see cref="ResourceRendering.Of"/>), beside the resource so that a snapshot gathers both in one pass.</summary>
    public ResourceRendering? Rendering { get; init; }

    /// <summary>
    /// The hash of the version's content (<see cref="ResourceCodec{T}.ContentHash"/>): an update that
    /// hashes otherwise changed it, found without writing this version's bytes again. Null for a
    /// version read from the log: bytes an earlier writer wrote (another field order, a field no
    /// longer defined) may hash otherwise with the same content, and would move its version.
    /// </summary>
    public int? ContentHash { get; init; }
}

/// <summary>
/// A model entry made ahead of the writer (<see cref="ResourceModel{T}.Prepare"/>): its resource,
/// its index keys, the bytes its log entry keeps (<see cref="ResourceCodec{T}.ToBytes"/>) and their
/// <see cref="ResourceCodec{T}.ContentHash"/> (null for bytes read from the log, <see cref="ModelEntry{T}.ContentHash"/>).
/// </summary>
internal sealed record PreparedEntry<T>(T Resource, CompactStrings[] Keys, byte[] Body, int? ContentHash)
    where T : class;

/// <summary>Orders entries by creation sequence (the model's only order; equal sequence = the same resource).</summary>
internal sealed class SequenceOrder<T> : IComparer<ModelEntry<T>>
    where T : class
{
    public static SequenceOrder<T> Instance { get; } = new();

    public int Compare(ModelEntry<T>? x, ModelEntry<T>? y) => x!.Sequence.CompareTo(y!.Sequence);
}

/// <summary>
/// One immutable state of a collection: every resource in creation order and by id, with the
/// collection's indexes (key → ids), which every snapshot shares and which may name more than
/// this one holds (<see cref="ModelIndex"/>). Readers take one and read it throughout; the writer
/// replaces it whole.
/// </summary>
/// <remarks>
/// An index maps a key to ids, not entries, so that an update which leaves a resource's keys as
/// they were (most PATCHes: active, displayName) does not touch the index at all; a reader finds
/// the entries through <see cref="ById"/> of the same snapshot. The indexes are not the
/// snapshot's own: every snapshot shares them, and they may name more than the snapshot holds
/// (<see cref="ModelIndex"/>).
/// </remarks>
internal sealed class ModelSnapshot<T>(
    ImmutableList<ModelEntry<T>> bySequence,
    HashTrie<ModelEntry<T>> byId,
    ModelIndex[] indexes,
    long version)
    where T : class
{
    /// <summary>Grows by one with every applied batch: equal versions, equal contents.</summary>
    public long Version { get; } = version;

    public ImmutableList<ModelEntry<T>> BySequence { get; } = bySequence;
    public HashTrie<ModelEntry<T>> ById { get; } = byId;

    /// <summary>Per index, key → the ids holding it (in no particular order), and maybe others: read through <see cref="ModelIndex.Covers"/>.</summary>
    public ModelIndex[] Indexes { get; } = indexes;

    private ModelEntry<T>[]? _flat;

    /// <summary>
    /// <see cref="BySequence"/> as a flat array, built by the first reader that scans this snapshot
    /// (two racing readers may both build it; either copy is right): a scan walks an array, not the tree.
    /// </summary>
    public ModelEntry<T>[] Flat => _flat ??= [.. BySequence];

    private Gathering? _gathered;

    /// <summary>
    /// The resources of <see cref="Flat"/>, in the same order, with no entry in between: a scan
    /// that only tests resources touches one object fewer per resource (a cache miss saved each).
    /// </summary>
    public T[] Resources => Gathered.Resources;

    /// <summary>
    /// The kept renderings of <see cref="Resources"/> (<see cref="ModelEntry{T}.Rendering"/>), in
    /// the same order: a page whose renderings are kept is copied from them without touching a
    /// resource or its meta (two cache misses saved per resource of a page).
    /// </summary>
    public ResourceRendering?[] Renderings => Gathered.Renderings;

    /// <summary>Both arrays, gathered in one pass over the entries (each entry read once), by the first reader that needs either (two racing readers may both gather; either is right).</summary>
    private Gathering Gathered
    {
        get
        {
            if (_gathered is { } built)
            {
                return built;
            }

            var flat = Flat;
            var resources = new T[flat.Length];
            var renderings = new ResourceRendering?[flat.Length];
            for (int i = 0; i < flat.Length; i++)
            {
                resources[i] = flat[i].Resource;
                renderings[i] = flat[i].Rendering;
            }

            return _gathered = new Gathering(resources, renderings);
        }
    }

    /// <summary>One object, so that a reader racing the first gathering sees both arrays or neither.</summary>
    private sealed record Gathering(T[] Resources, ResourceRendering?[] Renderings);

    /// <summary>The position of the first entry whose sequence is greater than <paramref name="sequence"/>.</summary>
    public int IndexAfter(long sequence)
    {
        int found = BySequence.BinarySearch(Probe(sequence), SequenceOrder<T>.Instance);
        return found >= 0 ? found + 1 : ~found;
    }

    internal static ModelEntry<T> Probe(long sequence) => new(sequence, string.Empty, null!, []);
}

/// <summary>
/// The in-memory read model of one collection of one open tenant (docs/architecture.md, "Queries").
/// Loaded from the file in one pass when the collection opens; afterwards changed only by
/// <see cref="Apply"/>, which the tenant's writer calls with the changes of a batch once it is
/// committed, while its flush to disk runs, and <see cref="Publish"/>, once it is durable and
/// before it is acknowledged. Published copy-on-write through a volatile
/// field: a reader sees a whole batch or none of it, and never takes a lock (the shared indexes
/// only find candidates, which the reader reads through its own snapshot, ModelIndex).
/// </summary>
internal sealed class ResourceModel<T> : IResourceLogModel, IResourceIndex
    where T : class, IScimResource
{
    private readonly ResourceCodec<T> _codec;
    private readonly ILiteCollection<BsonDocument> _log;
    private readonly LogLedger _ledger = new(); // the writer's alone

    // Records every entry of which a later one superseded (LogLedger.TakeEmptied), oldest first:
    // the next batch's record is written over the first, up to LogLedger.EmptiedKept more wait for later
    // batches, and the rest go with the next batch. Nothing changes them or the ledger between
    // WriteLog and the Apply of its batch, so Apply knows from them and the ledger alone what
    // WriteLog deleted and wrote (the record after the ledger's last).
    private readonly List<long> _emptied = [];
    private readonly BsonExpression?[] _expressions;
    private readonly KeyPath?[] _paths;
    private readonly StringComparer[] _comparers;
    private readonly Func<string, string, bool>[] _holds; // per index: Holds(index, …), made once
    private volatile ModelSnapshot<T> _current;
    private ModelSnapshot<T>? _built; // the writer's: applied, not yet durable, so not yet shown (Publish)

    /// <param name="log">The collection's log in the tenant file (<see cref="ResourceLog"/>), read here once.</param>
    /// <param name="codec">How the collection's resources are stored (the entries' bytes) and copied.</param>
    /// <param name="indexExpressions">The planner's index expressions; each is evaluated on the stored document as LiteDB would index it.</param>
    /// <param name="uniqueExpressions">
    /// The expressions of the collection's unique indexes (RFC 7643 §2.1 "uniqueness"), whose keys
    /// compare ignoring case as LiteDB's index did: the writer checks uniqueness against them.
    /// </param>
    public ResourceModel(
        ILiteCollection<BsonDocument> log,
        ResourceCodec<T> codec,
        IReadOnlyList<string> indexExpressions,
        IReadOnlyList<string> uniqueExpressions)
    {
        _log = log;
        _codec = codec;
        Expressions = [.. indexExpressions, .. uniqueExpressions];
        UniqueOffset = indexExpressions.Count;
        _paths = [.. Expressions.Select(KeyPath.TryParse)];

        // LiteDB's expression only where KeyPath cannot read one (none of the store's own today).
        _expressions = [.. Expressions.Select((e, i) => _paths[i] is null ? BsonExpression.Create(e) : null)];
        _comparers = [.. indexExpressions.Select(static _ => StringComparer.Ordinal), .. uniqueExpressions.Select(static _ => StringComparer.OrdinalIgnoreCase)];
        _holds = [.. _comparers.Select((_, index) => (Func<string, string, bool>)((key, id) => Holds(index, key, id)))];

        // The log one record at a time, in slot order, which is not the order the records were
        // written in (new records are in their numbers negated, newest first, and a record may be
        // written over an emptied one, ResourceLog): an entry wins over
        // those of its id in records numbered below its own, and within its record over the ones
        // before it. So the ids whose winning entry so far is a deletion are kept, with its record,
        // while the log is read.
        var builder = new Builder(Empty());
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (BsonDocument record in log.FindAll())
        {
            long number = ResourceLog.NumberOf(record);
            var entries = ResourceLog.Entries(record).ToList(); // counted, then applied: one walk of the record
            _ledger.Added(number, entries.Count, entries.Count(static e => e.Body is null), ResourceLog.SlotOf(record));
            foreach (var (id, sequence, body) in entries)
            {
                long newest = builder.Find(id)?.Record ?? deleted.GetValueOrDefault(id);
                if (newest > number)
                {
                    // Superseded as it is read: counted live and superseded at once, so that its
                    // record is emptied like one whose entries a later batch superseded.
                    _ledger.Live(number);
                    _ledger.Dead(number);
                    continue;
                }

                if (body is null)
                {
                    deleted[id] = number;
                    Track(number, builder.Remove(id), put: false);
                }
                else
                {
                    deleted.Remove(id);
                    Track(number, builder.Put(id, sequence, Stored(id, body), number), put: true);
                }
            }
        }

        _current = builder.ToSnapshot();
        PurgeIndexes(all: true);
        _emptied.AddRange(_ledger.TakeEmptied());
    }

    /// <summary>The expressions of the indexes, in the order of <see cref="ModelSnapshot{T}.Indexes"/>: the planner's, then the unique ones (from <see cref="UniqueOffset"/>).</summary>
    public string[] Expressions { get; }

    /// <summary>Where the unique indexes start in <see cref="ModelSnapshot{T}.Indexes"/> and <see cref="ModelEntry{T}.Keys"/>.</summary>
    public int UniqueOffset { get; }

    public ModelSnapshot<T> Current => _current;

    /// <summary>The version of the current snapshot (see <see cref="ModelSnapshot{T}.Version"/>).</summary>
    public long Version => _current.Version;

    /// <summary>The position in <see cref="ModelSnapshot{T}.Indexes"/> of the index on <paramref name="expression"/> (a planner's or a unique one), or -1.</summary>
    public int IndexOf(string expression) => Array.IndexOf(Expressions, expression);

    public bool Contains(string id) => _current.ById.ContainsKey(id);

    public long LastSequence => _current.BySequence.Count == 0 ? 0 : _current.BySequence[^1].Sequence;

    public void WriteLog(IReadOnlyList<ResourceChange> changes)
    {
        var entries = new BsonArray(); // (BsonArray(int) would be an array holding the number)
        if (entries.RawValue is List<BsonValue> values)
        {
            // Three values an entry, at most: sized once rather than grown 4, 8, 16… (≈70 B a POST).
            values.Capacity = 3 * changes.Count;
        }

        foreach (ResourceChange change in changes)
        {
            string id = change.Id.AsString;
            if (change.IsDeletion)
            {
                ResourceLog.AddDeletion(entries, id);
            }
            else
            {
                ResourceLog.AddPut(entries, id, change.Sequence, ((PreparedEntry<T>)change.Prepared!).Body);
            }
        }

        // The first emptied record is written over, in this batch's transaction (its slot keeps
        // its place in the _id index, ResourceLog); those beyond the ones kept are deleted. With
        // none, the batch inserts its record at the head of the _id index (NewSlot).
        long number = NextNumber();
        long slot = NextSlot();
        for (int i = 1 + _ledger.EmptiedKept; i < _emptied.Count; i++)
        {
            _log.Delete(_ledger.SlotOf(_emptied[i]));
        }

        BsonDocument record = ResourceLog.Record(slot, number, entries);
        if (_emptied.Count == 0)
        {
            _log.Insert(record);
        }
        else
        {
            WriteOver(record);
        }
    }

    /// <summary>
    /// The slot of a new record numbered <paramref name="number"/>: its number negated, which puts it
    /// at the head of the log's <c>_id</c> skip list. No record holds it yet: a slot is its first
    /// record's number or that number negated (files of earlier versions have both), so its size is
    /// never larger than the number of the record now in it, and a new number is above every number
    /// in the log (<see cref="ResourceLog"/>).
    /// </summary>
    /// <remarks>
    /// Why the head, and why no spare records (issue 7). LiteDB 5.0.21 inserts a key by walking the
    /// skip list from its head on each of its 32 levels, and finds the record an update names the
    /// same way, but a find reads the list's tail node again at every level where its walk ends
    /// there (an insert skips it), and the tail's 32 levels cost two arrays of 32 addresses each
    /// read. A record inserted at the head ends each walk at the first node of its level. Batches
    /// that found no emptied record used to insert 16 spare records at once, empty, for the next
    /// batches to write over (an update: the _id index unchanged, fewer index pages per commit); but
    /// each of those updates found its spare with the tail read on every level above the list's
    /// height, ≈13 KB of LiteDB's garbage a batch. Inserting the batch's own record at the head
    /// instead: ≈900 B less a POST (≈8.5 → ≈7.6 KB), POST −3% and PATCH ±0 alternated, both within
    /// this machine's noise (perf/RESULTS.md, nineteenth session). Spare records in files written
    /// before are emptied records like any other: written over, or deleted beyond the ones kept.
    /// </remarks>
    private static long NewSlot(long number) => -number;

    /// <summary>Writes <paramref name="record"/> in its slot over the record there, which the ledger says is there.</summary>
    private void WriteOver(BsonDocument record)
    {
        if (!_log.Update(record))
        {
            // The ledger names a slot the log does not hold: never store a record nowhere.
            throw new InvalidOperationException($"The log of {_log.Name} has no record in slot {ResourceLog.SlotOf(record)} to write over.");
        }
    }

    /// <summary>The number of the next batch's record: the one after the ledger's last.</summary>
    private long NextNumber() => _ledger.Last + 1;

    /// <summary>The slot the next batch's record is written in: the first emptied record's, or a new one (<see cref="NewSlot"/>).</summary>
    private long NextSlot() => _emptied.Count > 0 ? _ledger.SlotOf(_emptied[0]) : NewSlot(NextNumber());

    public void Apply(IReadOnlyList<ResourceChange> changes)
    {
        // What WriteLog wrote, from the same ledger and emptied records.
        long number = NextNumber();
        long slot = NextSlot();
        if (_emptied.Count > 0)
        {
            // The one written over and those deleted (WriteLog) leave the ledger; the others wait.
            int kept = Math.Min(_emptied.Count - 1, _ledger.EmptiedKept);
            _ledger.Removed(_emptied.Skip(1 + kept).Prepend(_emptied[0]));
            _emptied.RemoveRange(1 + kept, _emptied.Count - 1 - kept);
            _emptied.RemoveAt(0);
        }

        int deletions = 0;
        foreach (ResourceChange change in changes)
        {
            deletions += change.IsDeletion ? 1 : 0;
        }

        _ledger.Added(number, changes.Count, deletions, slot);
        var builder = new Builder(_built ?? _current);
        foreach (ResourceChange change in changes)
        {
            // The entry made ahead of the writer, with no BSON round trip (times are already to the
            // millisecond, ResourceClock; ResourceModelTests compare the model with the file).
            string id = change.Id.AsString;
            Track(number, change.IsDeletion ? builder.Remove(id) : builder.Put(id, change.Sequence, (PreparedEntry<T>)change.Prepared!, number), put: !change.IsDeletion);
        }

        _built = builder.ToSnapshot();
        _emptied.AddRange(_ledger.TakeEmptied());
        _emptied.Sort();
    }

    public void Publish()
    {
        if (_built is { } built)
        {
            _current = built;
            _built = null;
            PurgeIndexes();
        }
    }

    /// <summary>
    /// Once <see cref="_current"/> is published: the indexes take out the keys ids lost long enough
    /// ago (ModelIndex), unless the current version holds them again. <paramref name="all"/>: every
    /// loss (no reader has a snapshot yet).
    /// </summary>
    private void PurgeIndexes(bool all = false)
    {
        ModelSnapshot<T> current = _current;
        for (int i = 0; i < current.Indexes.Length; i++)
        {
            current.Indexes[i].Purge(current.Version, _holds[i], all);
        }
    }

    /// <summary>
    /// Whether the current version of <paramref name="id"/> holds <paramref name="key"/> in index
    /// <paramref name="index"/>, as the index compares keys (an index may still name an id that
    /// gave the key up, ModelIndex). The writer's: it reads the published state, which is the
    /// writer's own whenever it checks a write (a commit is built and shown within CommitDurably).
    /// </summary>
    public bool Holds(int index, string key, string id) =>
        _current.ById.TryGetValue(id, out ModelEntry<T>? entry) && entry.Keys[index].Contains(key, _comparers[index]);

    /// <summary>Counts an entry of <paramref name="record"/> in the ledger: it supersedes <paramref name="old"/>, and is live when a put.</summary>
    private void Track(long record, ModelEntry<T>? old, bool put)
    {
        if (old is not null)
        {
            _ledger.Dead(old.Record);
        }

        if (put)
        {
            _ledger.Live(record);
        }
    }

    public bool WantsCompaction => _ledger.WantsCompaction;

    public Action CompactLog()
    {
        // The live entries of the oldest records are written again from the model, which holds
        // each resource's current version: reading the records back would deserialise every entry
        // they hold, superseded ones too — most of them (issue 7: under PATCH of 10,000 users, that
        // read was a third of compaction's time). The oldest records are all records up to the
        // last one taken, so an entry is among them when its record's number is not above it. The
        // walk visits every resource once per step, whatever the ledger counts: a miscount must
        // never leave a live resource out of the log.
        List<long> oldest = _ledger.OldestForStep();
        long last = oldest[^1];
        var live = new List<ModelEntry<T>>();
        foreach (ModelEntry<T> entry in _current.BySequence)
        {
            if (entry.Record <= last)
            {
                live.Add(entry);
            }
        }

        // The step's record is written over the oldest record's slot, the others deleted (ResourceLog).
        long record = _ledger.Last + 1;
        long slot = _ledger.SlotOf(oldest[0]);
        if (live.Count > 0)
        {
            var entries = new BsonArray();
            foreach (ModelEntry<T> entry in live)
            {
                ResourceLog.AddPut(entries, entry.Id, entry.Sequence, _codec.ToBytes(entry.Resource));
            }

            WriteOver(ResourceLog.Record(slot, record, entries));
        }
        else
        {
            _log.Delete(slot);
        }

        // The deletions among them go too: every older entry of their ids is in these records as well.
        foreach (long number in oldest.Skip(1))
        {
            _log.Delete(_ledger.SlotOf(number));
        }

        return () =>
        {
            _ledger.Removed(oldest);
            _emptied.RemoveAll(emptied => emptied <= last);
            if (live.Count > 0)
            {
                _ledger.Added(record, live.Count, deletions: 0, slot);
                foreach (ModelEntry<T> moved in live)
                {
                    moved.Record = record;
                    _ledger.Live(record);
                }
            }
        };
    }

    public void Close()
    {
        foreach (ModelEntry<T> entry in _current.BySequence)
        {
            entry.Resource.Meta?.Rendering?.Release();
        }
    }

    private ModelSnapshot<T> Empty() => new(
        ImmutableList<ModelEntry<T>>.Empty,
        HashTrie<ModelEntry<T>>.Create(ResourceIdComparer.Instance),
        [.. _comparers.Select(static c => new ModelIndex(c))],
        version: 0);

    /// <summary>
    /// The model's entry for a new version of a resource but its sequence: its bytes, its keys
    /// (read from the bytes, as LiteDB would index the document) and a shallow copy with its own
    /// meta. Made off the writer where it can be (a create, a drafted update), so the writer only
    /// links it in. The copy shares <paramref name="resource"/>'s lists and complex values, which
    /// its caller goes on reading but never changes in place (IResourceCollection).
    /// <paramref name="body"/>: its bytes when the caller has written them already, and
    /// <paramref name="contentHash"/> their <see cref="ResourceCodec{T}.ContentHash"/> when it has that too.
    /// <paramref name="handedOver"/>: the caller hands the resource over (a create or an update's
    /// result, IResourceCollection: nobody changes it again), and the entry keeps it itself
    /// rather than a copy, unless the codec's copy leaves an attribute out (a group's members).
    /// </summary>
    public PreparedEntry<T> Prepare(T resource, byte[]? body = null, int? contentHash = null, bool handedOver = false)
    {
        body ??= _codec.ToBytes(resource);
        T kept = handedOver && _codec.KeepsWhole ? resource : _codec.Copy(resource);
        return Entry(kept, KeysOf(body), body, contentHash ?? ResourceCodec<T>.ContentHash(body));
    }

    /// <summary>The entry of a version read from the log: its resource is made from its bytes.</summary>
    private PreparedEntry<T> Stored(string id, byte[] body)
    {
        T resource = _codec.FromBytes(body);
        resource.Id = id;
        return Entry(resource, KeysOf(body), body, contentHash: null);
    }

    private static PreparedEntry<T> Entry(T resource, CompactStrings[] keys, byte[] body, int? contentHash)
    {
        // The version's response JSON, kept once a read renders it (released when the version goes).
        if (resource.Meta is { } meta)
        {
            meta.Rendering = new ResourceRendering();
        }

        return new(resource, keys, body, contentHash);
    }

    /// <summary>Per index (planner indexes, then unique indexes), the distinct string keys of the document <paramref name="body"/> (its BSON bytes).</summary>
    private CompactStrings[] KeysOf(byte[] body)
    {
        List<string> found = StringListPool.Rent(); // the keys are copied out below
        try
        {
            return KeysOf(body, found);
        }
        finally
        {
            StringListPool.Return(found);
        }
    }

    // The keys are collected in found, emptied before each index.
    private CompactStrings[] KeysOf(byte[] body, List<string> found)
    {
        var keys = new CompactStrings[_expressions.Length];
        BsonDocument? document = null;
        for (int i = 0; i < keys.Length; i++)
        {
            found.Clear();
            if (_paths[i] is { } path)
            {
                path.Collect(body, found);
            }
            else
            {
                foreach (BsonValue value in _expressions[i]!.Execute(document ??= BsonSerializer.Deserialize(body, utcDate: true)))
                {
                    if (value.IsArray)
                    {
                        foreach (BsonValue item in value.AsArray)
                        {
                            Add(item);
                        }
                    }
                    else
                    {
                        Add(value);
                    }
                }
            }

            KeepDistinct(found);
            keys[i] = CompactStrings.Of(found);
        }

        return keys;

        void Add(BsonValue value)
        {
            // Seeks look up strings only; a null or other type never equals a string key.
            if (value.IsString)
            {
                found.Add(value.AsString);
            }
        }
    }

    public int UniqueCount => _expressions.Length - UniqueOffset;

    public string? UniqueKeyOf(object prepared, int unique) => UniqueKey(((PreparedEntry<T>)prepared).Keys, unique);

    // A resource's keys of one index are few (its emails): compared pairwise, without LINQ's set.
    private static void KeepDistinct(List<string> found)
    {
        int distinct = 0;
        for (int i = 0; i < found.Count; i++)
        {
            if (found.IndexOf(found[i], 0, distinct) < 0)
            {
                found[distinct++] = found[i];
            }
        }

        found.RemoveRange(distinct, found.Count - distinct);
    }

    /// <summary>The key of unique index <paramref name="unique"/> (0-based) among <paramref name="keys"/>, or null when the document has none.</summary>
    public string? UniqueKey(CompactStrings[] keys, int unique) => keys[UniqueOffset + unique].First;

    private sealed class Builder
    {
        private readonly ImmutableList<ModelEntry<T>>.Builder _bySequence;
        private readonly HashTrie<ModelEntry<T>>.Builder _byId;
        private readonly ModelIndex[] _indexes; // shared with every snapshot: changed in place (ModelIndex)
        private readonly long _version;

        public Builder(ModelSnapshot<T> from)
        {
            _version = from.Version + 1;
            _bySequence = from.BySequence.ToBuilder();
            _byId = from.ById.ToBuilder();
            _indexes = from.Indexes;
        }

        /// <summary>Puts the version <paramref name="prepared"/> of <paramref name="id"/>, held by log record <paramref name="record"/>; returns the version it replaces.</summary>
        public ModelEntry<T>? Put(string id, long sequence, PreparedEntry<T> prepared, long record)
        {
            ref ModelEntry<T> slot = ref _byId.GetValueRefOrAddDefault(id, out bool replaces);
            ModelEntry<T>? old = replaces ? slot : null;

            // Keys that did not change (most updates: a PATCH of active or displayName) are the old
            // version's, kept: the new ones then die young instead of being copied into the oldest
            // generation with the entry, one more set for every update (issue 7: what the GC copies).
            int changed = FirstChangedIndex(old, prepared.Keys);
            CompactStrings[] keys = old is not null && changed == prepared.Keys.Length ? old.Keys : prepared.Keys;
            var entry = new ModelEntry<T>(sequence, id, prepared.Resource, keys) { Record = record, Rendering = ResourceRendering.Of(prepared.Resource), ContentHash = prepared.ContentHash };
            slot = entry;
            if (old is not null)
            {
                Release(old, entry.Resource);
                int at = Position(old);
                if (old.Sequence == sequence)
                {
                    _bySequence[at] = entry;
                }
                else
                {
                    _bySequence.RemoveAt(at);
                    Insert(entry);
                }
            }
            else
            {
                Insert(entry);
            }

            for (int i = changed; i < _indexes.Length; i++)
            {
                CompactStrings before = old is null ? default : old.Keys[i];
                if (before.SequenceEqual(keys[i]))
                {
                    continue; // same keys: the index already names this id under them
                }

                LoseKeys(i, id, before, kept: keys[i]);
                foreach (string key in keys[i])
                {
                    _indexes[i].Gain(key, id);
                }
            }

            return old;
        }

        /// <summary>The first index whose keys <paramref name="keys"/> changes from <paramref name="old"/>'s (0 without one): the count of indexes when none does.</summary>
        private static int FirstChangedIndex(ModelEntry<T>? old, CompactStrings[] keys)
        {
            int i = 0;
            while (old is not null && i < keys.Length && old.Keys[i].SequenceEqual(keys[i]))
            {
                i++;
            }

            return i;
        }

        /// <summary>The version of <paramref name="id"/> put so far, if there is one.</summary>
        public ModelEntry<T>? Find(string id) => _byId.TryGetValue(id, out ModelEntry<T>? entry) ? entry : null;

        /// <summary>Removes <paramref name="id"/>; returns the version removed, if there was one.</summary>
        public ModelEntry<T>? Remove(string id)
        {
            if (!_byId.TryGetValue(id, out ModelEntry<T>? old))
            {
                return null;
            }

            for (int i = 0; i < _indexes.Length; i++)
            {
                LoseKeys(i, id, old.Keys[i], kept: default);
            }

            _bySequence.RemoveAt(Position(old));
            _byId.Remove(id);
            Release(old, replacement: null);
            return old;
        }

        // The old version's kept rendering is of no use any more (readers of an older snapshot render afresh).
        private static void Release(ModelEntry<T> old, T? replacement)
        {
            if (!ReferenceEquals(old.Resource, replacement))
            {
                old.Resource.Meta?.Rendering?.Release();
            }
        }

        public ModelSnapshot<T> ToSnapshot() => new(_bySequence.ToImmutable(), _byId.ToImmutable(), _indexes, _version);

        private void Insert(ModelEntry<T> entry)
        {
            // Sequences only grow, so a new resource almost always goes last.
            if (_bySequence.Count == 0 || _bySequence[^1].Sequence < entry.Sequence)
            {
                _bySequence.Add(entry);
                return;
            }

            int found = _bySequence.BinarySearch(entry, SequenceOrder<T>.Instance);
            _bySequence.Insert(found >= 0 ? found : ~found, entry);
        }

        // The entry itself is the probe (the order compares sequences only): no probe made per update.
        private int Position(ModelEntry<T> entry)
        {
            int found = _bySequence.BinarySearch(entry, SequenceOrder<T>.Instance);
            if (found < 0)
            {
                throw new InvalidOperationException($"The in-memory model lost the resource with sequence {entry.Sequence}.");
            }

            return found;
        }

        /// <summary>The keys of <paramref name="keys"/> not among <paramref name="kept"/> are lost by <paramref name="id"/> in this version (taken out of the index later, ModelIndex).</summary>
        private void LoseKeys(int index, string id, CompactStrings keys, CompactStrings kept)
        {
            ModelIndex modelIndex = _indexes[index];
            foreach (string key in keys)
            {
                if (!kept.Contains(key, modelIndex.Comparer))
                {
                    modelIndex.Lose(_version, key, id);
                }
            }
        }
    }
}
