using System.Text;
using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.Tests.TestSupport;
using LiteDB;

namespace FastScim.Storage.Tests.Bson;

/// <summary>
/// The generated <c>ToBytes</c> writes exactly what <c>BsonSerializer.Serialize(ToDocument(x))</c>
/// writes (LiteDB is the arbiter), for seeded random users and groups, with and without an omitted
/// top-level attribute, and what it writes reads back to the same resource.
/// </summary>
public sealed class StoredBytesTests
{
    private const int Count = 400;

    [Fact]
    public void Random_users_are_written_as_LiteDB_serialises_their_document()
    {
        var random = new RandomResources(7643);
        for (var i = 0; i < Count; i++)
        {
            var user = random.User();
            AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(user)), UserBson.ToBytes(user), "user " + i);
        }
    }

    [Fact]
    public void Random_groups_are_written_as_LiteDB_serialises_their_document_with_or_without_members()
    {
        var random = new RandomResources(7644);
        for (var i = 0; i < Count; i++)
        {
            var group = random.Group();
            AssertSameBytes(BsonSerializer.Serialize(GroupBson.ToDocument(group)), GroupBson.ToBytes(group), "group " + i);

            // what the group store does today: members are kept elsewhere and removed from the document
            var document = GroupBson.ToDocument(group);
            document.Remove("members");
            AssertSameBytes(BsonSerializer.Serialize(document), GroupBson.ToBytes(group, omitted: "members"), "group " + i + " without members");
        }
    }

    [Fact]
    public void The_stores_codecs_write_with_the_generated_writer_what_they_map()
    {
        // The codecs the stores use (ResourceCodecs) and the group store's members-less one: their
        // bytes are their own documents as LiteDB serialises them, members left out where they are.
        var withoutMembers = ResourceCodecs.Group.Without("members", static g => g.Copy());
        var random = new RandomResources(7646);
        for (var i = 0; i < Count; i++)
        {
            var user = random.User();
            AssertSameBytes(BsonSerializer.Serialize(ResourceCodecs.User.ToDocument(user)), ResourceCodecs.User.ToBytes(user), "user " + i);
            var group = random.Group();
            AssertSameBytes(BsonSerializer.Serialize(ResourceCodecs.Group.ToDocument(group)), ResourceCodecs.Group.ToBytes(group), "group " + i);
            Assert.False(withoutMembers.ToDocument(group).ContainsKey("members"));
            AssertSameBytes(BsonSerializer.Serialize(withoutMembers.ToDocument(group)), withoutMembers.ToBytes(group), "group " + i + " without members");
        }
    }

    [Fact]
    public void Any_omitted_key_is_left_out_as_BsonDocument_Remove_leaves_it_out()
    {
        // Remove matches keys ignoring case (LiteDB documents are OrdinalIgnoreCase dictionaries); unknown keys remove nothing
        string[] keys = ["_id", "externalId", "META", "userName", "name", "emails", "Addresses", "password", "enterpriseUser", "x509Certificates", "nothing", ""];
        var random = new RandomResources(7645);
        for (var i = 0; i < Count; i++)
        {
            var user = random.User();
            var key = keys[i % keys.Length];
            var document = UserBson.ToDocument(user);
            document.Remove(key);
            AssertSameBytes(BsonSerializer.Serialize(document), UserBson.ToBytes(user, omitted: key), "user " + i + " without " + key);
        }
    }

    [Fact]
    public void Written_bytes_read_back_to_a_resource_that_writes_the_same_bytes()
    {
        var random = new RandomResources(7646);
        for (var i = 0; i < Count; i++)
        {
            var user = random.User();
            var bytes = UserBson.ToBytes(user);
            var back = UserBson.FromDocument(BsonSerializer.Deserialize(bytes));
            AssertSameBytes(bytes, BsonSerializer.Serialize(UserBson.ToDocument(back)), "user " + i + " read back");

            var group = random.Group();
            var groupBytes = GroupBson.ToBytes(group);
            var groupBack = GroupBson.FromDocument(BsonSerializer.Deserialize(groupBytes));
            AssertSameBytes(groupBytes, BsonSerializer.Serialize(GroupBson.ToDocument(groupBack)), "group " + i + " read back");
        }
    }

    [Fact]
    public void New_resources_as_the_store_gets_them_are_written_as_LiteDB_writes_them()
    {
        var user = NewResources.User("bjensen");
        var group = NewResources.Group("Tour Guides", user.Id!, Guid.NewGuid().ToString("D"));
        AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(user)), UserBson.ToBytes(user), "new user");
        AssertSameBytes(BsonSerializer.Serialize(GroupBson.ToDocument(group)), GroupBson.ToBytes(group), "new group");
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(0L, 60)]
    [InlineData(9_999L, 0)]
    [InlineData(3_155_378_975_999_999_999L, 0)]
    [InlineData(3_155_378_975_999_999_999L, -840)]
    [InlineData(3_155_378_975_999_999_998L, 0)]
    [InlineData(3_155_378_975_999_990_000L, 0)]
    [InlineData(621_355_968_000_000_001L, 0)]
    [InlineData(621_355_967_999_999_999L, 0)]
    [InlineData(639_000_000_123_456_789L, 330)]
    public void Dates_are_written_as_LiteDB_truncates_and_rounds_them(long utcTicks, int offsetMinutes)
    {
        // DateTime.MinValue and MaxValue are kept whole (MaxValue's …999.9999 ms rounds up through a double); any other date is truncated to its millisecond
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        var created = new DateTimeOffset(new DateTime(utcTicks + offset.Ticks, DateTimeKind.Unspecified), offset);
        Assert.Equal(utcTicks, created.UtcTicks);
        var user = new User { Id = "u1", Meta = new ResourceMeta { Created = created } };
        AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(user)), UserBson.ToBytes(user), created.ToString("O"));
    }

    [Fact]
    public void A_lone_surrogate_is_refused_as_LiteDB_refuses_it_and_the_next_write_is_whole()
    {
        var bad = new User { Id = "u1", UserName = "bad\uD800" };
        Assert.Throws<EncoderFallbackException>(() => BsonSerializer.Serialize(UserBson.ToDocument(bad)));
        Assert.Throws<EncoderFallbackException>(() => UserBson.ToBytes(bad));

        var good = new RandomResources(7647).User();
        AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(good)), UserBson.ToBytes(good), "after a failed write");
    }

    [Fact]
    public void A_resource_bigger_than_the_kept_buffer_is_written_whole_and_so_is_the_next()
    {
        var big = new User { Id = "u1", UserName = new string('é', 700_000), Emails = [new Email { Value = new string('x', 300_000) }] };
        AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(big)), UserBson.ToBytes(big), "a 1.7 MB user");
        var small = new RandomResources(7648).User();
        AssertSameBytes(BsonSerializer.Serialize(UserBson.ToDocument(small)), UserBson.ToBytes(small), "after a big one");
    }

    [Fact]
    public void A_write_allocates_only_the_array_it_returns()
    {
        var random = new RandomResources(7649);
        var users = Enumerable.Range(0, 20).Select(_ => random.User()).ToArray();
        foreach (var user in users)
        {
            UserBson.ToBytes(user); // warm: this thread's writer and its buffer exist, the code is jitted
        }

        foreach (var user in users)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var bytes = UserBson.ToBytes(user);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // a byte[]'s header and length take 24 bytes on 64-bit, rounded up to 8
            Assert.InRange(allocated, bytes.Length, bytes.Length + 32);
        }
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual, string what)
    {
        if (expected.AsSpan().SequenceEqual(actual))
        {
            return;
        }

        var at = expected.AsSpan().CommonPrefixLength(actual);
        Assert.Fail(
            what + ": bytes differ at offset " + at + " (lengths " + expected.Length + " and " + actual.Length + ")\n" +
            " LiteDB: " + Convert.ToHexString(expected, at, Math.Min(48, expected.Length - at)) + "\n" +
            "ToBytes: " + Convert.ToHexString(actual, at, Math.Min(48, actual.Length - at)) + "\n" +
            "document: " + Truncate(JsonSerializer.Serialize(BsonSerializer.Deserialize(expected))));
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
