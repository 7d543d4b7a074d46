using System.Collections;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// The ids under one key of a <see cref="ModelIndex"/>: the one id itself when a single resource
/// holds the key, as nearly every key of a unique attribute is, else an array of them.
/// </summary>
/// <remarks>
/// Why not always an array (issue 7): a created user brings about four keys (userName, externalId,
/// two emails), each held by that user alone. An array of one per key was 128 bytes more for every
/// POST, and 400,000 objects more for the collector to trace in a tenant of 100,000 users.
/// </remarks>
internal readonly struct KeyHolders : IReadOnlyList<string>
{
    // A string (one holder) or a string[] of two or more; never an empty array.
    private readonly object? _holders;

    private KeyHolders(object? holders) => _holders = holders;

    // The holders when they are two or more.
    private string[] Many => (string[])_holders!;

    /// <summary>The holders an index keeps as <paramref name="kept"/>: an id, or an array of two or more (<see cref="With"/>, <see cref="Without"/>).</summary>
    internal static KeyHolders Of(object kept) => new(kept);

    public int Count => _holders switch
    {
        null => 0,
        string => 1,
        _ => Many.Length,
    };

    public string this[int index] => _holders is string one
        ? index == 0 ? one : throw new ArgumentOutOfRangeException(nameof(index))
        : _holders is null ? throw new ArgumentOutOfRangeException(nameof(index)) : Many[index];

    /// <summary>Whether <paramref name="id"/> (compared ordinally) is one of the holders.</summary>
    public bool Contains(string id) => _holders is string one
        ? string.Equals(one, id, StringComparison.Ordinal)
        : _holders is not null && Array.IndexOf(Many, id) >= 0;

    /// <summary>The holders with <paramref name="id"/> added (a new value: readers may hold the old one).</summary>
    internal object With(string id) => _holders switch
    {
        null => id,
        string one => new[] { one, id },
        _ => (string[])[.. Many, id],
    };

    /// <summary>The holders without the one at <paramref name="at"/>; null when none is left.</summary>
    internal object? Without(int at)
    {
        if (_holders is string)
        {
            return null;
        }

        string[] ids = Many;
        return ids.Length == 2 ? ids[1 - at] : (string[])[.. ids.AsSpan(0, at), .. ids.AsSpan(at + 1)];
    }

    /// <summary>Where <paramref name="id"/> is among the holders, or -1.</summary>
    internal int IndexOf(string id) => _holders is string one
        ? string.Equals(one, id, StringComparison.Ordinal) ? 0 : -1
        : _holders is null ? -1 : Array.IndexOf(Many, id);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<string> IEnumerable<string>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the holders without allocating (a foreach over the struct itself).</summary>
    public struct Enumerator(KeyHolders holders) : IEnumerator<string>
    {
        private int _next = -1;

        public readonly string Current => holders[_next];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_next < holders.Count;

        public void Reset() => _next = -1;

        public readonly void Dispose()
        {
        }
    }
}
