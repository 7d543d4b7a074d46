using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FastScim.Server.Io;

/// <summary>
/// A pooled buffer and <see cref="Utf8JsonWriter"/> a response body is written into before it
/// goes to the response <c>PipeWriter</c>. Writing the whole body first lets the response carry
/// a Content-Length instead of chunked framing, and lets a failure half-way through still
/// become a clean SCIM error instead of a truncated 200.
/// </summary>
internal sealed class JsonResponseBuffer
{
    private const int PooledCapacityLimit = 256 * 1024;
    private const int MaxPooled = 64;
    private static readonly ConcurrentBag<JsonResponseBuffer> Pool = [];

    // SCIM bodies are not HTML: escaping '+', '<' or non-ASCII letters would only make them larger.
    internal static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    // A body in segments: written pieces of _buffer and bytes held elsewhere (a stored resource's
    // kept JSON), referenced, not copied. _cut is where in _buffer the next written piece starts.
    private readonly List<ReadOnlyMemory<byte>> _segments = [];
    private int _cut;

    private JsonResponseBuffer()
    {
        Writer = new Utf8JsonWriter(_buffer, Options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Whether the body is in segments (<see cref="Append"/> was used): send <see cref="Segments"/>, not <see cref="WrittenMemory"/>.</summary>
    public bool IsSegmented => _segments.Count > 0;

    /// <summary>
    /// Ends what <see cref="Writer"/> wrote since the last cut as the next segment and resets the
    /// writer's state, so that it may write another JSON value, or part of one, after it.
    /// </summary>
    public ReadOnlyMemory<byte> Cut()
    {
        Writer.Flush();
        var piece = _buffer.WrittenMemory[_cut..];
        _cut = _buffer.WrittenCount;
        Writer.Reset(_buffer);
        _segments.Add(piece);
        return piece;
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> as the next segment, after what was written so far. They
    /// are sent as they are: they must stay unchanged until the response is sent.
    /// </summary>
    public void Append(ReadOnlyMemory<byte> bytes)
    {
        EndSegment();
        _segments.Add(bytes);
    }

    /// <summary>Ends what <see cref="Writer"/> wrote since the last cut, if anything, as a segment: what is written next starts a piece of its own.</summary>
    public void EndSegment()
    {
        if (_buffer.WrittenCount > _cut || Writer.BytesPending > 0)
        {
            Cut();
        }
    }

    /// <summary>The body in order (what was written after the last segment included), for <see cref="IsSegmented"/> bodies.</summary>
    public List<ReadOnlyMemory<byte>> Segments
    {
        get
        {
            EndSegment();
            return _segments;
        }
    }

    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenMemory;
        }
    }

    public static JsonResponseBuffer Rent()
    {
        if (!Pool.TryTake(out var buffer))
        {
            buffer = new JsonResponseBuffer();
        }

        return buffer;
    }

    /// <summary>Drops whatever was written so far (used when an error replaces a half-written body).</summary>
    public void Clear()
    {
        Writer.Reset(_buffer);
        _buffer.ResetWrittenCount();
        _segments.Clear();
        _cut = 0;
    }

    public void Return()
    {
        if (_buffer.Capacity > PooledCapacityLimit || Pool.Count >= MaxPooled)
        {
            return;
        }

        Clear();
        Pool.Add(this);
    }
}
