using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>What a tenant file holds for a resource collection, read from its log without the store (<see cref="ResourceLog"/>).</summary>
internal static class StoredResources
{
    /// <summary>The current document of each resource of <paramref name="resources"/>, in creation order.</summary>
    public static List<BsonDocument> Of(LiteDatabase file, string resources)
    {
        var current = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        foreach (BsonDocument record in Records(file, resources))
        {
            foreach (var (id, sequence, body) in ResourceLog.Entries(record))
            {
                if (body is null)
                {
                    current.Remove(id);
                }
                else
                {
                    // The id and sequence kept beside the bytes win (ResourceLog).
                    BsonDocument document = BsonSerializer.Deserialize(body, utcDate: true);
                    document["_id"] = id;
                    document[ResourceFields.SequenceField] = sequence;
                    current[id] = document;
                }
            }
        }

        return [.. current.Values.OrderBy(static d => d[ResourceFields.SequenceField].AsInt64)];
    }

    /// <summary>The records of the log of <paramref name="resources"/>, in the order they were written, which is not their slots' (<see cref="ResourceLog"/>).</summary>
    public static IEnumerable<BsonDocument> Records(LiteDatabase file, string resources) =>
        file.GetCollection(ResourceLog.CollectionOf(resources)).FindAll().OrderBy(ResourceLog.NumberOf);

    /// <summary>The current document of the resource <paramref name="id"/>, or null.</summary>
    public static BsonDocument? Find(LiteDatabase file, string resources, string id) =>
        Of(file, resources).FirstOrDefault(d => d["_id"].AsString == id);
}
