using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The model's id hashing (ResourceIdComparer): ids made together share the trie's first levels,
/// ids made over time spread over them as evenly as the ordinal hash does, and ids of any other
/// form hash ordinally.
/// </summary>
public sealed class ResourceIdComparerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ids_made_in_one_millisecond_share_the_first_two_levels_and_those_of_one_32_ms_window_the_first()
    {
        var comparer = ResourceIdComparer.Instance;
        for (int window = 0; window < 40; window++)
        {
            // A millisecond at every position of its 32 ms window, and a few ids in each.
            var at = Start.AddMilliseconds(window * 32 + window % 32);
            string[] together = [.. Enumerable.Range(0, 8).Select(_ => ResourceId.New(at))];
            int first = comparer.GetHashCode(together[0]);
            Assert.All(together, id => Assert.Equal(first & 1023, comparer.GetHashCode(id) & 1023));

            var sameWindow = Start.AddMilliseconds(window * 32 + (window + 7) % 32);
            Assert.Equal(first & 31, comparer.GetHashCode(ResourceId.New(sameWindow)) & 31);
        }

        // The rest of the hash still tells them apart (the ordinal hash's bits).
        string[] many = [.. Enumerable.Range(0, 64).Select(_ => ResourceId.New(Start))];
        Assert.True(many.Select(id => comparer.GetHashCode(id) >> 10).Distinct().Count() >= 60);
    }

    [Fact]
    public void Equal_ids_hash_alike_and_ids_compare_ordinally()
    {
        var comparer = ResourceIdComparer.Instance;
        string id = ResourceId.New(Start);
        string same = new(id.AsSpan());
        Assert.NotSame(id, same);
        Assert.True(comparer.Equals(id, same));
        Assert.Equal(comparer.GetHashCode(id), comparer.GetHashCode(same));
        Assert.False(comparer.Equals(id, id.ToUpperInvariant())); // RFC 7643 §3.1: an id is case-exact
    }

    [Theory]
    [InlineData("2819c223-7f76-453a-919d-413861904646")] // version 4 (RFC 7643's examples)
    [InlineData("019acd2e-1f2a-7b3c-8d4e-5f6a7b8c9d0")] // one short of a UUID
    [InlineData("019acd2e-1f2a-7b3c-8d4e-5f6a7b8c9d0ef")] // one too long
    [InlineData("019acd2e-1fxz-7b3c-8d4e-5f6a7b8c9d0e")] // not hexadecimal where the time ends
    [InlineData("bjensen")]
    [InlineData("")]
    public void An_id_of_another_form_hashes_ordinally(string id)
    {
        Assert.False(ResourceId.TryGetMilliseconds(id, out _));
        Assert.Equal(StringComparer.Ordinal.GetHashCode(id), ResourceIdComparer.Instance.GetHashCode(id));
    }

    /// <summary>
    /// 100,000 ids made over 20 seconds (five a millisecond) make a trie of as many nodes as the
    /// ordinal hash makes of them, and so do 1,000 made in one millisecond (a Bulk's worth), below
    /// the two levels they share: a hash of the time alone would pile them into collision nodes.
    /// </summary>
    [Fact]
    public void Ids_made_over_time_spread_over_the_trie_as_the_ordinal_hash_spreads_them()
    {
        string[] overTime = [.. Enumerable.Range(0, 100_000).Select(i => ResourceId.New(Start.AddMilliseconds(i / 5)))];
        int timed = Trie(overTime, ResourceIdComparer.Instance).CountNodes();
        int ordinal = Trie(overTime, StringComparer.Ordinal).CountNodes();
        Assert.InRange(timed, ordinal * 0.9, ordinal * 1.1);

        string[] atOnce = [.. Enumerable.Range(0, 1_000).Select(_ => ResourceId.New(Start))];
        int together = Trie(atOnce, ResourceIdComparer.Instance).CountNodes();
        int spread = Trie(atOnce, StringComparer.Ordinal).CountNodes();
        Assert.InRange(together, spread * 0.8, spread * 1.25); // two levels shared, then spread as ordinal
    }

    private static HashTrie<int> Trie(string[] ids, IEqualityComparer<string> comparer)
    {
        var builder = HashTrie<int>.Create(comparer).ToBuilder();
        foreach (string id in ids)
        {
            builder[id] = 1;
        }

        return builder.ToImmutable();
    }
}
