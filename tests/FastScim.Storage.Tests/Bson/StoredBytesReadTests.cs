using System.Text;
using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.Tests.TestSupport;
using FastScim.Tests.Shared;
using LiteDB;

namespace FastScim.Storage.Tests.Bson;

/// <summary>
/// The generated <c>FromBytes</c> makes of any stored bytes what <c>FromDocument(BsonSerializer.Deserialize(bytes, utcDate: true))</c>
/// makes (LiteDB is the arbiter): for seeded random users and groups as written today, and for their
/// documents mutated as older writers could have left them. Two resources are compared by the bytes
/// <c>ToBytes</c> writes for them, which hold every stored attribute (the password too); where the
/// LiteDB way throws, FromBytes must throw the same exception.
/// </summary>
public sealed class StoredBytesReadTests
{
    private const int Count = 400;

    [Fact]
    public void Random_users_and_groups_read_back_as_through_a_BsonDocument()
    {
        var random = new RandomResources(7650);
        for (var i = 0; i < Count; i++)
        {
            var userBytes = UserBson.ToBytes(random.User());
            AssertSameUser(userBytes, "user " + i);
            Assert.Equal(userBytes, UserBson.ToBytes(UserBson.FromBytes(userBytes)));

            var groupBytes = GroupBson.ToBytes(random.Group());
            AssertSameGroup(groupBytes, "group " + i);
            Assert.Equal(groupBytes, GroupBson.ToBytes(GroupBson.FromBytes(groupBytes)));
        }
    }

    [Fact]
    public void Mutated_user_documents_read_as_through_a_BsonDocument()
    {
        var random = new RandomResources(7651);
        var mutations = new MutatedBson(7652);
        for (var i = 0; i < Count; i++)
        {
            AssertSameUser(mutations.Mutate(UserBson.ToDocument(random.User())), "mutated user " + i);
        }
    }

    [Fact]
    public void Mutated_group_documents_read_as_through_a_BsonDocument()
    {
        var random = new RandomResources(7653);
        var mutations = new MutatedBson(7654);
        for (var i = 0; i < Count; i++)
        {
            AssertSameGroup(mutations.Mutate(GroupBson.ToDocument(random.Group())), "mutated group " + i);
        }
    }

    [Fact]
    public void Keys_match_ignoring_case_and_the_last_of_a_repeated_key_wins()
    {
        var first = BsonSerializer.Serialize(new BsonDocument { ["_id"] = "u1", ["USERNAME"] = "first", ["active"] = true, ["Password"] = "p" });
        var user = UserBson.FromBytes(MutatedBson.Splice(first, BsonSerializer.Serialize(new BsonDocument { ["userName"] = "second", ["ACTIVE"] = BsonValue.Null })));
        Assert.Equal("second", user.UserName);
        Assert.Null(user.Active);
        Assert.Equal("p", user.Password);
        AssertSameUser(MutatedBson.Splice(first, BsonSerializer.Serialize(new BsonDocument { ["userName"] = "second", ["ACTIVE"] = BsonValue.Null })), "repeated keys");
    }

    [Fact]
    public void Invalid_UTF8_in_a_read_string_throws_as_LiteDB_throws()
    {
        var bytes = BsonSerializer.Serialize(new BsonDocument { ["_id"] = "u1", ["userName"] = "ab" });
        var at = bytes.AsSpan().IndexOf("ab"u8);
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        Assert.Throws<DecoderFallbackException>(() => BsonSerializer.Deserialize(bytes));
        Assert.Throws<DecoderFallbackException>(() => UserBson.FromBytes(bytes));
    }

    [Fact]
    public void The_stores_codecs_read_with_the_generated_reader_and_the_members_less_one_reads_no_members()
    {
        var withoutMembers = ResourceCodecs.Group.Without("members", static g =>
        {
            var copy = g.Copy();
            copy.Members = null;
            return copy;
        });
        var random = new RandomResources(7655);
        for (var i = 0; i < 100; i++)
        {
            var user = random.User();
            Assert.Equal(UserBson.ToBytes(user), UserBson.ToBytes(ResourceCodecs.User.FromBytes(UserBson.ToBytes(user))));
            var group = random.Group();
            var bytes = GroupBson.ToBytes(group);
            Assert.Equal(bytes, GroupBson.ToBytes(ResourceCodecs.Group.FromBytes(bytes)));

            // bytes with members (an older store's) read through the members-less codec: everything else, no members
            var read = withoutMembers.FromBytes(bytes);
            Assert.Null(read.Members);
            Assert.Equal(GroupBson.ToBytes(group, omitted: "members"), GroupBson.ToBytes(read));
        }

        // a codec without a generated reader maps LiteDB's document, and gives the same
        var plain = new FastScim.Storage.LiteDb.ResourceCodec<User>("users", UserBson.ToDocument, UserBson.FromDocument, UserBson.Indexes, static u => u.Copy());
        var some = random.User();
        Assert.Equal(UserBson.ToBytes(some), UserBson.ToBytes(plain.FromBytes(UserBson.ToBytes(some))));
    }

    private static void AssertSameUser(byte[] bytes, string what) =>
        AssertSame(bytes, b => UserBson.ToBytes(UserBson.FromDocument(BsonSerializer.Deserialize(b, utcDate: true))), b => UserBson.ToBytes(UserBson.FromBytes(b)), what);

    private static void AssertSameGroup(byte[] bytes, string what) =>
        AssertSame(bytes, b => GroupBson.ToBytes(GroupBson.FromDocument(BsonSerializer.Deserialize(b, utcDate: true))), b => GroupBson.ToBytes(GroupBson.FromBytes(b)), what);

    private static void AssertSame(byte[] bytes, Func<byte[], byte[]> throughDocument, Func<byte[], byte[]> direct, string what)
    {
        var (expected, expectedError) = Outcome(throughDocument, bytes);
        var (actual, actualError) = Outcome(direct, bytes);
        var document = expectedError != typeof(DecoderFallbackException) ? Describe(bytes) : "(unreadable)";
        Assert.True(expectedError == actualError, what + ": LiteDB's way " + (expectedError?.Name ?? "returned") + ", FromBytes " + (actualError?.Name ?? "returned") + "\n" + document);
        if (expected is not null && !expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Fail(what + ": read differently\nthrough BsonDocument: " + Describe(expected) + "\n           FromBytes: " + Describe(actual!) + "\n stored: " + document);
        }
    }

    private static (byte[]? Bytes, Type? Error) Outcome(Func<byte[], byte[]> read, byte[] bytes)
    {
        try
        {
            return (read(bytes), null);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or FormatException or DecoderFallbackException or InvalidCastException)
        {
            return (null, ex.GetType());
        }
    }

    private static string Describe(byte[] bytes)
    {
        var text = JsonSerializer.Serialize(BsonSerializer.Deserialize(bytes));
        return text.Length <= 3000 ? text : text[..3000] + "…";
    }
}
