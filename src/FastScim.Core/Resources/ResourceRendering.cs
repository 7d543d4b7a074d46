namespace FastScim.Core.Resources;

/// <summary>
/// The response JSON of one stored version of a resource — every attribute returned by default,
/// meta.location under one collection URI — kept so that reading an unchanged resource again
/// copies bytes instead of serialising it (a page of 100 users was mostly serialisation).
/// </summary>
/// <remarks>
/// The store makes one per stored version and hands it out with every copy of that version
/// (<see cref="ResourceMeta.Rendering"/>); it releases it when the version is replaced or
/// deleted, or the tenant closes. What a response adds per request (a user's derived "groups",
/// an attribute projection) is not in it: the writer uses it only when the response is exactly
/// the default rendering. All renderings of the process together stay within
/// <see cref="Budget"/> bytes: past it, reads serialise as before, so memory stays bounded
/// whatever is read.
/// </remarks>
public sealed class ResourceRendering
{
    /// <summary>Bytes counted per rendering beyond its JSON (the array's header and the location it is kept under).</summary>
    private const int Overhead = 96;

    private static long s_used;

    private readonly Lock _lock = new();

    // The pair (_locationBase, _json) is written under the lock, _json last and cleared first;
    // a reader that finds the same _json before and after reading _locationBase read a pair that
    // belongs together (each keep is a new array). Two fields here, not one object holding both:
    // a page of 100 users is 100 reads of this, and each object between is a cache miss.
    private volatile byte[]? _json;
    private volatile string? _locationBase;
    private bool _released;

    /// <summary>
    /// The most bytes all renderings may hold at once (default 32 MiB: every user of a 25,000-user
    /// tenant; the 100,000-user tenant's memory target leaves room for no more).
    /// </summary>
    public static long Budget { get; set; } = 32L * 1024 * 1024;

    /// <summary>The bytes the renderings of the process hold now.</summary>
    public static long Used => Interlocked.Read(ref s_used);

    /// <summary>The JSON rendered with meta.location under <paramref name="locationBase"/>, if it is kept.</summary>
    public bool TryGet(string locationBase, out ReadOnlyMemory<byte> json)
    {
        byte[]? kept = _json;
        string? keptBase = _locationBase;
        if (kept is not null
            && (ReferenceEquals(keptBase, locationBase) || string.Equals(keptBase, locationBase, StringComparison.Ordinal))
            && ReferenceEquals(_json, kept))
        {
            json = kept;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="json"/> (copied) as the rendering under <paramref name="locationBase"/>,
    /// unless the version was released meanwhile or the budget has no room; says whether it was kept.
    /// </summary>
    public bool TryKeep(string locationBase, ReadOnlySpan<byte> json)
    {
        ArgumentNullException.ThrowIfNull(locationBase);
        long size = json.Length + Overhead;
        lock (_lock)
        {
            if (_released)
            {
                return false;
            }

            long freed = _json is { } old ? old.Length + Overhead : 0;
            if (Interlocked.Add(ref s_used, size - freed) > Budget)
            {
                Interlocked.Add(ref s_used, freed - size);
                return false;
            }

            _json = null;
            _locationBase = locationBase;
            _json = json.ToArray();
            return true;
        }
    }

    /// <summary>The version is gone (replaced, deleted, or its tenant closed): give its bytes back and keep none again.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _released = true;
            if (_json is { } old)
            {
                Interlocked.Add(ref s_used, -(old.Length + Overhead));
                _json = null;
            }
        }
    }
}
