using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// How one resource type is stored: its collection, its mapping to and from
/// <see cref="BsonDocument"/> and BSON bytes (generated, no reflection) and the indexes its unique
/// attributes need.
/// </summary>
public sealed class ResourceCodec<T>
    where T : class, IScimResource
{
    public ResourceCodec(
        string collectionName,
        Func<T, BsonDocument> toDocument,
        Func<BsonDocument, T> fromDocument,
        IReadOnlyList<BsonIndex> indexes,
        Func<T, T> copy,
        Func<T, string?, byte[]>? toBytes = null,
        Func<ReadOnlySpan<byte>, T>? fromBytes = null)
        : this(collectionName, toDocument, fromDocument, indexes, copy, toBytes, fromBytes, omitted: null)
    {
    }

    private ResourceCodec(
        string collectionName,
        Func<T, BsonDocument> toDocument,
        Func<BsonDocument, T> fromDocument,
        IReadOnlyList<BsonIndex> indexes,
        Func<T, T> copy,
        Func<T, string?, byte[]>? toBytes,
        Func<ReadOnlySpan<byte>, T>? fromBytes,
        string? omitted)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionName);
        ArgumentNullException.ThrowIfNull(toDocument);
        ArgumentNullException.ThrowIfNull(fromDocument);
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(copy);
        CollectionName = collectionName;
        ToDocument = toDocument;
        FromDocument = fromDocument;
        Indexes = indexes;
        Copy = copy;
        _toBytes = toBytes;
        _fromBytes = fromBytes;
        _omitted = omitted;
        UniqueIndexes = [.. indexes.Where(static i => i.Unique)];
    }

    public string CollectionName { get; }
    public Func<T, BsonDocument> ToDocument { get; }
    public Func<BsonDocument, T> FromDocument { get; }
    public IReadOnlyList<BsonIndex> Indexes { get; }

    /// <summary>
    /// A fresh copy of a resource (at least its own meta), sharing its lists and complex values: the
    /// store hands one out per read of its in-memory model, and an update's change gets one of the
    /// stored resource (IResourceCollection.UpdateAsync).
    /// </summary>
    public Func<T, T> Copy { get; }

    /// <summary>
    /// Whether the in-memory model's copy of a resource holds all of it (no attribute is left out,
    /// <see cref="Without"/>): a resource its caller hands over may then be kept as it is.
    /// </summary>
    internal bool KeepsWhole => _omitted is null;

    /// <summary>The indexes whose keys must be unique (checked before every insert).</summary>
    internal IReadOnlyList<BsonIndex> UniqueIndexes { get; }

    // The generated writer of the bytes (the resource, an attribute left out), if there is one.
    private readonly Func<T, string?, byte[]>? _toBytes;

    // The generated reader of the bytes, if there is one.
    private readonly Func<ReadOnlySpan<byte>, T>? _fromBytes;

    // The top-level attribute this codec leaves out of what it stores (Without); its Copy leaves it out too.
    private readonly string? _omitted;

    /// <summary>
    /// The bytes a resource is stored as: <see cref="ToDocument"/> as LiteDB serialises it, written
    /// straight from the resource where a generated writer does it (without one, LiteDB's own
    /// serialiser of the mapped document). A write maps its resource only this once.
    /// </summary>
    public byte[] ToBytes(T resource) =>
        _toBytes is null ? BsonSerializer.Serialize(ToDocument(resource)) : _toBytes(resource, _omitted);

    /// <summary>
    /// Whether two versions' bytes (<see cref="ToBytes"/>) hold the same resource but for meta, which
    /// the service provider moves on with every version (RFC 7643 §3.1, RFC 7644 §3.14).
    /// </summary>
    internal static bool SameContent(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) => BsonElements.SameExcept(x, y, MetaElement);

    /// <summary>A hash of what <see cref="SameContent"/> compares (<see cref="BsonContentHash"/>): versions with the same content hash alike.</summary>
    internal static int ContentHash(ReadOnlySpan<byte> bson) => BsonContentHash.Except(bson, MetaElement);

    private const string MetaElement = "meta";

    /// <summary>
    /// The resource stored as <paramref name="bson"/>: what <see cref="FromDocument"/> makes of the
    /// bytes as LiteDB deserialises them, read straight from the bytes where a generated reader does
    /// it (a cold tenant reads all its resources this way). A codec made by <see cref="Without"/>
    /// leaves its attribute out of the resource through its copy, even if the bytes hold it.
    /// </summary>
    public T FromBytes(ReadOnlySpan<byte> bson)
    {
        T resource = _fromBytes is null ? FromDocument(BsonSerializer.Deserialize(bson.ToArray(), utcDate: true)) : _fromBytes(bson);
        return _omitted is null ? resource : Copy(resource);
    }

    /// <summary>
    /// This codec storing everything but the top-level <paramref name="attribute"/> (a group's
    /// members, kept in records of their own); <paramref name="copy"/> makes the in-memory model's
    /// copy of a resource, without it.
    /// </summary>
    public ResourceCodec<T> Without(string attribute, Func<T, T> copy)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute);
        ArgumentNullException.ThrowIfNull(copy);
        Func<T, BsonDocument> toDocument = ToDocument;
        return new ResourceCodec<T>(
            CollectionName,
            resource =>
            {
                BsonDocument document = toDocument(resource);
                document.Remove(attribute);
                return document;
            },
            FromDocument,
            Indexes,
            copy,
            _toBytes,
            _fromBytes,
            attribute);
    }
}
