using FastScim.Storage.Bson;
using LiteDB;

namespace FastScim.Storage.Tests.Bson;

public class BsonElementsTests
{
    private static byte[] Bytes(BsonDocument document) => BsonSerializer.Serialize(document);

    private static BsonDocument User(string userName, string version) => new()
    {
        ["_id"] = "u1",
        ["userName"] = userName,
        ["meta"] = new BsonDocument { ["version"] = version, ["created"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) },
        ["emails"] = new BsonArray { new BsonDocument { ["value"] = "a@example.com" } },
        ["active"] = true,
        ["count"] = 42L,
        ["nothing"] = BsonValue.Null,
    };

    [Fact]
    public void Reads_every_element_as_LiteDB_wrote_it()
    {
        BsonDocument document = User("bjensen", "W/\"1\"");
        var names = new List<string>();
        var types = new List<byte>();
        foreach (BsonElement element in new BsonElements(Bytes(document)))
        {
            names.Add(System.Text.Encoding.UTF8.GetString(element.Name));
            types.Add(element.Type);
        }

        Assert.Equal(["_id", "userName", "meta", "emails", "active", "count", "nothing"], names);
        Assert.Equal([0x02, 0x02, 0x03, 0x04, 0x08, 0x12, 0x0A], types);
        Assert.True(BsonElements.TryFind(Bytes(document), "USERNAME", out BsonElement userName));
        Assert.Equal("bjensen", userName.AsString());
        Assert.False(BsonElements.TryFind(Bytes(document), "displayName", out _));
    }

    [Fact]
    public void Of_a_name_given_twice_the_last_is_found_as_LiteDB_reads_it()
    {
        // A document cannot hold a key twice, so the second is appended to the first's bytes.
        byte[] first = Bytes(new BsonDocument { ["userName"] = "first" });
        byte[] second = Bytes(new BsonDocument { ["USERNAME"] = "second" });
        byte[] both = [.. BitConverter.GetBytes(first.Length + second.Length - 5), .. first.AsSpan(4, first.Length - 5), .. second.AsSpan(4)];

        Assert.True(BsonElements.TryFind(both, "userName", out BsonElement found));
        Assert.Equal("second", found.AsString());
        Assert.Equal("second", BsonSerializer.Deserialize(both)["userName"].AsString);
    }

    [Fact]
    public void The_same_content_but_the_ignored_element_is_the_same()
    {
        Assert.True(BsonElements.SameExcept(Bytes(User("bjensen", "W/\"1\"")), Bytes(User("bjensen", "W/\"2\"")), "meta"));

        BsonDocument withoutMeta = User("bjensen", "W/\"1\"");
        withoutMeta.Remove("meta");
        Assert.True(BsonElements.SameExcept(Bytes(User("bjensen", "W/\"1\"")), Bytes(withoutMeta), "meta"));
        Assert.True(BsonElements.SameExcept(Bytes(withoutMeta), Bytes(User("bjensen", "W/\"1\"")), "meta"));
    }

    [Fact]
    public void Any_other_difference_is_a_difference()
    {
        byte[] stored = Bytes(User("bjensen", "W/\"1\""));
        Assert.False(BsonElements.SameExcept(stored, Bytes(User("BJensen", "W/\"1\"")), "meta")); // case is content
        Assert.True(BsonElements.SameExcept(stored, Bytes(User("BJensen", "W/\"1\"")), "userName"));

        BsonDocument extra = User("bjensen", "W/\"1\"");
        extra["displayName"] = "Babs";
        Assert.False(BsonElements.SameExcept(stored, Bytes(extra), "meta"));
        Assert.False(BsonElements.SameExcept(Bytes(extra), stored, "meta"));

        BsonDocument otherType = User("bjensen", "W/\"1\"");
        otherType["count"] = 42; // int32, not int64
        Assert.False(BsonElements.SameExcept(stored, Bytes(otherType), "meta"));

        BsonDocument nested = User("bjensen", "W/\"1\"");
        nested["emails"].AsArray[0].AsDocument["value"] = "b@example.com";
        Assert.False(BsonElements.SameExcept(stored, Bytes(nested), "meta"));
    }

    [Fact]
    public void What_is_the_same_but_the_ignored_element_hashes_alike_and_a_difference_apart()
    {
        BsonDocument withoutMeta = User("bjensen", "W/\"1\"");
        withoutMeta.Remove("meta");
        int stored = BsonContentHash.Except(Bytes(User("bjensen", "W/\"1\"")), "meta");
        Assert.Equal(stored, BsonContentHash.Except(Bytes(User("bjensen", "W/\"2\"")), "META"));
        Assert.Equal(stored, BsonContentHash.Except(Bytes(withoutMeta), "meta"));

        // Each difference SameExcept sees (a collision is possible, but one in 2^32 for each).
        BsonDocument extra = User("bjensen", "W/\"1\"");
        extra["displayName"] = "Babs";
        BsonDocument otherType = User("bjensen", "W/\"1\"");
        otherType["count"] = 42;
        BsonDocument nested = User("bjensen", "W/\"1\"");
        nested["emails"].AsArray[0].AsDocument["value"] = "b@example.com";
        BsonDocument renamed = User("bjensen", "W/\"1\"");
        renamed.Remove("nothing");
        renamed["nothinG"] = BsonValue.Null;
        foreach (BsonDocument changed in new[] { User("BJensen", "W/\"1\""), extra, otherType, nested, renamed })
        {
            Assert.False(BsonElements.SameExcept(Bytes(User("bjensen", "W/\"1\"")), Bytes(changed), "meta"));
            Assert.NotEqual(stored, BsonContentHash.Except(Bytes(changed), "meta"));
        }
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 5, 0, 0, 0 })]
    [InlineData(new byte[] { 6, 0, 0, 0, 0 })] // the length says 6, it ends at 5
    [InlineData(new byte[] { 9, 0, 0, 0, 0x02, (byte)'a', 0, 0, 0 })] // a string cut short
    [InlineData(new byte[] { 8, 0, 0, 0, 0x20, (byte)'a', 0, 0 })] // no such type
    [InlineData(new byte[] { 7, 0, 0, 0, 0x08, (byte)'a', 0 })] // a value past the end
    [InlineData(new byte[] { 6, 0, 0, 0, 0x0A, 0 })] // a null named by the document's own terminator
    [InlineData(new byte[] { 12, 0, 0, 0, 0x02, (byte)'a', 0, 1, 0, 0, 0, 0 })] // a string over the terminator
    public void Malformed_bytes_are_refused(byte[] bytes)
    {
        Assert.Throws<FormatException>(() =>
        {
            foreach (BsonElement element in new BsonElements(bytes))
            {
                _ = element.Type;
            }
        });
    }
}
