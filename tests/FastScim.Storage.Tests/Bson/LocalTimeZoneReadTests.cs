using FastScim.Core.Resources;
using FastScim.Storage.Bson;
using FastScim.Storage.Tests.TestSupport;
using FastScim.Tests.Shared;
using LiteDB;

namespace FastScim.Storage.Tests.Bson;

/// <summary>
/// LiteDB's default hands dates back in the machine's local time, rebuilt from its fields, which
/// forgets which of a repeated autumn hour a date was: a date stored in that hour read back an
/// hour off (half an hour on Lord Howe). The store reads dates in UTC (<c>utcDate: true</c>, and
/// <c>FromBytes</c> the same way), so a stored date is the same instant in any zone, not only the
/// UTC of the build machine. These tests change the process's local zone, so they run alone.
/// </summary>
[Collection(Collection)]
public sealed class LocalTimeZoneReadTests
{
    public const string Collection = "Local time zone";

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Australia/Lord_Howe")]
    public void Dates_read_as_through_a_BsonDocument_read_in_UTC_in_any_local_zone(string zone)
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

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Asia/Tokyo")]
    public void A_stored_date_reads_back_as_the_same_instant_in_any_local_zone(string zone)
    {
        using var _ = LocalZone(zone);
        DateTimeOffset[] dates =
        [
            new(2024, 11, 3, 5, 30, 0, TimeSpan.Zero), // New York's 01:30, the first of two
            new(2024, 11, 3, 6, 30, 0, TimeSpan.Zero), // New York's 01:30, the second
            new(2024, 4, 6, 14, 45, 0, TimeSpan.Zero), // Lord Howe's repeated half hour
            new(2024, 4, 6, 15, 15, 0, TimeSpan.Zero),
            new(2026, 11, 30, 1, 2, 3, 456, TimeSpan.Zero),
        ];
        foreach (var date in dates)
        {
            var bytes = UserBson.ToBytes(new User { Id = "u1", Meta = new ResourceMeta { Created = date, LastModified = date } });
            Assert.Equal(date, UserBson.FromBytes(bytes).Meta!.Created);
            Assert.Equal(date, UserBson.FromDocument(BsonSerializer.Deserialize(bytes, utcDate: true)).Meta!.LastModified);
        }
    }

    private static string Read(byte[] bytes, bool through) =>
        Convert.ToHexString(UserBson.ToBytes(through ? UserBson.FromDocument(BsonSerializer.Deserialize(bytes, utcDate: true)) : UserBson.FromBytes(bytes)));

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
