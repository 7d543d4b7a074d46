using System.Collections;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// A few strings in one reference: none (null), one (the string itself) or an array of two or
/// more, never an array of one. Immutable: each edit answers a new value, so a reader holding the
/// old one never sees it change. The model keeps two lists this way: the ids under one key of a
/// <see cref="ModelIndex"/>, and a resource's keys in one index (<see cref="ModelEntry{T}.Keys"/>).
/// </summary>
/// <remarks>
/// Why not an array always (issue 7): nearly every such list holds one string. A created user has
/// about four keys (userName, externalId, two emails) held by that user alone, each an array of
/// one in its index, and its entry kept an array of one for each index with one key (userName,
/// externalId): 192 bytes and six objects more for every POST, 600,000 objects more for the
/// collector to trace in a tenant of 100,000 users.
/// </remarks>
internal readonly struct CompactStrings : IReadOnlyList<string>
{
    // Null, a string, or a string[] of two or more.
    private readonly object? _value;

    private CompactStrings(object? value) => _value = value;

    /// <summary>
    /// The one reference these strings are kept in (null, a string or an array of two or more), for
    /// a table that stores references (<see cref="ModelIndex"/>); <see cref="FromReference"/> reads it back.
    /// </summary>
    public object? Reference => _value;

    /// <summary>The strings kept in <paramref name="reference"/>, a <see cref="Reference"/>.</summary>
    public static CompactStrings FromReference(object? reference) => reference switch
    {
        null or string or string[] { Length: >= 2 } => new(reference),
        _ => throw new ArgumentException("Not the reference of a CompactStrings.", nameof(reference)),
    };

    /// <summary>The list of <paramref name="one"/> alone.</summary>
    public static CompactStrings Of(string one)
    {
        ArgumentNullException.ThrowIfNull(one);
        return new(one);
    }

    /// <summary>The list of <paramref name="strings"/> (copied), in their order.</summary>
    public static CompactStrings Of(List<string> strings) => strings.Count switch
    {
        0 => default,
        1 => new(strings[0]),
        _ => new(strings.ToArray()),
    };

    // The strings when they are two or more.
    private string[] Many => (string[])_value!;

    public int Count => _value switch
    {
        null => 0,
        string => 1,
        _ => Many.Length,
    };

    public string this[int index] => (uint)index < (uint)Count
        ? _value as string ?? Many[index]
        : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The first string, or null when there is none.</summary>
    public string? First => _value is string one ? one : _value is null ? null : Many[0];

    /// <summary>Whether <paramref name="value"/> is one of the strings, compared ordinally.</summary>
    public bool Contains(string value) => IndexOf(value) >= 0;

    /// <summary>Whether <paramref name="value"/> is one of the strings, as <paramref name="comparer"/> compares them.</summary>
    public bool Contains(string value, IEqualityComparer<string> comparer) => _value is string one
        ? comparer.Equals(one, value)
        : _value is not null && Many.AsSpan().Contains(value, comparer);

    /// <summary>Where <paramref name="value"/> (compared ordinally) is among the strings, or -1.</summary>
    public int IndexOf(string value) => _value is string one
        ? string.Equals(one, value, StringComparison.Ordinal) ? 0 : -1
        : _value is null ? -1 : Array.IndexOf(Many, value);

    /// <summary>Whether <paramref name="other"/> holds the same strings in the same order, compared ordinally.</summary>
    public bool SequenceEqual(CompactStrings other) => (_value, other._value) switch
    {
        (null, null) => true,
        (string one, string otherOne) => string.Equals(one, otherOne, StringComparison.Ordinal),
        (string[] many, string[] otherMany) => many.AsSpan().SequenceEqual(otherMany),
        _ => false, // the form follows the count: one string and an array never hold the same
    };

    /// <summary>These strings and <paramref name="value"/> after them.</summary>
    public CompactStrings With(string value) => value is null ? throw new ArgumentNullException(nameof(value)) : _value switch
    {
        null => new(value),
        string one => new(new[] { one, value }),
        _ => new((string[])[.. Many, value]),
    };

    /// <summary>These strings without the one at <paramref name="at"/>.</summary>
    public CompactStrings Without(int at)
    {
        if (at < 0 || at >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(at));
        }

        if (_value is string)
        {
            return default;
        }

        string[] many = Many;
        return many.Length == 2 ? new(many[1 - at]) : new((string[])[.. many.AsSpan(0, at), .. many.AsSpan(at + 1)]);
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the strings without allocating (a foreach over the struct itself).</summary>
    public struct Enumerator(CompactStrings strings) : IEnumerator<string>
    {
        private int _next = -1;

        public readonly string Current => strings[_next];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_next < strings.Count;

        public void Reset() => _next = -1;

        public readonly void Dispose()
        {
        }
    }
}
