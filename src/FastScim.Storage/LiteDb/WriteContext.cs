using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// What a <see cref="WriteOperation"/> may do, on the writer thread, inside the batch's
/// transaction. Every change goes through here so the writer knows whether an operation that
/// failed had already changed something.
/// </summary>
internal sealed class WriteContext
{
    private readonly LiteDatabase _database;
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly List<ResourceChange> _pending = [];

    public WriteContext(LiteDatabase database) => _database = database;

    /// <summary>Changes made by the operation running now.</summary>
    public int Changes { get; private set; }

    internal void BeginOperation() => Changes = 0;

    /// <summary>
    /// The changes made since the last <see cref="TakeChanges"/> or <see cref="DiscardChanges"/>, in
    /// order: what the writer publishes to the in-memory models once they are durable.
    /// </summary>
    internal List<ResourceChange> TakeChanges()
    {
        var changes = new List<ResourceChange>(_pending);
        _pending.Clear();
        return changes;
    }

    /// <summary>Forgets the recorded changes (their transaction was rolled back).</summary>
    internal void DiscardChanges() => _pending.Clear();

    internal bool HasChanges => _pending.Count > 0;

    public ILiteCollection<BsonDocument> Collection(string name) => _database.GetCollection(name, BsonAutoId.ObjectId);

    public BsonDocument? FindById(string collection, BsonValue id) => Collection(collection).FindById(id);

    public bool Exists(string collection, BsonExpression predicate) => Collection(collection).Exists(predicate);

    public void Insert(string collection, BsonDocument document)
    {
        Changes++;
        Collection(collection).Insert(document);
        _pending.Add(new ResourceChange(collection, document["_id"], document));
    }

    public bool Update(string collection, BsonDocument document)
    {
        Changes++;
        bool updated = Collection(collection).Update(document);
        if (updated)
        {
            _pending.Add(new ResourceChange(collection, document["_id"], document));
        }

        return updated;
    }

    public bool Delete(string collection, BsonValue id)
    {
        Changes++;
        bool deleted = Collection(collection).Delete(id);
        if (deleted)
        {
            _pending.Add(new ResourceChange(collection, id, Document: null));
        }

        return deleted;
    }

    /// <summary>
    /// The next value of the collection's creation sequence (<see cref="ResourceFields.SequenceField"/>).
    /// Strictly increasing; a rolled-back batch leaves a gap, never a repeat.
    /// </summary>
    public long NextSequence(string collection)
    {
        if (!_lastSequence.TryGetValue(collection, out long last))
        {
            BsonDocument? newest = Collection(collection).Query()
                .OrderByDescending(ResourceFields.SequenceExpression)
                .Limit(1)
                .FirstOrDefault();
            BsonValue? max = newest?[ResourceFields.SequenceField];
            last = max is { IsNumber: true } ? max.AsInt64 : 0;
        }

        last++;
        _lastSequence[collection] = last;
        return last;
    }
}

/// <summary>One change to one document: its new content, or null for a deletion.</summary>
internal readonly record struct ResourceChange(string Collection, BsonValue Id, BsonDocument? Document);
