using BenchmarkDotNet.Attributes;
using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using LiteDB;

namespace FastScim.Benchmarks.Storage;

/// <summary>
/// A user's stored bytes: through a LiteDB <see cref="BsonDocument"/> and <see cref="BsonSerializer"/>
/// (what the store did until 4ac3cb6) against the generated <c>UserBson.ToBytes</c> that writes the same
/// bytes directly. The user is the RFC 7643 §8.2 one: ~1 KB of BSON with name, two emails, an
/// address, two phone numbers, the enterprise extension and meta.
/// </summary>
[MemoryDiagnoser]
public class StoredBytesBenchmarks
{
    private User _user = null!;

    [GlobalSetup]
    public void Setup()
    {
        _user = UserJson.Read(UserData.FullUserJson());
        _user.Id = "2819c223-7f76-453a-919d-413861904646";
        _user.Meta = new ResourceMeta
        {
            ResourceType = "User",
            Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero),
            LastModified = new DateTimeOffset(2011, 5, 13, 4, 42, 34, TimeSpan.Zero),
            Version = "W/\"3694e05e9dff590\"",
        };

        // both benchmarks must do the same work: the same bytes
        if (!ThroughDocument().AsSpan().SequenceEqual(Direct()))
        {
            throw new InvalidOperationException("UserBson.ToBytes differs from BsonSerializer.Serialize(UserBson.ToDocument(user))");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] ThroughDocument() => BsonSerializer.Serialize(UserBson.ToDocument(_user));

    [Benchmark]
    public byte[] Direct() => UserBson.ToBytes(_user);
}
