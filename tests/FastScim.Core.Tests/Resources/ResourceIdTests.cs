using System.Globalization;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Resources;

/// <summary>The ids the server assigns: RFC 9562 version 7 UUIDs, time first, distinct, with every random bit random.</summary>
public sealed class ResourceIdTests
{
    [Fact]
    public void Ids_are_version_7_uuids_that_lead_with_their_millisecond_and_sort_by_it()
    {
        var start = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        string? previous = null;
        for (int i = 0; i < 2_000; i++)
        {
            DateTimeOffset at = start.AddMilliseconds(i);
            string id = ResourceId.NewVersion7(at).ToString("D");

            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.Equal(at.ToUnixTimeMilliseconds(), long.Parse(id[..8] + id[9..13], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(7, Guid.Parse(id).Version);
            if (previous is not null)
            {
                Assert.True(string.CompareOrdinal(previous, id) < 0, $"{previous} then {id}");
            }

            previous = id;
        }
    }

    [Fact]
    public void Ids_are_distinct_and_each_random_bit_is_set_about_half_the_time()
    {
        // Across several draws of the buffer (about 400 ids each) and from two threads.
        const int Count = 20_000;
        var ids = new string[Count];
        Parallel.For(0, 2, part =>
        {
            for (int i = part; i < Count; i += 2)
            {
                ids[i] = ResourceId.New(DateTimeOffset.UtcNow);
            }
        });

        Assert.Equal(Count, ids.Distinct(StringComparer.Ordinal).Count());
        var set = new int[128];
        foreach (string id in ids)
        {
            byte[] bytes = Guid.Parse(id).ToByteArray(bigEndian: true);
            for (int bit = 0; bit < 128; bit++)
            {
                set[bit] += (bytes[bit / 8] >> (7 - (bit % 8))) & 1;
            }
        }

        // The random bits: 52–63 (after the version) and 66–127 (after the variant).
        foreach (int bit in Enumerable.Range(52, 12).Concat(Enumerable.Range(66, 62)))
        {
            Assert.InRange(set[bit], Count * 45 / 100, Count * 55 / 100);
        }
    }

    [Fact]
    public void The_time_is_read_back_from_an_ids_first_twelve_hex_digits_and_from_no_other_form()
    {
        string id = ResourceId.New(DateTimeOffset.FromUnixTimeMilliseconds(0x0123_4567_89AB));
        Assert.True(ResourceId.TryGetMilliseconds(id, out long milliseconds));
        Assert.Equal(0x0123_4567_89AB, milliseconds);

        // The runtime's own version 7 UUIDs, in either case, read alike.
        string runtime = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_764_504_000_123)).ToString("D");
        Assert.True(ResourceId.TryGetMilliseconds(runtime.ToUpperInvariant(), out milliseconds));
        Assert.Equal(1_764_504_000_123, milliseconds);

        Assert.False(ResourceId.TryGetMilliseconds(Guid.NewGuid().ToString("D"), out _)); // version 4
        Assert.False(ResourceId.TryGetMilliseconds(id.Replace('-', '_'), out _));
        Assert.False(ResourceId.TryGetMilliseconds(id.AsSpan(0, 35), out _));
        Assert.False(ResourceId.TryGetMilliseconds("0123456g-89ab-7bcd-8ef0-123456789abc", out _));
    }
}
