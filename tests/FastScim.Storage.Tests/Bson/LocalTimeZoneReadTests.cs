using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.Tests.TestSupport;
using FastScim.Tests.Shared;
using LiteDB;

namespace FastScim.Storage.Tests.Bson;

/// <summary>
/// LiteDB hands dates back in the machine's local time (and clamps them there at DateTime's
/// extremes; its truncation forgets which of an ambiguous autumn hour a date was), and
/// <c>FromDocument</c> turns them back into UTC: <c>FromBytes</c> must follow it in any zone, not
/// only the UTC of the build machine. These tests change the process's local zone, so they run alone.
/// </summary>
[Collection(Collection)]
public sealed class LocalTimeZoneReadTests
{
    public const string Collection = "Local time zone";

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Australia/Lord_Howe")]
    public void Dates_read_as_through_a_BsonDocument_in_any_local_zone(string zone)
    {
        using var _ = LocalZone(zone);
        Assert.Equal(zone, TimeZoneInfo.Local.Id);
        DateTimeOffset[] dates =
        [
            new(2024, 11, 3, 5, 30, 0, TimeSpan.Zero), // New York's repeated 01:30
            new(2024, 4, 6, 15, 15, 0, TimeSpan.Zero), // Lord Howe's repeated half hour
            DateTimeOffset.MaxValue.AddMilliseconds(-1),
            DateTimeOffset.MinValue.AddMilliseconds(1),
            DateTimeOffset.MaxValue,
            DateTimeOffset.MinValue,
        ];
        foreach (var date in dates)
        {
            var bytes = UserBson.ToBytes(new User { Id = "u1", Meta = new ResourceMeta { Created = date, LastModified = date } });
            Assert.Equal(Read(bytes, through: true), Read(bytes, through: false));
        }

        var random = new RandomResources(7660);
        var mutations = new MutatedBson(7661);
        for (var i = 0; i < 200; i++)
        {
            var user = random.User();
            var bytes = UserBson.ToBytes(user);
            Assert.Equal(Read(bytes, through: true), Read(bytes, through: false));
            var mutated = mutations.Mutate(UserBson.ToDocument(user));
            Assert.Equal(Outcome(mutated, through: true), Outcome(mutated, through: false));
        }
    }

    private static string Read(byte[] bytes, bool through) =>
        Convert.ToHexString(UserBson.ToBytes(through ? UserBson.FromDocument(BsonSerializer.Deserialize(bytes)) : UserBson.FromBytes(bytes)));

    private static string Outcome(byte[] bytes, bool through)
    {
        try
        {
            return Read(bytes, through);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException)
        {
            return ex.GetType().Name;
        }
    }

    // TZ names the local zone on Linux and macOS; TimeZoneInfo reads it again once its cache is cleared
    private static Restore LocalZone(string zone)
    {
        var before = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", zone);
        TimeZoneInfo.ClearCachedData();
        return new Restore(before);
    }

    private sealed class Restore(string? before) : IDisposable
    {
        public void Dispose()
        {
            Environment.SetEnvironmentVariable("TZ", before);
            TimeZoneInfo.ClearCachedData();
        }
    }
}

[CollectionDefinition(LocalTimeZoneReadTests.Collection, DisableParallelization = true)]
public sealed class LocalTimeZoneAlone;
