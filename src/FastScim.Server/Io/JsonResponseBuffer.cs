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

    private JsonResponseBuffer()
    {
        Writer = new Utf8JsonWriter(_buffer, Options);
    }

    public Utf8JsonWriter Writer { get; }

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
