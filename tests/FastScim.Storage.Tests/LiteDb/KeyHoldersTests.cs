using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>The ids under one key, kept as the id alone or as an array: read alike either way.</summary>
public sealed class KeyHoldersTests
{
    [Fact]
    public void One_holder_is_kept_as_the_id_itself_and_reads_as_a_list_of_one()
    {
        var one = KeyHolders.Of("u1");

        Assert.True(one.Count == 1);
        Assert.Equal("u1", one[0]);
        Assert.Equal(["u1"], [.. one]);
        Assert.True(one.Contains("u1"));
        Assert.False(one.Contains("u2"));
        Assert.Equal(0, one.IndexOf("u1"));
        Assert.Equal(-1, one.IndexOf("U1"));
        Assert.Null(one.Without(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => one[1]);
        Assert.Equal(["u1", "u2"], Assert.IsType<string[]>(one.With("u2")));
    }

    [Fact]
    public void Holders_added_and_taken_out_in_any_order_read_as_a_list_kept_beside_them()
    {
        // A property over random edits: the kept value against a plain list of the same ids.
        var random = new Random(4021);
        for (int run = 0; run < 200; run++)
        {
            object? kept = null;
            var expected = new List<string>();
            for (int step = 0; step < 40; step++)
            {
                string id = "u" + random.Next(8);
                if (kept is null || (random.Next(3) > 0 && !KeyHolders.Of(kept).Contains(id)))
                {
                    kept = kept is null ? id : KeyHolders.Of(kept).With(id);
                    expected.Add(id);
                }
                else
                {
                    int at = random.Next(expected.Count);
                    Assert.Equal(at, KeyHolders.Of(kept).IndexOf(expected[at]));
                    kept = KeyHolders.Of(kept).Without(at);
                    expected.RemoveAt(at);
                }

                if (kept is null)
                {
                    Assert.Empty(expected);
                    continue;
                }

                var holders = KeyHolders.Of(kept);

                // One holder is the id itself, never an array of one; two or more are an array.
                Assert.Equal(expected.Count == 1, kept is string);
                Assert.Equal(expected, [.. holders]);
                Assert.Equal(expected.Count, holders.Count);
                for (int i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i], holders[i]);
                    Assert.True(holders.Contains(expected[i]));
                }

                Assert.False(holders.Contains("absent"));
                Assert.Equal(-1, holders.IndexOf("absent"));
            }
        }
    }

    [Fact]
    public void A_value_read_before_an_edit_is_not_changed_by_it()
    {
        // Readers may hold the value the index kept before the writer replaced it.
        object three = KeyHolders.Of(KeyHolders.Of("a").With("b")).With("c");
        var before = KeyHolders.Of(three);

        _ = before.With("d");
        _ = before.Without(1);

        Assert.Equal(["a", "b", "c"], [.. before]);
    }
}
