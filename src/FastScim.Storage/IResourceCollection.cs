using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Resources;

namespace FastScim.Storage;

/// <summary>The stored resources of one type within one tenant.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "A SCIM collection of resources (RFC 7644 §3.4.2), not a .NET collection.")]
public interface IResourceCollection<T>
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
