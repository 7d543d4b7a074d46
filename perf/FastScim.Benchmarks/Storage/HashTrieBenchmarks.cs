using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FastScim.Storage.LiteDb;

namespace FastScim.Benchmarks.Storage;

/// <summary>
/// The in-memory model's maps, <see cref="HashTrie{TValue}"/> against the
/// <see cref="ImmutableDictionary{TKey, TValue}"/> it replaces, as the tenant's writer uses them:
/// a batch of 16 writes (ToBuilder, 16 sets, ToImmutable) of new keys or of existing keys, a
/// reader's lookup of an existing key, and a whole map of N keys built one key at a time through
/// one builder (as a model is loaded). Keys are Guid strings (ids), compared ordinally.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HashTrieBenchmarks
{
    private const int BatchSize = 16;
    private const int Rounds = 1024; // batches (and lookups) cycle through this many different keys sets

    private static readonly Item Value = new(1);

    private ImmutableDictionary<string, Item> _dictionary = null!;
    private HashTrie<Item> _trie = null!;
    private string[] _existing = null!; // in random order
    private string[] _new = null!;
    private int _round;

    [Params(10_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2001);
        string[] keys = [.. Enumerable.Range(0, N + BatchSize * Rounds).Select(_ => NewGuid(random).ToString())];
        _new = keys[N..];
        _existing = keys[..N];
        random.Shuffle(_existing);

        var dictionary = ImmutableDictionary.CreateBuilder<string, Item>(StringComparer.Ordinal);
        var trie = HashTrie<Item>.Create(StringComparer.Ordinal).ToBuilder();
        foreach (string key in keys[..N])
        {
            dictionary[key] = new Item(key.Length);
            trie[key] = new Item(key.Length);
        }

        _dictionary = dictionary.ToImmutable();
        _trie = trie.ToImmutable();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BatchOfNewKeys")]
    public int NewKeysImmutableDictionary() => DictionaryBatch(_new);

    [Benchmark]
    [BenchmarkCategory("BatchOfNewKeys")]
    public int NewKeysHashTrie() => TrieBatch(_new);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BatchOfUpdates")]
    public int UpdatesImmutableDictionary() => DictionaryBatch(_existing);

    [Benchmark]
    [BenchmarkCategory("BatchOfUpdates")]
    public int UpdatesHashTrie() => TrieBatch(_existing);

    /// <summary>One batch as the model's writer makes it: a builder, 16 sets, the next version.</summary>
    private int DictionaryBatch(string[] keys)
    {
        var builder = _dictionary.ToBuilder();
        foreach (string key in NextBatch(keys))
        {
            builder[key] = Value;
        }

        return builder.ToImmutable().Count;
    }

    /// <summary>The same batch on the trie.</summary>
    private int TrieBatch(string[] keys)
    {
        var builder = _trie.ToBuilder();
        foreach (string key in NextBatch(keys))
        {
            builder[key] = Value;
        }

        return builder.ToImmutable().Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BuildOneBuilder")]
    public int BuildImmutableDictionary()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, Item>(StringComparer.Ordinal);
        foreach (string key in _existing)
        {
            builder[key] = Value;
        }

        return builder.ToImmutable().Count;
    }

    [Benchmark]
    [BenchmarkCategory("BuildOneBuilder")]
    public int BuildHashTrie()
    {
        var builder = HashTrie<Item>.Create(StringComparer.Ordinal).ToBuilder();
        foreach (string key in _existing)
        {
            builder[key] = Value;
        }

        return builder.ToImmutable().Count;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Lookup")]
    public bool LookupImmutableDictionary() => _dictionary.TryGetValue(NextKey(), out _);

    [Benchmark]
    [BenchmarkCategory("Lookup")]
    public bool LookupHashTrie() => _trie.TryGetValue(NextKey(), out _);

    private ReadOnlySpan<string> NextBatch(string[] keys)
    {
        int start = _round++ % Rounds * BatchSize % (keys.Length - BatchSize + 1);
        return keys.AsSpan(start, BatchSize);
    }

    private string NextKey() => _existing[_round++ % _existing.Length];

    private static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>A small value, as the model's entries are.</summary>
    private sealed class Item(int number)
    {
        public int Number { get; } = number;
    }
}
