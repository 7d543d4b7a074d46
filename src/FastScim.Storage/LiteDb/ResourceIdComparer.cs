using FastScim.Core.Resources;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Compares resource ids ordinally, and hashes the time-ordered ones FastScim assigns
/// (<c>ResourceId</c>: UUIDs of version 7, RFC 9562 §5.7) so that ids made within a few
/// milliseconds of each other share the first levels of the model's <see cref="HashTrie{TValue}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why (issue 7): a batch of creates publishes one new trie, copying the path to each id it adds
/// once. With the ordinal hash every new id took a path of its own from the root down, so a batch
/// of 14 creates copied 14 nodes of 32 children at each of the upper levels: about a tenth of the
/// bytes a POST allocated. Here the hash's lowest 10 bits, which choose the slots of the first
/// two levels, are the id's time in milliseconds modulo 1,024 — its bits 5–9 first, then 0–4 —
/// so the ids of one batch, made within the same 32 ms, share the root's child and the ids of one
/// millisecond share the level below it too.
/// </para>
/// <para>
/// The trie stays balanced: the milliseconds modulo 1,024 of ids made over more than a second or
/// two are spread evenly, and ids made together (a Bulk request's creates) only lengthen their own
/// path by the levels they share. The other 22 bits are the ordinal hash, randomised per process,
/// so ids crafted to collide (an import) still cannot; an id of any other form (a file written by
/// another server, an imported one) is hashed ordinally alone.
/// </para>
/// </remarks>
internal sealed class ResourceIdComparer : IEqualityComparer<string>
{
    public static readonly ResourceIdComparer Instance = new();

    private const int TimeBits = 10;
    private const int TimeMask = (1 << TimeBits) - 1;

    private ResourceIdComparer()
    {
    }

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        int hash = StringComparer.Ordinal.GetHashCode(id);
        return ResourceId.TryGetMilliseconds(id, out long milliseconds)
            ? (hash & ~TimeMask) | (int)((milliseconds >> 5) & 31) | (int)((milliseconds & 31) << 5)
            : hash;
    }
}
