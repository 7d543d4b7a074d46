using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>
/// Typed access by attribute path to one generated class (a resource type, an extension or a
/// complex type), implemented by the generated <c>{Class}Accessors</c>. Paths are matched
/// case-insensitively (RFC 7643 §2.1); every method returns null for a path the schema does not
/// define. The delegates are built once per filter and do no lookups, reflection or boxing when run.
/// </summary>
/// <typeparam name="T">The generated class the accessors read.</typeparam>
public interface IScimAccessors<T>
{
    /// <summary>The definition of the attribute (or sub-attribute) the path names.</summary>
    static abstract AttributeDefinition? Definition(AttributePath path);

    /// <summary>
    /// True when a value at the path passes <paramref name="test"/>: for a multi-valued attribute,
    /// when any value passes (RFC 7644 §3.4.2.2). A complex attribute without a sub-attribute
    /// stands for its <c>value</c> sub-attribute (RFC 7643 §2.4), when it has one.
    /// </summary>
    static abstract Func<T, bool>? Match(AttributePath path, ValueTest test);

    /// <summary>True when the path has a value: not null, not "", not an empty list, not a complex value with nothing set.</summary>
    static abstract Func<T, bool>? Present(AttributePath path);

    /// <summary>
    /// For a multi-valued complex attribute (no sub-attribute in the path): true when any element
    /// satisfies the predicate <paramref name="factory"/> builds with the element type's accessors.
    /// </summary>
    static abstract Func<T, bool>? MatchElements(AttributePath path, IElementPredicateFactory factory);

    /// <summary>
    /// Ascending order by the value at the path, for sortBy (RFC 7644 §3.4.2.3): unassigned last,
    /// strings caseExact-aware, a multi-valued attribute by its primary (else first) value, a
    /// complex attribute without a sub-attribute by its <c>value</c>.
    /// </summary>
    static abstract Comparison<T>? Compare(AttributePath path);
}

/// <summary>Builds a predicate over the elements of a multi-valued complex attribute, with the element type's own accessors.</summary>
public interface IElementPredicateFactory
{
    Func<TElement, bool> Create<TElement, TAccessors>(AttributeDefinition attribute)
        where TAccessors : IScimAccessors<TElement>;
}
