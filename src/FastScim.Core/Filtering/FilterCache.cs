using FastScim.Core.Compatibility;

namespace FastScim.Core.Filtering;

/// <summary>
/// Parsed filters by exact filter text, so a query repeated by an identity provider (Entra's
/// <c>userName eq "…"</c> existence checks) parses once. Bounded: least recently used entries
/// are dropped beyond <see cref="Capacity"/> (so at most Capacity × MaxLength characters of keys).
/// Thread-safe; parsing happens outside the lock, and invalid filters are not cached (they throw
/// every time). Trees are immutable records, so one instance is shared by all callers.
/// </summary>
public sealed class FilterCache
{
    private readonly LruCache<ParsedFilter> _entries;

    public FilterCache(int capacity = 1024, FilterParserOptions? options = null)
    {
        _entries = new LruCache<ParsedFilter>(capacity);
        Options = options ?? FilterParserOptions.Default;
    }

    public int Capacity => _entries.Capacity;

    /// <summary>The options every filter of this cache is parsed with (part of the key by construction).</summary>
    public FilterParserOptions Options { get; }

    public int Count => _entries.Count;

    /// <summary>
    /// The tree of <paramref name="filter"/>, parsed on first use. The lenient readings it needed
    /// are applied on every use (<see cref="Tolerance.Use"/>), as an uncached parse would: a strict
    /// request refuses a cached lenient tree, and every lenient use is counted.
    /// </summary>
    /// <exception cref="Protocol.ScimException">400 invalidFilter, as <see cref="FilterParser.Parse(string, FilterParserOptions?)"/>.</exception>
    public FilterNode GetOrParse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parsed = _entries.GetOrAdd(filter, Options, static (text, options) => new ParsedFilter(FilterParser.Parse(text, options, out var tolerated), tolerated));
        Tolerance.Use(parsed.Tolerated);
        return parsed.Node;
    }

    private sealed record ParsedFilter(FilterNode Node, ToleranceRule Tolerated);
}
