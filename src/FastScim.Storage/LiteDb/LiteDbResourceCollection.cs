using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
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

    internal LiteDbResourceCollection(TenantDatabase database, ResourceCodec<T> codec)
    {
        _database = database;
        _codec = codec;
        database.EnsureIndex(codec.CollectionName, ResourceFields.SequenceField, ResourceFields.SequenceExpression, unique: true);
        foreach (BsonIndex index in codec.Indexes)
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

        // Checked here, on the single writer, against everything committed and everything earlier in
        // this batch; so a conflict refuses this write alone instead of failing LiteDB's insert
        // (which would roll back the whole batch's transaction).
        foreach (BsonIndex index in _codec.UniqueIndexes)
        {
            BsonValue key = BsonExpression.Create(index.Expression).ExecuteScalar(document);
            if (context.Exists(collection, BsonExpression.Create(index.Expression + " = @0", key)))
            {
                string shown = key.IsString ? key.AsString : key.ToString();
                throw new ScimException(409, ScimType.Uniqueness, $"The {index.Name} '{shown}' already exists.");
            }
        }

        document[ResourceFields.SequenceField] = context.NextSequence(collection);
        context.Insert(collection, document);
        return true;
    }

    public T? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        BsonDocument? document = _database.Database.GetCollection(_codec.CollectionName).FindById(id);
        return document is null ? null : _codec.FromDocument(document);
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
}
