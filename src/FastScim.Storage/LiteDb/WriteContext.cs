using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// What a <see cref="WriteOperation"/> may do, on the writer thread, inside the batch's
/// transaction. Every change goes through here so the writer knows whether an operation that
/// failed had already changed something, and so the checks of later operations in the batch see
/// it: existence and uniqueness are answered from this batch's changes and then the collection's
/// in-memory model, never by a LiteDB query (docs/architecture.md, "Writes").
/// </summary>
internal sealed class WriteContext
{
    private readonly LiteDatabase _database;
    private readonly Func<string, IResourceIndex?> _modelOf;
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly List<ResourceChange> _pending = [];

    // The latest change of each document in the open transaction, by collection then id.
    private readonly Dictionary<string, Dictionary<string, ResourceChange>> _latest = new(StringComparer.Ordinal);

    // Per collection with a model and unique index, the ids whose latest change in the open
    // transaction holds each key (compared ignoring case, RFC 7643 §2.1, as the model's unique
    // indexes compare): a write's uniqueness check finds a conflict in this batch without looking
    // at every change of it (a Bulk batch holds thousands).
    // The dictionaries are kept from batch to batch and emptied (Clear), as _latest's are: a new
    // one per unique index every batch was one more allocation of every POST's share (issue 7).
    private readonly Dictionary<(string Collection, int Unique), Dictionary<string, CompactStrings>> _uniqueKeys = [];

    /// <param name="modelOf">The in-memory model of a collection, when it has one: what is committed.</param>
    public WriteContext(LiteDatabase database, Func<string, IResourceIndex?> modelOf)
    {
        _database = database;
        _modelOf = modelOf;
    }

    /// <summary>Changes made by the operation running now.</summary>
    public int Changes { get; private set; }

    internal void BeginOperation() => Changes = 0;

    /// <summary>
    /// The changes made since the last <see cref="TakeChanges"/> or <see cref="DiscardChanges"/>, in
    /// order: what the in-memory models build once they are committed, and show once they are durable.
    /// </summary>
    internal List<ResourceChange> TakeChanges()
    {
        var changes = new List<ResourceChange>(_pending);
        Clear();
        return changes;
    }

    /// <summary>Forgets the recorded changes (their transaction was rolled back).</summary>
    internal void DiscardChanges() => Clear();

    internal bool HasChanges => _pending.Count > 0;

    private void Clear()
    {
        _pending.Clear();
        foreach (var holders in _uniqueKeys.Values)
        {
            holders.Clear();
        }

        foreach (var changes in _latest.Values)
        {
            changes.Clear();
        }
    }

    public ILiteCollection<BsonDocument> Collection(string name) => _database.GetCollection(name, BsonAutoId.ObjectId);

    /// <summary>A document of a collection without an in-memory model (memberships), read through LiteDB.</summary>
    public BsonDocument? FindById(string collection, BsonValue id) => Collection(collection).FindById(id);

    /// <summary>Whether a document exists as this transaction sees it: its own changes first, then what is committed.</summary>
    public bool Exists(string collection, string id)
    {
        if (TryGetPending(collection, id, out ResourceChange change))
        {
            return !change.IsDeletion;
        }

        return _modelOf(collection) is { } model ? model.Contains(id) : FindById(collection, id) is not null;
    }

    /// <summary>The latest change this transaction made to a document, if it made one.</summary>
    public bool TryGetPending(string collection, string id, out ResourceChange change)
    {
        change = default;
        return _latest.TryGetValue(collection, out var changes) && changes.TryGetValue(id, out change);
    }

    /// <summary>
    /// Stores a resource's new version in a collection with a model: only recorded here. The writer
    /// writes the batch's changes to the collection's log (<see cref="ResourceLog"/>) as it commits.
    /// The caller has checked that the id is free (a new resource) or taken (a new version).
    /// </summary>
    /// <param name="prepared">The collection model's entry for the version, made ahead (<see cref="ResourceModel{T}.Prepare"/>): its bytes are what the log keeps.</param>
    public void Put(string collection, string id, long sequence, object prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        Changes++;
        Record(new ResourceChange(collection, id, Document: null, prepared, sequence));
    }

    /// <summary>Inserts a document into a collection without a model (memberships): LiteDB inserts it at once.</summary>
    public void Insert(string collection, BsonDocument document)
    {
        Changes++;
        WithoutModel(collection).Insert(document);
        Record(new ResourceChange(collection, document["_id"], document));
    }

    /// <summary>Replaces a document of a collection without a model, as <see cref="Insert"/> stores one; false when there is none with its id.</summary>
    public bool Update(string collection, BsonDocument document)
    {
        Changes++;
        bool updated = WithoutModel(collection).Update(document);
        if (updated)
        {
            Record(new ResourceChange(collection, document["_id"], document));
        }

        return updated;
    }

    private ILiteCollection<BsonDocument> WithoutModel(string collection) =>
        _modelOf(collection) is null ? Collection(collection) : throw new InvalidOperationException($"The collection '{collection}' is kept as a log: its resources are stored with Put.");

    /// <summary>Deletes a stored document or resource (recorded only, in a collection with a model); false when there is none with the id.</summary>
    public bool Delete(string collection, BsonValue id)
    {
        Changes++;
        bool deleted = _modelOf(collection) is null ? Collection(collection).Delete(id) : Exists(collection, id.AsString);
        if (deleted)
        {
            Record(new ResourceChange(collection, id, Document: null));
        }

        return deleted;
    }

    /// <summary>The changes recorded since the last <see cref="TakeChanges"/> or <see cref="DiscardChanges"/>, in order.</summary>
    internal IReadOnlyList<ResourceChange> Pending => _pending;

    private void Record(ResourceChange change)
    {
        _pending.Add(change);
        if (change.Id.IsString)
        {
            Dictionary<string, ResourceChange> latest = Latest(change.Collection);
            string id = change.Id.AsString;
            if (_modelOf(change.Collection) is { UniqueCount: > 0 } model)
            {
                if (latest.TryGetValue(id, out ResourceChange earlier))
                {
                    TrackUniqueKeys(model, earlier, add: false);
                }

                TrackUniqueKeys(model, change, add: true);
            }

            latest[id] = change;
        }
    }

    private void TrackUniqueKeys(IResourceIndex model, ResourceChange change, bool add)
    {
        if (change.Prepared is not { } prepared)
        {
            return;
        }

        string id = change.Id.AsString;
        for (int u = 0; u < model.UniqueCount; u++)
        {
            if (model.UniqueKeyOf(prepared, u) is not { } key)
            {
                continue;
            }

            if (!_uniqueKeys.TryGetValue((change.Collection, u), out var holders))
            {
                holders = new Dictionary<string, CompactStrings>(StringComparer.OrdinalIgnoreCase);
                _uniqueKeys.Add((change.Collection, u), holders);
            }

            if (add)
            {
                ref CompactStrings ids = ref CollectionsMarshal.GetValueRefOrAddDefault(holders, key, out _);
                ids = ids.With(id);
            }
            else
            {
                ref CompactStrings ids = ref CollectionsMarshal.GetValueRefOrNullRef(holders, key);
                if (!Unsafe.IsNullRef(ref ids) && ids.IndexOf(id) is >= 0 and var at)
                {
                    ids = ids.Without(at);
                }
            }
        }
    }

    /// <summary>
    /// The ids whose latest change in this transaction holds <paramref name="key"/> in unique index
    /// <paramref name="unique"/> of <paramref name="collection"/> (compared ignoring case).
    /// </summary>
    public CompactStrings PendingHolders(string collection, int unique, string key) =>
        _uniqueKeys.TryGetValue((collection, unique), out var holders) && holders.TryGetValue(key, out CompactStrings ids) ? ids : default;

    private Dictionary<string, ResourceChange> Latest(string collection)
    {
        if (!_latest.TryGetValue(collection, out var changes))
        {
            changes = new Dictionary<string, ResourceChange>(StringComparer.Ordinal);
            _latest.Add(collection, changes);
        }

        return changes;
    }

    /// <summary>
    /// The next value of the collection's creation sequence (<see cref="ResourceFields.SequenceField"/>).
    /// Strictly increasing and never reused once committed, also across restarts and after the
    /// newest resources were deleted (a keyset cursor names the last sequence it returned): every
    /// committed sequence is either still in the collection or was deleted by a transaction that
    /// also saved the high-water mark (<see cref="SaveSequences"/>), so the greater of the two is
    /// at least every sequence ever committed. A rolled-back batch leaves a gap (and a number no
    /// cursor can have seen may come again after a restart).
    /// </summary>
    public long NextSequence(string collection)
    {
        long last = LastSequence(collection) + 1;
        _lastSequence[collection] = last;
        return last;
    }

    /// <summary>The greatest sequence handed out in this process, else the greater of what is stored and the saved mark.</summary>
    private long LastSequence(string collection)
    {
        if (!_lastSequence.TryGetValue(collection, out long last))
        {
            BsonValue? saved = Collection(SequencesCollection).FindById(collection)?["last"];
            last = Math.Max(_modelOf(collection)?.LastSequence ?? 0, saved is { IsNumber: true } ? saved.AsInt64 : 0);
            _lastSequence[collection] = last;
        }

        return last;
    }

    /// <summary>Where each collection's sequence high-water mark is kept: <c>{ _id: collection, last }</c>.</summary>
    public const string SequencesCollection = "sequences";

    /// <summary>
    /// Stores, in this transaction, the sequence high-water mark of each resource collection it
    /// deleted from (the writer calls this just before committing a batch). Only a deletion can
    /// take the greatest sequence out of the collection; a batch that only creates or updates
    /// leaves the mark to the sequences stored, and writes no page for it.
    /// </summary>
    internal void SaveSequences()
    {
        // The transaction's deletions are among its recorded changes (a rolled-back one discards them).
        List<string>? saved = null;
        foreach (ResourceChange change in _pending)
        {
            if (change.IsDeletion && _modelOf(change.Collection) is not null && !(saved?.Contains(change.Collection) ?? false))
            {
                Collection(SequencesCollection).Upsert(new BsonDocument { ["_id"] = change.Collection, ["last"] = LastSequence(change.Collection) });
                (saved ??= []).Add(change.Collection);
            }
        }
    }
}

/// <summary>
/// One change to one document or resource. In a collection without a model: the document's new
/// content, or null for a deletion. In a collection with one: the new version's model entry (a
/// <see cref="PreparedEntry{T}"/>) and its creation sequence, or neither for a deletion.
/// </summary>
internal readonly record struct ResourceChange(string Collection, BsonValue Id, BsonDocument? Document, object? Prepared = null, long Sequence = 0)
{
    public bool IsDeletion => Document is null && Prepared is null;
}
