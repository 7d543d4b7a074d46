using System;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace FastScim.Storage.Bson;

/// <summary>
/// Writes a resource's stored bytes straight from the generated <c>…Bson.ToBytes</c> code, with no
/// <c>BsonDocument</c> in between, byte for byte as <c>LiteDB.BsonSerializer.Serialize</c> writes
/// the document <c>…Bson.ToDocument</c> builds (LiteDB 5.0.21: <c>BufferWriter.WriteDocument</c>,
/// <c>WriteArray</c>, <c>WriteElement</c>; element types from bsonspec.org/spec.html). Building and
/// serialising that document was ~14% of the CPU of a POST /Users (perf/RESULTS.md).
/// </summary>
/// <remarks>
/// One writer per thread is kept idle between calls, so a call allocates only the array it returns.
/// A writer is taken out of its slot while in use and put back by <see cref="ToArray"/>: a call that
/// throws (a lone surrogate, a null list item) just leaves the next call to make a new one.
/// Document and array lengths are back-patched by <see cref="End"/>, so nothing is counted twice.
/// Numbers are written little-endian as the BSON spec says; LiteDB copies them in machine order,
/// which is the same on every platform .NET 10 runs on.
/// </remarks>
internal sealed class BsonBytesWriter
{
    // A typical user is ~1 KB; a writer whose buffer grew past 1 MiB for one huge resource is not kept.
    private const int InitialSize = 4 * 1024;
    private const int MaxKeptSize = 1024 * 1024;

    // Strings up to this length reserve UTF-8's worst case (3 bytes a char) instead of counting first.
    private const int MaxEstimatedChars = 4 * 1024;

    // LiteDB's StringEncoding.UTF8 throws on invalid UTF-16 (a lone surrogate) rather than writing U+FFFD;
    // so must this writer, or it would store what LiteDB refuses to.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [ThreadStatic]
    private static BsonBytesWriter? t_idle;

    private readonly byte[] _index = new byte[11];
    private byte[] _buffer = new byte[InitialSize];
    private int _position;

    private BsonBytesWriter()
    {
    }

    /// <summary>This thread's idle writer (or a new one), empty.</summary>
    public static BsonBytesWriter Rent()
    {
        var writer = t_idle ?? new BsonBytesWriter();
        t_idle = null;
        writer._position = 0;
        return writer;
    }

    /// <summary>The bytes written, as the call's one allocation; the writer goes back to its thread's slot.</summary>
    public byte[] ToArray()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(_position);
        _buffer.AsSpan(0, _position).CopyTo(bytes);
        if (_buffer.Length <= MaxKeptSize)
        {
            t_idle = this;
        }

        return bytes;
    }

    /// <summary>
    /// The key of array item <paramref name="index"/>: LiteDB writes <c>i.ToString()</c>. The span is this
    /// writer's scratch, valid until the next call; every Write/Begin method copies its key first.
    /// </summary>
    public ReadOnlySpan<byte> Index(int index)
    {
        Utf8Formatter.TryFormat(index, _index, out var written);
        return _index.AsSpan(0, written);
    }

    /// <summary>Starts the top-level document; returns where its length goes, for <see cref="End"/>.</summary>
    public int BeginDocument()
    {
        Ensure(4);
        var start = _position;
        _position += 4;
        return start;
    }

    public int BeginDocument(ReadOnlySpan<byte> key)
    {
        Element(BsonElements.Document, key);
        return BeginDocument();
    }

    /// <summary>A BSON array is a document keyed "0", "1", …; use <see cref="Index"/> for its keys.</summary>
    public int BeginArray(ReadOnlySpan<byte> key)
    {
        Element(BsonElements.Array, key);
        return BeginDocument();
    }

    /// <summary>Ends a document or array: its terminating 0, then its length (including both) at <paramref name="start"/>.</summary>
    public void End(int start)
    {
        Ensure(1);
        _buffer[_position++] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _position - start);
    }

    /// <summary>int32 byte count including the terminator, the UTF-8 bytes, 0 (LiteDB <c>WriteString(value, specs: true)</c>).</summary>
    public void WriteString(ReadOnlySpan<byte> key, string value)
    {
        Element(BsonElements.String, key);
        var reserve = value.Length <= MaxEstimatedChars ? Utf8.GetMaxByteCount(value.Length) : Utf8.GetByteCount(value);
        Ensure(4 + reserve + 1);
        var count = Utf8.GetBytes(value, _buffer.AsSpan(_position + 4));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), count + 1);
        _position += 4 + count;
        _buffer[_position++] = 0;
    }

    /// <summary>A string list item: <c>new BsonValue((string)null)</c> is BSON null, which LiteDB writes as a bare 0x0A element.</summary>
    public void WriteStringOrNull(ReadOnlySpan<byte> key, string? value)
    {
        if (value is null)
        {
            Element(BsonElements.Null, key);
        }
        else
        {
            WriteString(key, value);
        }
    }

    public void WriteBoolean(ReadOnlySpan<byte> key, bool value)
    {
        Element(BsonElements.Boolean, key);
        Ensure(1);
        _buffer[_position++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>SCIM integers are <c>long</c>: <c>new BsonValue(long)</c> is Int64, never narrowed to Int32.</summary>
    public void WriteInt64(ReadOnlySpan<byte> key, long value)
    {
        Element(BsonElements.Int64, key);
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>LiteDB's Decimal (0x13) is its own: the four ints of <c>decimal.GetBits</c>, not IEEE decimal128.</summary>
    public void WriteDecimal(ReadOnlySpan<byte> key, decimal value)
    {
        Element(BsonElements.Decimal, key);
        Ensure(16);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), bits[i]);
            _position += 4;
        }
    }

    public void WriteDateTime(ReadOnlySpan<byte> key, DateTimeOffset value)
    {
        Element(BsonElements.DateTime, key);
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), UnixMilliseconds(value));
        _position += 8;
    }

    /// <summary>
    /// The int64 LiteDB stores for <c>ScimBsonHelpers.FromDateTimeOffset(value)</c>, computed its way:
    /// <c>new BsonValue(DateTime)</c> truncates to whole milliseconds (<c>DateExtensions.Truncate</c>)
    /// except for DateTime.MinValue/MaxValue, and <c>WriteElement</c> then writes
    /// <c>Convert.ToInt64((utc - UnixEpoch).TotalMilliseconds)</c> — a rounding through a double that
    /// only shows for MaxValue (…999.9999 ms rounds up). The value is already UTC, so its
    /// <c>ToUniversalTime()</c> there changes nothing.
    /// </summary>
    internal static long UnixMilliseconds(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        if (utc != DateTime.MinValue && utc != DateTime.MaxValue)
        {
            utc = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        }

        return Convert.ToInt64((utc - UnixEpoch).TotalMilliseconds);
    }

    // type byte, key, 0 — keys are the generator's u8 constants or Index(i), so never hold a 0 (LiteDB's WriteCString would throw)
    private void Element(byte type, ReadOnlySpan<byte> key)
    {
        Ensure(key.Length + 2);
        _buffer[_position++] = type;
        key.CopyTo(_buffer.AsSpan(_position));
        _position += key.Length;
        _buffer[_position++] = 0;
    }

    private void Ensure(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var size = Math.Max(_buffer.Length * 2, _position + count);
        Array.Resize(ref _buffer, size);
    }
}
