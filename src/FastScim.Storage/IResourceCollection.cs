using FastScim.Core.Resources;

namespace FastScim.Storage;

/// <summary>The stored resources of one type within one tenant.</summary>
#pragma warning disable CA1711 // "collection" is the storage word for a set of stored documents, not a .NET collection type.
public interface IResourceCollection<T>
#pragma warning restore CA1711
    where T : class, IScimResource
{
    /// <summary>
    /// Stores a new resource whose id and meta the caller has set. Completes only once the write
    /// is durable. Throws <c>ScimException(409, ScimType.Uniqueness, …)</c> when a unique
    /// attribute (RFC 7643 §7, e.g. userName, case-insensitively) is already taken.
    /// </summary>
    Task CreateAsync(T resource, CancellationToken cancellationToken = default);

    /// <summary>The resource with this id, or null.</summary>
    T? Find(string id);

    /// <summary>A page of resources in creation order: skip <paramref name="skip"/>, take at most <paramref name="count"/>.</summary>
    ResourcePage<T> List(int skip, int count);
}

/// <summary>One page of a listing and the number of resources in all.</summary>
public readonly record struct ResourcePage<T>(IReadOnlyList<T> Resources, int TotalResults);
