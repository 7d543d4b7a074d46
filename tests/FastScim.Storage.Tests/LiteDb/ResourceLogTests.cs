using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>The log's records as stored: three values an entry, and an earlier version's documents read alike.</summary>
public sealed class ResourceLogTests
{
    private static User Version(string id, string title) => new()
    {
        Id = id,
        UserName = id + "-name",
        Title = title,
        Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"" + title + "\"" },
    };

    private static byte[] Bytes(User user) => ResourceCodecs.User.ToBytes(user);

    [Fact]
    public void A_log_of_entry_documents_reads_as_the_same_log_of_values()
    {
        // Record 1 puts u1 and u2; record 2 puts u1 again and deletes u2; record 3, of a file older
        // still, has no number (its slot is its number) and puts u3.
        (string Id, long Sequence, User? User)[][] records =
        [
            [("u1", 1, Version("u1", "first")), ("u2", 2, Version("u2", "first"))],
            [("u1", 1, Version("u1", "second")), ("u2", 0, null)],
            [("u3", 3, Version("u3", "first"))],
        ];

        using var earlier = new LiteDatabase(new MemoryStream());
        using var current = new LiteDatabase(new MemoryStream());
        for (int r = 0; r < records.Length; r++)
        {
            long number = r + 1;
            var documents = new BsonArray();
            var values = new BsonArray();
            foreach (var (id, sequence, user) in records[r])
            {
                documents.Add(user is null ? new BsonDocument { ["i"] = id } : new BsonDocument { ["i"] = id, ["s"] = sequence, ["b"] = Bytes(user) });
                if (user is null)
                {
                    ResourceLog.AddDeletion(values, id);
                }
                else
                {
                    ResourceLog.AddPut(values, id, sequence, Bytes(user));
                }
            }

            BsonDocument earlierRecord = ResourceLog.Record(number, number, documents);
            if (number == 3)
            {
                earlierRecord.Remove("n");
            }

            Log(earlier).Insert(earlierRecord);
            Log(current).Insert(ResourceLog.Record(number, number, values));
            Assert.Equal(3 * records[r].Length, values.Count);
        }

        foreach (long slot in new long[] { 1, 2, 3 })
        {
            var fromDocuments = ResourceLog.Entries(Log(earlier).FindById(slot)).Select(e => (e.Id, e.Sequence, Convert.ToHexString(e.Body ?? [])));
            var fromValues = ResourceLog.Entries(Log(current).FindById(slot)).Select(e => (e.Id, e.Sequence, Convert.ToHexString(e.Body ?? [])));
            Assert.Equal(fromDocuments, fromValues);
        }

        foreach (LiteDatabase file in new[] { earlier, current })
        {
            var model = new ResourceModel<User>(Log(file), ResourceCodecs.User, [], []);
            Assert.Equal(["u1", "u3"], model.Current.BySequence.Select(entry => entry.Id));
            Assert.True(model.Current.ById.TryGetValue("u1", out ModelEntry<User>? u1));
            Assert.Equal("second", u1.Resource.Title);
            Assert.False(model.Contains("u2"));
        }
    }

    [Fact]
    public void A_record_whose_values_are_not_three_an_entry_is_refused()
    {
        var values = new BsonArray();
        ResourceLog.AddPut(values, "u1", 1, Bytes(Version("u1", "first")));
        values.Add("u2");
        Assert.Throws<InvalidDataException>(() => ResourceLog.Entries(ResourceLog.Record(1, 1, values)).ToList());
    }

    private static ILiteCollection<BsonDocument> Log(LiteDatabase file) => file.GetCollection(ResourceLog.CollectionOf("users"));
}
