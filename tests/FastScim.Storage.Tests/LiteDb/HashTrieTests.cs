using System.Runtime.CompilerServices;
using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The model's persistent hash map: a builder holds what a dictionary given the same edits holds,
/// every trie it handed out keeps what it held then (whatever the builder or other builders do
/// afterwards), equal hashes and long shared hash prefixes work, and removal keeps the trie as
/// small as one built afresh from the keys left.
/// </summary>
public sealed class HashTrieTests
{
    /// <summary>Hashings from the real comparers to degenerate ones that force collision nodes and deep paths.</summary>
    public static TheoryData<string> Hashings() =>
        ["Ordinal", "OrdinalIgnoreCase", "Stable", "FewValues", "HighBitsOnly", "TopBitsOnly", "Constant"];

    [Theory]
    [MemberData(nameof(Hashings))]
    public void Random_edits_match_a_dictionary_and_every_trie_handed_out_keeps_its_state(string hashing)
    {
        IEqualityComparer<string> comparer = Comparer(hashing);
        bool degenerate = hashing is "FewValues" or "TopBitsOnly" or "Constant"; // long collision nodes: fewer keys
        for (int seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed * 7919 + hashing.Length);
            int poolSize = Math.Min(new[] { 1, 8, 64, 500, 2_000 }[seed % 5], degenerate ? 150 : int.MaxValue);
            string[] pool = Pool(poolSize, seed);
            var expected = new Dictionary<string, int>(comparer);
            var builder = HashTrie<int>.Create(comparer).ToBuilder();
            var handedOut = new List<(HashTrie<int> Trie, Dictionary<string, int> State)>();

            for (int op = 0; op < 5_000; op++)
            {
                // Alternate growing and shrinking phases, so that tries fill up and drain (to empty for small pools).
                int setPercent = op / 500 % 2 == 0 ? 60 : 20;
                string key = Spell(pool[random.Next(pool.Length)], random, hashing);
                int pick = random.Next(100);
                if (pick < setPercent && op % 2 == 0)
                {
                    builder[key] = op;
                    expected[key] = op;
                }
                else if (pick < setPercent)
                {
                    // The same set through the reference: it says whether the key was there, and holds its value.
                    ref int value = ref builder.GetValueRefOrAddDefault(key, out bool exists);
                    Assert.Equal(expected.TryGetValue(key, out int before), exists);
                    Assert.Equal(exists ? before : 0, value);
                    value = op;
                    expected[key] = op;
                }
                else if (pick < 75)
                {
                    Assert.Equal(expected.Remove(key), builder.Remove(key));
                }
                else if (pick < 98)
                {
                    bool has = expected.TryGetValue(key, out int value);
                    Assert.Equal(has, builder.TryGetValue(key, out int actual));
                    Assert.Equal(has, builder.ContainsKey(key));
                    Assert.Equal(value, actual);
                    if (has)
                    {
                        Assert.Equal(value, builder[key]);
                    }
                }
                else if (pick == 98)
                {
                    HashTrie<int> trie = builder.ToImmutable();
                    var state = new Dictionary<string, int>(expected, comparer);
                    AssertHolds(state, trie, pool);
                    Assert.Equal(Afresh(state, comparer).CountNodes(), trie.CountNodes());
                    handedOut.Add((trie, state));
                }
                else if (handedOut.Count > 0)
                {
                    // Branch: go on from an older trie, which other edits already went on from.
                    var (trie, state) = handedOut[random.Next(handedOut.Count)];
                    builder = trie.ToBuilder();
                    expected = new Dictionary<string, int>(state, comparer);
                }

                Assert.Equal(expected.Count, builder.Count);
            }

            AssertHolds(expected, builder.ToImmutable(), pool);
            foreach (var (trie, state) in handedOut)
            {
                AssertHolds(state, trie, pool);
            }
        }
    }

    [Theory]
    [InlineData("Constant")]
    [InlineData("TopBitsOnly")]
    [InlineData("FewValues")]
    public void Keys_with_equal_hashes_are_removed_down_to_empty_and_added_again(string hashing)
    {
        IEqualityComparer<string> comparer = Comparer(hashing);
        string[] keys = Pool(60, 60);
        var builder = HashTrie<string>.Create(comparer).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = "v-" + key;
        }

        HashTrie<string> full = builder.ToImmutable();
        var random = new Random(1931);
        string[] order = [.. keys.OrderBy(_ => random.Next())];
        for (int i = 0; i < order.Length; i++)
        {
            Assert.True(builder.Remove(order[i]));
            Assert.False(builder.Remove(order[i]));
            Assert.Equal(order.Length - i - 1, builder.Count);
            Assert.False(builder.ContainsKey(order[i]));
            foreach (string left in order.AsSpan(i + 1))
            {
                Assert.True(builder.TryGetValue(left, out string? value));
                Assert.Equal("v-" + left, value);
            }
        }

        HashTrie<string> empty = builder.ToImmutable();
        Assert.Equal(0, empty.Count);
        Assert.Equal(1, empty.CountNodes());
        Assert.All(keys, key => Assert.False(empty.ContainsKey(key)));

        foreach (string key in order)
        {
            builder[key] = "again-" + key;
        }

        HashTrie<string> again = builder.ToImmutable();
        Assert.Equal(keys.Length, again.Count);
        Assert.Equal(full.CountNodes(), again.CountNodes());
        Assert.All(keys, key => Assert.Equal("again-" + key, again.TryGetValue(key, out string? value) ? value : null));
        Assert.All(keys, key => Assert.Equal("v-" + key, full.TryGetValue(key, out string? value) ? value : null));
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void A_collision_node_splits_for_another_hash_in_its_slot_and_collapses_when_it_leaves()
    {
        // a and b collide fully; c shares their first 5 bits (slot 1 at the root), not the next 5.
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 0x01, ["b"] = 0x01, ["c"] = 0x21 };
        var comparer = new Hashing(key => hashes[key]);
        var builder = HashTrie<int>.Create(comparer).ToBuilder();
        builder["a"] = 1;
        builder["b"] = 2;
        Assert.Equal(2, builder.ToImmutable().CountNodes()); // root → collision node {a, b}

        builder["c"] = 3;
        HashTrie<int> three = builder.ToImmutable();
        Assert.Equal(3, three.CountNodes()); // root → node {collision node, c}
        Assert.Equal((true, 1), (three.TryGetValue("a", out int a), a));
        Assert.Equal((true, 2), (three.TryGetValue("b", out int b), b));
        Assert.Equal((true, 3), (three.TryGetValue("c", out int c), c));

        Assert.True(builder.Remove("c"));
        Assert.Equal(2, builder.ToImmutable().CountNodes()); // the collision node is back under the root

        Assert.True(builder.Remove("a"));
        HashTrie<int> one = builder.ToImmutable();
        Assert.Equal(1, one.CountNodes()); // b is a leaf of the root
        Assert.Equal((true, 2), (one.TryGetValue("b", out int left), left));
        Assert.False(one.ContainsKey("a"));
        Assert.Equal(3, three.Count);
        Assert.Equal(3, three.CountNodes());
    }

    [Fact]
    public void Case_variants_are_one_key_under_OrdinalIgnoreCase()
    {
        var builder = HashTrie<int>.Create(StringComparer.OrdinalIgnoreCase).ToBuilder();
        builder["Alice"] = 1;
        builder["ALICE"] = 2;

        Assert.Equal(1, builder.Count);
        Assert.Equal(2, builder["alice"]);
        HashTrie<int> trie = builder.ToImmutable();
        Assert.Same(StringComparer.OrdinalIgnoreCase, trie.KeyComparer);
        Assert.True(trie.TryGetValue("aLiCe", out int value));
        Assert.Equal(2, value);
        Assert.True(builder.Remove("alice"));
        Assert.Equal(0, builder.Count);
        Assert.False(builder.ContainsKey("Alice"));
        Assert.True(trie.ContainsKey("ALICE"));

        var ordinal = HashTrie<int>.Create(StringComparer.Ordinal).ToBuilder();
        ordinal["Alice"] = 1;
        ordinal["ALICE"] = 2;
        Assert.Equal(2, ordinal.Count);
        Assert.False(ordinal.ContainsKey("alice"));
    }

    [Fact]
    public void Edits_after_ToImmutable_leave_the_returned_trie_as_it_was()
    {
        string[] keys = Pool(1_000, 7);
        var builder = HashTrie<string>.Create(StringComparer.Ordinal).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = "first";
        }

        HashTrie<string> first = builder.ToImmutable();

        // The builder owned every node of `first` until ToImmutable: now each edit must copy.
        for (int i = 0; i < keys.Length; i++)
        {
            if (i % 2 == 0)
            {
                builder[keys[i]] = "second";
            }
            else
            {
                builder.Remove(keys[i]);
            }
        }

        builder["new"] = "second";
        HashTrie<string> second = builder.ToImmutable();
        builder["newer"] = "third";
        builder.Remove(keys[0]);

        Assert.Equal(keys.Length, first.Count);
        Assert.All(keys, key => Assert.Equal("first", first.TryGetValue(key, out string? value) ? value : null));
        Assert.False(first.ContainsKey("new"));
        Assert.Equal(keys.Length / 2 + 1, second.Count);
        Assert.Equal("second", second.TryGetValue(keys[0], out string? zero) ? zero : null);
        Assert.False(second.ContainsKey(keys[1]));
        Assert.False(second.ContainsKey("newer"));
        Assert.Equal(keys.Length / 2 + 1, builder.Count);
    }

    [Fact]
    public void Two_builders_from_one_trie_do_not_affect_each_other()
    {
        string[] keys = Pool(500, 11);
        var seed = HashTrie<int>.Create(StringComparer.Ordinal).ToBuilder();
        foreach (string key in keys)
        {
            seed[key] = 0;
        }

        HashTrie<int> common = seed.ToImmutable();
        var one = common.ToBuilder();
        var two = common.ToBuilder();
        foreach (string key in keys)
        {
            one[key] = 1;
            two.Remove(key);
            two[key + "-two"] = 2;
        }

        HashTrie<int> oneTrie = one.ToImmutable();
        HashTrie<int> twoTrie = two.ToImmutable();
        Assert.Equal(keys.Length, common.Count);
        Assert.Equal(keys.Length, oneTrie.Count);
        Assert.Equal(keys.Length, twoTrie.Count);
        foreach (string key in keys)
        {
            Assert.Equal((true, 0), (common.TryGetValue(key, out int c), c));
            Assert.Equal((true, 1), (oneTrie.TryGetValue(key, out int o), o));
            Assert.False(twoTrie.ContainsKey(key));
            Assert.Equal((true, 2), (twoTrie.TryGetValue(key + "-two", out int t), t));
            Assert.False(oneTrie.ContainsKey(key + "-two"));
            Assert.False(common.ContainsKey(key + "-two"));
        }
    }

    [Fact]
    public void Removing_every_key_leaves_an_empty_trie()
    {
        string[] keys = [.. Enumerable.Range(0, 5_000).Select(i => new Guid(i, 0, 0, new byte[8]).ToString())];
        var builder = HashTrie<string>.Create(StringComparer.Ordinal).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = key;
        }

        HashTrie<string> full = builder.ToImmutable();
        var random = new Random(7644);
        foreach (string key in keys.OrderBy(_ => random.Next()))
        {
            Assert.True(builder.Remove(key));
        }

        Assert.Equal(0, builder.Count);
        HashTrie<string> empty = builder.ToImmutable();
        Assert.Equal(0, empty.Count);
        Assert.Equal(HashTrie<string>.Create(StringComparer.Ordinal).CountNodes(), empty.CountNodes());
        Assert.All(keys, key => Assert.False(empty.TryGetValue(key, out _)));
        Assert.All(keys, key => Assert.False(builder.Remove(key)));
        Assert.Equal(keys.Length, full.Count);
        Assert.All(keys, key => Assert.True(full.ContainsKey(key)));

        builder["again"] = "yes";
        Assert.Equal(1, builder.Count);
        Assert.Equal("yes", builder["again"]);
    }

    [Fact]
    public void A_builder_without_edits_hands_back_the_same_trie()
    {
        var builder = HashTrie<int>.Create(StringComparer.Ordinal).ToBuilder();
        builder["a"] = 1;
        HashTrie<int> trie = builder.ToImmutable();

        Assert.Same(trie, builder.ToImmutable());
        Assert.Same(trie, trie.ToBuilder().ToImmutable());
        Assert.False(builder.Remove("missing"));
        Assert.Same(trie, builder.ToImmutable());
    }

    [Fact]
    public void Missing_and_null_keys_throw()
    {
        var builder = HashTrie<int>.Create(StringComparer.Ordinal).ToBuilder();
        HashTrie<int> trie = builder.ToImmutable();

        Assert.Throws<KeyNotFoundException>(() => builder["missing"]);
        Assert.Throws<ArgumentNullException>(() => HashTrie<int>.Create(null!));
        Assert.Throws<ArgumentNullException>(() => trie.TryGetValue(null!, out _));
        Assert.Throws<ArgumentNullException>(() => trie.ContainsKey(null!));
        Assert.Throws<ArgumentNullException>(() => builder[null!] = 1);
        Assert.Throws<ArgumentNullException>(() => builder.Remove(null!));
        Assert.Equal(0, builder.Count);
    }

    [Theory]
    [InlineData("Ordinal")]
    [InlineData("Constant")]
    public void A_reference_into_nodes_the_builder_owns_copies_nothing_and_a_trie_handed_out_keeps_its_values(string hashing)
    {
        string[] keys = Pool(hashing == "Constant" ? 50 : 5_000, 5);
        var builder = HashTrie<string>.Create(Comparer(hashing)).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = "first-" + key;
        }

        HashTrie<string> first = builder.ToImmutable();
        foreach (string key in keys)
        {
            ref string value = ref builder.GetValueRefOrAddDefault(key, out bool exists);
            Assert.True(exists);
            value = "second-" + key; // the first walk copies the path: first keeps its values
        }

        int held = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (string key in keys)
        {
            builder.GetValueRefOrAddDefault(key, out bool exists);
            held += exists ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before); // every node on the paths is the builder's own now
        Assert.Equal(keys.Length, held);
        HashTrie<string> second = builder.ToImmutable();
        Assert.Equal(keys.Length, second.Count);
        Assert.All(keys, key => Assert.Equal("first-" + key, first.TryGetValue(key, out string? value) ? value : null));
        Assert.All(keys, key => Assert.Equal("second-" + key, second.TryGetValue(key, out string? value) ? value : null));
        Assert.Equal(first.CountNodes(), second.CountNodes());
    }

    [Theory]
    [InlineData("Ordinal")]
    [InlineData("Constant")]
    public void Lookups_do_not_allocate(string hashing)
    {
        string[] keys = Pool(hashing == "Constant" ? 50 : 10_000, 3);
        var builder = HashTrie<string>.Create(Comparer(hashing)).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = key;
        }

        HashTrie<string> trie = builder.ToImmutable();
        string[] missing = [.. keys.Select(key => key + "-missing")];
        int found = Lookups(trie, keys, missing); // warm up

        // The least of three passes: the runtime's own work (tiering the loop up as it runs) can
        // allocate on this thread once; a lookup that allocates does so in every pass.
        long allocated = long.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            found += Lookups(trie, keys, missing);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(4 * keys.Length, found);

        static int Lookups(HashTrie<string> trie, string[] keys, string[] missing)
        {
            int found = 0;
            for (int i = 0; i < keys.Length; i++)
            {
                found += trie.TryGetValue(keys[i], out _) && trie.ContainsKey(keys[i]) && !trie.TryGetValue(missing[i], out _) ? 1 : 0;
            }

            return found;
        }
    }

    [Theory]
    [MemberData(nameof(Hashings))]
    public void Many_inserts_and_removals_in_one_builder_match_a_dictionary(string hashing)
    {
        // No ToImmutable in between: the builder owns every node, so its arrays fill their spare room, grow, and shrink in place.
        IEqualityComparer<string> comparer = Comparer(hashing);
        string[] keys = Pool(hashing is "FewValues" or "TopBitsOnly" or "Constant" ? 300 : 5_000, 17);
        var expected = new Dictionary<string, int>(comparer);
        var builder = HashTrie<int>.Create(comparer).ToBuilder();
        for (int i = 0; i < keys.Length; i++)
        {
            builder[keys[i]] = i;
            expected[keys[i]] = i;
            if (i % 97 == 0)
            {
                AssertHolds(expected, builder, keys);
            }
        }

        AssertHolds(expected, builder, keys);
        var random = new Random(4211);
        string[] order = [.. keys.OrderBy(_ => random.Next())];
        for (int i = 0; i < order.Length; i++)
        {
            // Remove three keys in four, putting every other one back at once: removals and inserts in the same nodes.
            Assert.Equal(expected.Remove(order[i]), builder.Remove(order[i]));
            if (i % 8 == 0)
            {
                builder[order[i]] = -i;
                expected[order[i]] = -i;
            }

            if (i % 97 == 0)
            {
                AssertHolds(expected, builder, keys);
            }
        }

        HashTrie<int> trie = builder.ToImmutable();
        AssertHolds(expected, trie, keys);
        Assert.Equal(Afresh(expected, comparer).CountNodes(), trie.CountNodes());

        foreach (string key in keys)
        {
            builder[key] = 1;
        }

        AssertHolds(keys.ToDictionary(key => key, _ => 1, comparer), builder.ToImmutable(), keys);
        Assert.Equal(Afresh(keys.ToDictionary(key => key, _ => 1, comparer), comparer).CountNodes(), builder.ToImmutable().CountNodes());
        AssertHolds(expected, trie, keys);
    }

    [Fact]
    public void A_trie_handed_out_is_unchanged_when_its_builder_edits_nodes_with_spare_room()
    {
        // Root slots 2, 6, 10, 14 and 18: the builder grows the root's leaf array to 8 for 5 keys, leaving room in it.
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["s2"] = 2, ["s6"] = 6, ["s10"] = 10, ["s14"] = 14, ["s18"] = 18,
            ["s1"] = 1, ["s4"] = 4, ["s12"] = 12, ["s20"] = 20, ["s22"] = 22, ["s38"] = 38, // s38 splits slot 6
        };
        var comparer = new Hashing(key => hashes[key]);
        string[] first = ["s2", "s6", "s10", "s14", "s18"];
        var builder = HashTrie<string>.Create(comparer).ToBuilder();
        foreach (string key in first)
        {
            builder[key] = "first";
        }

        HashTrie<string> published = builder.ToImmutable();
        var other = published.ToBuilder();

        // Inserts before, between and after the leaves, into the slot after the last one, and a leaf pushed down a level.
        builder["s1"] = "second";
        builder["s12"] = "second";
        other["s20"] = "other";
        builder["s4"] = "second";
        other["s4"] = "other";
        builder["s38"] = "second";
        builder["s22"] = "second";
        builder.Remove("s2");
        other.Remove("s18");
        HashTrie<string> second = builder.ToImmutable();
        HashTrie<string> otherTrie = other.ToImmutable();

        string[] all = [.. hashes.Keys];
        AssertHolds(first.ToDictionary(key => key, _ => "first"), published, all);
        Assert.Equal(1, published.CountNodes());
        AssertHolds(
            new Dictionary<string, string>
            {
                ["s1"] = "second", ["s4"] = "second", ["s6"] = "first", ["s10"] = "first", ["s12"] = "second", ["s14"] = "first",
                ["s18"] = "first", ["s22"] = "second", ["s38"] = "second",
            },
            second,
            all);
        AssertHolds(
            new Dictionary<string, string> { ["s2"] = "first", ["s4"] = "other", ["s6"] = "first", ["s10"] = "first", ["s14"] = "first", ["s20"] = "other" },
            otherTrie,
            all);
    }

    [Fact]
    public void A_collision_node_handed_out_is_unchanged_when_its_builder_edits_it()
    {
        var comparer = new Hashing(_ => 42);
        string[] keys = Pool(5, 5); // a collision node of 5 keys, its array grown to 8
        var builder = HashTrie<string>.Create(comparer).ToBuilder();
        foreach (string key in keys)
        {
            builder[key] = "first";
        }

        HashTrie<string> published = builder.ToImmutable();
        var other = published.ToBuilder();

        // Both builders first add a key where the node handed out has room, then remove one from the node they copied.
        builder["added"] = "second";
        other["other"] = "other";
        builder.Remove(keys[0]);
        builder[keys[3]] = "second";
        other.Remove(keys[4]);

        string[] all = [.. keys, "added", "other"];
        AssertHolds(keys.ToDictionary(key => key, _ => "first"), published, all);
        var second = keys[1..].ToDictionary(key => key, _ => "first");
        second[keys[3]] = "second";
        second["added"] = "second";
        AssertHolds(second, builder.ToImmutable(), all);
        var third = keys[..4].ToDictionary(key => key, _ => "first");
        third["other"] = "other";
        AssertHolds(third, other.ToImmutable(), all);
    }

    [Fact]
    public void A_collision_node_grows_and_shrinks_in_one_builder()
    {
        var comparer = new Hashing(_ => 42);
        string[] keys = Pool(200, 23);
        var expected = new Dictionary<string, int>(comparer);
        var builder = HashTrie<int>.Create(comparer).ToBuilder();
        for (int i = 0; i < keys.Length; i++)
        {
            builder[keys[i]] = i;
            expected[keys[i]] = i;
            AssertHolds(expected, builder, keys);
        }

        Assert.Equal(2, builder.ToImmutable().CountNodes()); // root → one collision node
        var random = new Random(59);
        foreach (string key in keys.OrderBy(_ => random.Next()))
        {
            Assert.True(builder.Remove(key));
            expected.Remove(key);
            AssertHolds(expected, builder, keys);
        }

        Assert.Equal(1, builder.ToImmutable().CountNodes());
    }

    [Fact]
    public void Removed_values_are_not_kept_alive_by_the_spare_room_of_a_builder_s_arrays()
    {
        // a, b and g collide fully (a collision node in root slot 1), d and e are root leaves, p and q share root slot 5
        // (a child). Each removal frees the last used slot of an array the builder owns: g's of the collision node, e's of the
        // root's leaves, q's child's of the root's children (p is lifted into the root: removing it then must free it too).
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["a"] = 0x01, ["b"] = 0x01, ["g"] = 0x01, ["d"] = 2, ["e"] = 3, ["p"] = 0x05, ["q"] = 0x25,
        };
        var comparer = new Hashing(key => hashes[key]);
        var builder = HashTrie<object>.Create(comparer).ToBuilder();
        string[] keys = ["a", "b", "g", "d", "e", "p", "q"];
        WeakReference[] values = [.. keys.Select(key => SetNew(builder, key))];

        foreach (string key in new[] { "g", "e", "q", "p" })
        {
            Assert.True(builder.Remove(key));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(["a", "b", "d"], keys.Where((_, i) => values[i].IsAlive));
        Assert.Equal(3, builder.Count);
        Assert.Equal(2, builder.ToImmutable().CountNodes()); // root → collision node {a, b}

        [MethodImpl(MethodImplOptions.NoInlining)]
        static WeakReference SetNew(HashTrie<object>.Builder builder, string key)
        {
            object value = new();
            builder[key] = value;
            return new WeakReference(value);
        }
    }

    [Fact]
    public void A_builder_reuses_its_arrays_when_adding_keys_one_at_a_time()
    {
        string[] keys = [.. Enumerable.Range(0, 20_000).Select(i => new Guid(i * 7919, (short)i, 0, new byte[8]).ToString())];
        Build(keys[..100]); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        HashTrie<string> trie = Build(keys);
        long perKey = (GC.GetAllocatedBytesForCurrentThread() - before) / keys.Length;

        Assert.Equal(keys.Length, trie.Count);
        Assert.InRange(perKey, 0, BytesPerKeyAtMost);

        static HashTrie<string> Build(string[] keys)
        {
            var builder = HashTrie<string>.Create(StringComparer.Ordinal).ToBuilder();
            foreach (string key in keys)
            {
                builder[key] = key;
            }

            return builder.ToImmutable();
        }
    }

    private static void AssertHolds<TValue>(Dictionary<string, TValue> expected, HashTrie<TValue> trie, string[] pool)
    {
        Assert.Equal(expected.Count, trie.Count);
        foreach (string key in pool)
        {
            bool has = expected.TryGetValue(key, out TValue? value);
            if (trie.TryGetValue(key, out TValue? actual) != has || trie.ContainsKey(key) != has || !EqualityComparer<TValue>.Default.Equals(value, actual))
            {
                Assert.Fail($"'{key}': expected {(has ? $"{value}" : "absent")}, found {(trie.ContainsKey(key) ? $"{actual}" : "absent")}.");
            }
        }
    }

    private static void AssertHolds<TValue>(Dictionary<string, TValue> expected, HashTrie<TValue>.Builder builder, string[] pool)
    {
        Assert.Equal(expected.Count, builder.Count);
        foreach (string key in pool)
        {
            bool has = expected.TryGetValue(key, out TValue? value);
            if (builder.TryGetValue(key, out TValue? actual) != has || builder.ContainsKey(key) != has || !EqualityComparer<TValue>.Default.Equals(value, actual))
            {
                Assert.Fail($"'{key}': expected {(has ? $"{value}" : "absent")}, found {(builder.ContainsKey(key) ? $"{actual}" : "absent")}.");
            }
        }
    }

    private static HashTrie<TValue> Afresh<TValue>(Dictionary<string, TValue> state, IEqualityComparer<string> comparer)
    {
        var builder = HashTrie<TValue>.Create(comparer).ToBuilder();
        foreach (var (key, value) in state)
        {
            builder[key] = value;
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// A bound on what building a trie one key at a time through one builder allocates per key (about 50 bytes with
    /// arrays reused, about 250 with an exact-size array per insert): nodes and amortized growth, not array copies.
    /// </summary>
    private const long BytesPerKeyAtMost = 120;

    private static string[] Pool(int size, int seed) =>
        [.. Enumerable.Range(0, size).Select(i => $"user-{seed}-{i}@example.com")];

    /// <summary>Under OrdinalIgnoreCase, a key comes in several spellings.</summary>
    private static string Spell(string key, Random random, string hashing) =>
        hashing == "OrdinalIgnoreCase" && random.Next(2) == 0 ? key.ToUpperInvariant() : key;

    private static IEqualityComparer<string> Comparer(string hashing) => hashing switch
    {
        "Ordinal" => StringComparer.Ordinal,
        "OrdinalIgnoreCase" => StringComparer.OrdinalIgnoreCase,
        "Stable" => new Hashing(Fnv1a), // the same trie shapes on every run
        "FewValues" => new Hashing(key => (int)((uint)Fnv1a(key) % 7)), // 7 hashes, told apart at the root
        "HighBitsOnly" => new Hashing(key => Fnv1a(key) & unchecked((int)0xFFF0_0000)), // 4 levels in common, then apart
        "TopBitsOnly" => new Hashing(key => Fnv1a(key) & unchecked((int)0xC000_0000)), // 4 hashes, apart only at the 7th level
        "Constant" => new Hashing(_ => 42),
        _ => throw new ArgumentOutOfRangeException(nameof(hashing), hashing, null),
    };

    private static int Fnv1a(string key)
    {
        uint hash = 2_166_136_261;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 16_777_619;
        }

        return (int)hash;
    }

    /// <summary>Ordinal equality with a chosen hash.</summary>
    private sealed class Hashing(Func<string, int> hash) : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string obj) => hash(obj);
    }
}
