using FastScim.Core.Resources;

namespace FastScim.Core.Filtering;

/// <summary>
/// Compiled predicates by exact filter text for one resource type, bounded (least recently used
/// dropped beyond <see cref="Capacity"/>). Parsing goes through a shared <see cref="FilterCache"/>,
/// so one text parses once even when several resource types compile it (<c>/.search</c>).
/// Invalid filters are not cached: they throw 400 invalidFilter every time.
/// </summary>
public sealed class CompiledFilterCache<T, TAccessors>
    where TAccessors : IScimAccessors<T>
{
    private readonly LruCache<Func<T, bool>> _compiled;

    public CompiledFilterCache(int capacity = 1024, FilterCache? parsed = null)
    {
        _compiled = new LruCache<Func<T, bool>>(capacity);
        Parsed = parsed ?? new FilterCache(capacity);
    }

    public int Capacity => _compiled.Capacity;

    public int Count => _compiled.Count;

    /// <summary>The parse cache this cache reads trees from.</summary>
    public FilterCache Parsed { get; }

    /// <summary>The predicate of <paramref name="filter"/>, parsed and compiled on first use.</summary>
    /// <exception cref="Protocol.ScimException">400 invalidFilter.</exception>
    public Func<T, bool> GetOrCompile(string filter) =>

        // Through the parse cache on every use, which applies the filter's lenient readings.
        GetOrCompile(filter, Parsed.GetOrParse(filter ?? throw new ArgumentNullException(nameof(filter))));

    /// <summary>The predicate of <paramref name="filter"/>, whose tree the caller already has from <see cref="Parsed"/>.</summary>
    public Func<T, bool> GetOrCompile(string filter, FilterNode parsed)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(parsed);
        return _compiled.GetOrAdd(filter, parsed, static (_, node) => FilterCompiler.Compile<T, TAccessors>(node));
    }
}

/// <summary>The compiled-filter caches of the built-in resource types, sharing one parse cache.</summary>
public sealed class CompiledFilterCaches
{
    public CompiledFilterCaches(int capacity = 1024)
    {
        var parsed = new FilterCache(capacity);
        Users = new CompiledFilterCache<User, UserAccessors>(capacity, parsed);
        Groups = new CompiledFilterCache<Group, GroupAccessors>(capacity, parsed);
    }

    public CompiledFilterCache<User, UserAccessors> Users { get; }

    public CompiledFilterCache<Group, GroupAccessors> Groups { get; }
}
