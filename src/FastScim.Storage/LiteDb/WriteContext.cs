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

    public WriteContext(LiteDatabase database) => _database = database;

    /// <summary>Changes made by the operation running now.</summary>
    public int Changes { get; private set; }

    internal void BeginOperation() => Changes = 0;

    public ILiteCollection<BsonDocument> Collection(string name) => _database.GetCollection(name, BsonAutoId.ObjectId);

    public BsonDocument? FindById(string collection, BsonValue id) => Collection(collection).FindById(id);

    public bool Exists(string collection, BsonExpression predicate) => Collection(collection).Exists(predicate);

    public void Insert(string collection, BsonDocument document)
    {
        Changes++;
        Collection(collection).Insert(document);
    }

    public bool Update(string collection, BsonDocument document)
    {
        Changes++;
        return Collection(collection).Update(document);
    }

    public bool Delete(string collection, BsonValue id)
    {
        Changes++;
        return Collection(collection).Delete(id);
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
