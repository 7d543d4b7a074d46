namespace FastScim.Core.Resources;

/// <summary>
/// The response JSON of one stored version of a resource — every attribute returned by default,
/// meta.location under one collection URI — kept so that reading an unchanged resource again
/// copies bytes instead of serialising it (a page of 100 users was mostly serialisation).
/// </summary>
/// <remarks>
/// The store makes one per stored version and hands it out with every copy of that version
/// (<see cref="ResourceMeta.Rendering"/>); it releases it when the version is replaced or
/// deleted, or the tenant closes. It is kept under what it was rendered with beyond the version
/// itself: the collection URI of meta.location and a number for the values derived per request
/// (a user's "groups", RFC 7643 §4.1.2), and answers only a read with both the same. A response
/// with an attribute projection never uses it. All renderings of the process together stay within
/// <see cref="Budget"/> bytes: past it, reads serialise as before, so memory stays bounded
/// whatever is read.
/// </remarks>
public sealed class ResourceRendering
{
    /// <summary>Bytes counted per rendering beyond its JSON (the array's header and the location it is kept under).</summary>
    private const int Overhead = 96;

    private static long s_used;

    // (_locationBase, _derived, _state, _json) are written under this object's own monitor, not a
    // Lock of its own: one rendering is made per stored version and lives as long, so a second
    // object was 40 bytes more for every resource held and one more for every collection to move
    // (issue 7). The monitor is reserved for this class: no code outside it locks a rendering,
    // though every copy of a version hands it out (ResourceMeta.Rendering). _json is written last
    // and cleared first; a reader that finds the same _json before and after reading the others
    // read values that belong together (each keep is a new array). NoteState alone writes _state
    // without clearing _json: it only ever notes a state at which the JSON beside it holds. Fields
    // here, not one object holding them all: a page of 100 users is 100 reads of this, and each
    // object between is a cache miss.
    private volatile byte[]? _json;
    private volatile string? _locationBase;
    private long _derived;
    private long _state = UnknownState;
    private bool _released;

    /// <summary>
    /// The rendering that may stand in for <paramref name="resource"/>: its stored version's, when it
    /// is that version as the store shares it (a copy completed for a response has a location).
    /// </summary>
    public static ResourceRendering? Of(IScimResource resource) =>
        resource.Meta is { Rendering: { } kept, Location: null } ? kept : null;

    /// <summary>No state is known at which the kept derived number holds (see <see cref="TryGetAtState"/>).</summary>
    public const long UnknownState = long.MinValue;

    /// <summary>
    /// The most bytes all renderings may hold at once (default 32 MiB: every user of a 25,000-user
    /// tenant; the 100,000-user tenant's memory target leaves room for no more).
    /// </summary>
    public static long Budget { get; set; } = 32L * 1024 * 1024;

    /// <summary>The bytes the renderings of the process hold now.</summary>
    public static long Used => Interlocked.Read(ref s_used);

    /// <summary>
    /// The JSON rendered with meta.location under <paramref name="locationBase"/> and with the
    /// values derived per request at version <paramref name="derived"/> (as its caller numbers
    /// them, e.g. a user's groups), if it is kept.
    /// </summary>
    public bool TryGet(string locationBase, long derived, out ReadOnlyMemory<byte> json) =>
        TryRead(locationBase, ref _derived, derived, out json);

    /// <summary>
    /// The kept JSON, if it is kept under <paramref name="locationBase"/> and its derived number is
    /// known to hold at <paramref name="state"/>: a number, as its caller numbers them, for all
    /// that the derived values come from (e.g. every membership of the tenant), which tells without
    /// working out this resource's own derived number that it has not changed (a page of 100 users
    /// was 100 membership lookups).
    /// </summary>
    public bool TryGetAtState(string locationBase, long state, out ReadOnlyMemory<byte> json)
    {
        if (state == UnknownState)
        {
            json = default;
            return false;
        }

        return TryRead(locationBase, ref _state, state, out json);
    }

    /// <summary>The kept JSON, if it is kept under <paramref name="locationBase"/> with <paramref name="kept"/> (one of the numbers it is kept under) equal to <paramref name="expected"/>.</summary>
    private bool TryRead(string locationBase, ref long kept, long expected, out ReadOnlyMemory<byte> json)
    {
        byte[]? keptJson = _json;
        string? keptBase = _locationBase;
        long keptNumber = Volatile.Read(ref kept);
        if (keptJson is not null
            && keptNumber == expected
            && (ReferenceEquals(keptBase, locationBase) || string.Equals(keptBase, locationBase, StringComparison.Ordinal))
            && ReferenceEquals(_json, keptJson))
        {
            json = keptJson;
            return true;
        }

        json = default;
        return false;
    }

    /// <summary>
    /// Notes that the derived number of the kept <paramref name="json"/> (as <see cref="TryGet"/>
    /// answered it) holds at <paramref name="state"/>, so that reads at that state skip working it
    /// out; nothing when another rendering has been kept since.
    /// </summary>
    public void NoteState(ReadOnlyMemory<byte> json, long state)
    {
        lock (this)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(json, out ArraySegment<byte> array) && ReferenceEquals(array.Array, _json))
            {
                Volatile.Write(ref _state, state);
            }
        }
    }

    /// <summary>
    /// Keeps <paramref name="json"/> (copied) as the rendering under <paramref name="locationBase"/>
    /// and <paramref name="derived"/> (known to hold at <paramref name="state"/>, or at no state
    /// known: <see cref="UnknownState"/>), in place of any other, unless the version was released
    /// meanwhile or the budget has no room; says whether it was kept.
    /// </summary>
    public bool TryKeep(string locationBase, long derived, ReadOnlySpan<byte> json, long state = UnknownState)
    {
        ArgumentNullException.ThrowIfNull(locationBase);
        long size = json.Length + Overhead;
        lock (this)
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
            Volatile.Write(ref _derived, derived);
            Volatile.Write(ref _state, state);
            _json = json.ToArray();
            return true;
        }
    }

    /// <summary>The version is gone (replaced, deleted, or its tenant closed): give its bytes back and keep none again.</summary>
    public void Release()
    {
        lock (this)
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
