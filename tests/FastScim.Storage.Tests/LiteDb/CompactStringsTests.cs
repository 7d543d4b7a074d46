using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>A few strings in one reference (the ids under a key, a resource's keys in an index): read alike whatever their form.</summary>
public sealed class CompactStringsTests
{
    [Fact]
    public void None_and_one_read_as_lists_of_zero_and_one()
    {
        CompactStrings none = default;
        Assert.Empty(none);
        Assert.Null(none.First);
        Assert.Equal(-1, none.IndexOf("u1"));
        Assert.False(none.Contains("u1", StringComparer.OrdinalIgnoreCase));
        Assert.True(none.SequenceEqual(CompactStrings.Of([])));

        var one = CompactStrings.Of("u1");
        Assert.True(one.Count == 1);
        Assert.Equal("u1", one[0]);
        Assert.Equal("u1", one.First);
        Assert.Equal(["u1"], [.. one]);
        Assert.Equal(-1, one.IndexOf("U1"));
        Assert.True(one.Contains("U1", StringComparer.OrdinalIgnoreCase));
        Assert.Empty(one.Without(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => one[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Without(1));
        Assert.True(one.SequenceEqual(CompactStrings.Of(["u1"])));
        Assert.False(one.SequenceEqual(CompactStrings.Of(["u1", "u2"])));
    }

    [Fact]
    public void Strings_added_and_taken_out_in_any_order_read_as_a_list_kept_beside_them()
    {
        // A property over random edits: the compact value against a plain list of the same strings.
        var random = new Random(4021);
        for (int run = 0; run < 200; run++)
        {
            CompactStrings compact = default;
            var expected = new List<string>();
            for (int step = 0; step < 40; step++)
            {
                string value = "u" + random.Next(8);
                if (expected.Count == 0 || (random.Next(3) > 0 && !compact.Contains(value)))
                {
                    compact = compact.With(value);
                    expected.Add(value);
                }
                else
                {
                    int at = random.Next(expected.Count);
                    Assert.Equal(at, compact.IndexOf(expected[at]));
                    compact = compact.Without(at);
                    expected.RemoveAt(at);
                }

                Assert.Equal(expected, [.. compact]);
                Assert.Equal(expected.Count, compact.Count);
                Assert.Equal(expected.FirstOrDefault(), compact.First);
                for (int i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], compact[i]);
                    Assert.True(compact.Contains(expected[i]));
                    Assert.True(compact.Contains(expected[i].ToUpperInvariant(), StringComparer.OrdinalIgnoreCase));
                }

                // The same strings made at once compare equal; another order or one more does not.
                Assert.True(compact.SequenceEqual(CompactStrings.Of([.. expected])));
                Assert.False(compact.SequenceEqual(compact.With("absent")));
                if (expected.Count > 1)
                {
                    Assert.False(compact.SequenceEqual(CompactStrings.Of([.. Enumerable.Reverse(expected)])));
                }

                Assert.False(compact.Contains("absent"));
                Assert.Equal(-1, compact.IndexOf("absent"));
            }
        }
    }

    [Fact]
    public void A_value_read_before_an_edit_is_not_changed_by_it()
    {
        // Readers may hold the value the index kept before the writer replaced it.
        var before = CompactStrings.Of("a").With("b").With("c");

        _ = before.With("d");
        _ = before.Without(1);

        Assert.Equal(["a", "b", "c"], [.. before]);
    }
}
