using BenchmarkDotNet.Attributes;
using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using LiteDB;

namespace FastScim.Benchmarks.Storage;

/// <summary>
/// A user's stored bytes: through a LiteDB <see cref="BsonDocument"/> and <see cref="BsonSerializer"/>
/// (what the store does today) against the generated <c>UserBson.ToBytes</c> that writes the same
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
        _user = new User
        {
            Id = "2819c223-7f76-453a-919d-413861904646",
            ExternalId = "701984",
            UserName = "bjensen@example.com",
            Name = new Name { Formatted = "Ms. Barbara J Jensen, III", FamilyName = "Jensen", GivenName = "Barbara", MiddleName = "Jane", HonorificPrefix = "Ms.", HonorificSuffix = "III" },
            DisplayName = "Babs Jensen",
            NickName = "Babs",
            ProfileUrl = "https://login.example.com/bjensen",
            Emails = [new Email { Value = "bjensen@example.com", Type = "work", Primary = true }, new Email { Value = "babs@jensen.org", Type = "home" }],
            Addresses = [new Address { Type = "work", StreetAddress = "100 Universal City Plaza", Locality = "Hollywood", Region = "CA", PostalCode = "91608", Country = "USA", Formatted = "100 Universal City Plaza\nHollywood, CA 91608 USA", Primary = true }],
            PhoneNumbers = [new PhoneNumber { Value = "555-555-5555", Type = "work" }, new PhoneNumber { Value = "555-555-4444", Type = "mobile" }],
            UserType = "Employee",
            Title = "Tour Guide",
            PreferredLanguage = "en-US",
            Locale = "en-US",
            Timezone = "America/Los_Angeles",
            Active = true,
            EnterpriseUser = new EnterpriseUser
            {
                EmployeeNumber = "701984", CostCenter = "4130", Organization = "Universal Studios", Division = "Theme Park", Department = "Tour Operations",
                Manager = new Manager { Value = "26118915-6090-4610-87e4-49d8ca9f808d", DisplayName = "John Smith" },
            },
            Meta = new ResourceMeta
            {
                ResourceType = "User",
                Created = new DateTimeOffset(2010, 1, 23, 4, 56, 22, TimeSpan.Zero),
                LastModified = new DateTimeOffset(2011, 5, 13, 4, 42, 34, TimeSpan.Zero),
                Version = "W/\"3694e05e9dff590\"",
            },
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
