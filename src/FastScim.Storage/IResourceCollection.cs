using System.Diagnostics.CodeAnalysis;
using FastScim.Core.Filtering;
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
    /// attribute (RFC 7643 §7, e.g. userName, case-insensitively) is already taken. The caller hands
    /// the resource over: the store may keep it itself as the version it stored, which its readers
    /// share, so the caller never changes it again, meta included (a response completed per
    /// request is written from a copy). Why (issue 7): the copy the store made instead was ≈330 B
    /// of every POST.
    /// </summary>
    Task CreateAsync(T resource, CancellationToken cancellationToken = default);

    /// <summary>The resource with this id, or null.</summary>
    T? Find(string id);

    /// <summary>
    /// <see cref="Find"/> without the copy: the stored resource itself, shared with every reader.
    /// The caller only reads it — and copies it before completing or changing anything — so that
    /// a read written out as it is stored costs no copy.
    /// </summary>
    T? FindShared(string id) => Find(id);

    /// <summary>
    /// Replaces the stored resource with what <paramref name="change"/> makes of it, on the
    /// tenant's single writer: concurrent writers to one resource are serialised and none is lost.
    /// <paramref name="change"/> gets the current resource (a fresh copy, possibly called more than
    /// once, so it must have no other side effects) and returns the new state; the copy is shallow:
    /// its own attributes may be set, but its lists and complex values are the stored version's, which
    /// readers hold, so it replaces them or works on a deep copy, never changes them in place. It may throw a
    /// <c>ScimException</c> to refuse. The precondition <paramref name="ifMatch"/> (an If-Match
    /// header value, RFC 7644 §3.14) is checked against the current version first: 412 when it
    /// does not match. 404 when there is no such resource; 409 uniqueness as for create. Only when
    /// the stored content really changes do meta.version and meta.lastModified move on.
    /// Completes once durable, with the resource as stored: the stored version itself, which its
    /// readers share (or, when the content did not change, one like it), so the caller never changes
    /// it (a response completed per request is written from a copy; issue 7: the store's copy of it
    /// was ≈330 B of every PATCH).
    /// <paramref name="change"/> may run more
    /// than once, against different states (first against the committed resource off the writer,
    /// then again on the writer if something changed it meanwhile): it must build its result from
    /// its argument and never change what it captured.
    /// </summary>
    Task<T> UpdateAsync(string id, string? ifMatch, Func<T, T> change, CancellationToken cancellationToken = default);

    /// <summary>Deletes the resource (404 when absent, 412 when <paramref name="ifMatch"/> does not match); completes once durable.</summary>
    Task DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The resources <paramref name="predicate"/> accepts, in creation order: skip
    /// <paramref name="skip"/> of the matches, take at most <paramref name="count"/>, and count
    /// them all (RFC 7644 §3.4.2.4 totalResults). Read from one snapshot. With
    /// <paramref name="order"/> (sortBy, §3.4.2.3) the matches are sorted first; ties keep
    /// creation order, so paging is stable.
    /// </summary>
    ResourcePage<T> Query(Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null);

    /// <summary>
    /// <see cref="Query(Func{T, bool}, int, int, Comparison{T})"/> with the parsed
    /// <paramref name="filter"/> that <paramref name="predicate"/> was compiled from, so the store
    /// can read index seeks instead of every resource (an equality on an indexed attribute). The
    /// predicate still decides every match: the result is that of the scan. A store without a
    /// planner scans.
    /// </summary>
    ResourcePage<T> Query(FilterNode? filter, Func<T, bool> predicate, int skip, int count, Comparison<T>? order = null) =>
        Query(predicate, skip, count, order);

    /// <summary>A page of resources in creation order: skip <paramref name="skip"/>, take at most <paramref name="count"/>.</summary>
    ResourcePage<T> List(int skip, int count);

    /// <summary><see cref="List"/> without the copies: the stored resources, only to be read (see <see cref="FindShared"/>).</summary>
    ResourcePage<T> ListShared(int skip, int count) => List(skip, count);

    /// <summary>
    /// A keyset page for cursor paging (RFC 9865): the first <paramref name="count"/> resources
    /// <paramref name="predicate"/> accepts (null accepts all) whose creation sequence is greater
    /// than <paramref name="afterSequence"/>, in creation order, read from one snapshot. Creation
    /// sequences never change and are never reused, so paging on them never skips or repeats a
    /// resource that exists throughout; resources created meanwhile appear later, deleted ones
    /// vanish. Also says whether more matches follow and counts every match (totalResults).
    /// </summary>
    CursorPage<T> QueryAfter(long afterSequence, Func<T, bool>? predicate, int count);
}

/// <summary>
/// One page of a listing and the number of resources in all; for a page of the store's shared
/// resources, also their stored versions' kept renderings (<see cref="ResourceMeta.Rendering"/>),
/// in the same order, read without touching the resources.
/// </summary>
public readonly record struct ResourcePage<T>(IReadOnlyList<T> Resources, int TotalResults)
{
    public IReadOnlyList<ResourceRendering?>? Renderings { get; init; }
}

/// <summary>
/// One keyset page: <paramref name="LastSequence"/> is the creation sequence of the last resource
/// in it (the argument again when it is empty), the position the next page starts after.
/// </summary>
public readonly record struct CursorPage<T>(IReadOnlyList<T> Resources, long LastSequence, bool HasMore, int TotalResults);
