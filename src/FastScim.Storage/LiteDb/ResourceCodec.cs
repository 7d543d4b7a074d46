using FastScim.Core.Resources;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// How one resource type is stored: its collection, its mapping to and from
/// <see cref="BsonDocument"/> (generated, no reflection) and the indexes its unique attributes need.
/// </summary>
public sealed class ResourceCodec<T>
    where T : class, IScimResource
{
    public ResourceCodec(
        string collectionName,
        Func<T, BsonDocument> toDocument,
        Func<BsonDocument, T> fromDocument,
        IReadOnlyList<BsonIndex> indexes)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionName);
        ArgumentNullException.ThrowIfNull(toDocument);
        ArgumentNullException.ThrowIfNull(fromDocument);
        ArgumentNullException.ThrowIfNull(indexes);
        CollectionName = collectionName;
        ToDocument = toDocument;
        FromDocument = fromDocument;
        Indexes = indexes;
        UniqueIndexes = [.. indexes.Where(static i => i.Unique)];
    }

    public string CollectionName { get; }
    public Func<T, BsonDocument> ToDocument { get; }
    public Func<BsonDocument, T> FromDocument { get; }
    public IReadOnlyList<BsonIndex> Indexes { get; }

    /// <summary>The indexes whose keys must be unique (checked before every insert).</summary>
    internal IReadOnlyList<BsonIndex> UniqueIndexes { get; }
}
