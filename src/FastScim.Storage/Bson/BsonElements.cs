using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FastScim.Storage.Bson;

/// <summary>
/// Reads a BSON document's bytes (bsonspec.org, version 1.1) element by element, without making a
/// LiteDB <c>BsonDocument</c>: the writer reads a resource's index keys and compares two versions
/// from the bytes it stores for them (<see cref="LiteDb.ResourceLog"/>), so a write maps the
/// resource once; the generated <c>…Bson.FromBytes</c> reads a stored resource through it. The bytes
/// are LiteDB's own or written the same way. Malformed framing (lengths, terminators, types) throws
/// <see cref="FormatException"/>; a value that cannot be converted throws what LiteDB's reader
/// throws for it (an overflow, invalid UTF-8), so both readers fail alike.
/// </summary>
internal ref struct BsonElements
{
    // The element types (bsonspec.org) the store reads here and writes with BsonBytesWriter.
    public const byte Double = 0x01;
    public const byte String = 0x02;
    public const byte Document = 0x03;
    public const byte Array = 0x04;
    public const byte Boolean = 0x08;
    public const byte DateTime = 0x09;
    public const byte Null = 0x0A;
    public const byte Int32 = 0x10;
    public const byte Int64 = 0x12;
    public const byte Decimal = 0x13;

    private readonly ReadOnlySpan<byte> _document;
    private int _at;

    /// <param name="document">A whole document or array: its int32 length, its elements, a 0.</param>
    public BsonElements(ReadOnlySpan<byte> document)
    {
        if (document.Length < 5 || BinaryPrimitives.ReadInt32LittleEndian(document) != document.Length || document[^1] != 0)
        {
            throw new FormatException("Not a BSON document.");
        }

        _document = document;
        _at = 4;
    }

    /// <summary>Where the element after <see cref="Current"/> begins (the first one's, before any <see cref="MoveNext"/>): an offset into the document.</summary>
    public readonly int Position => _at;

    /// <summary>The element <see cref="MoveNext"/> stopped at: its type, its name (UTF-8) and its value's bytes.</summary>
    public BsonElement Current { get; private set; }

    public readonly BsonElements GetEnumerator() => this;

    public bool MoveNext()
    {
        byte type = _document[_at];
        if (type == 0)
        {
            return false;
        }

        int nameStart = _at + 1;
        int nameLength = _document[nameStart..].IndexOf((byte)0);
        if (nameLength < 0)
        {
            throw new FormatException("A BSON element name has no end.");
        }

        int valueStart = nameStart + nameLength + 1;
        int valueLength = ValueLength(type, _document[valueStart..]);
        Current = new BsonElement(type, _document.Slice(nameStart, nameLength), _document.Slice(valueStart, valueLength));
        _at = valueStart + valueLength;
        return true;
    }

    /// <summary>
    /// The value of <paramref name="name"/> (ASCII, compared ignoring case as LiteDB's documents
    /// do), if the document has it; of a repeated name the last, as LiteDB's reader and the
    /// generated <c>FromBytes</c> keep it.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> document, string name, out BsonElement found)
    {
        found = default;
        bool any = false;
        foreach (BsonElement element in new BsonElements(document))
        {
            if (element.NameIs(name))
            {
                found = element;
                any = true;
            }
        }

        return any;
    }

    /// <summary>
    /// Whether two documents hold the same elements in the same order, byte for byte, but the one
    /// named <paramref name="ignored"/> at the top level. Both must come from one writer, which
    /// writes a resource's attributes in a fixed order: then the same content is the same bytes.
    /// </summary>
    public static bool SameExcept(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, string ignored)
    {
        var xs = new BsonElements(x);
        var ys = new BsonElements(y);
        while (true)
        {
            bool moreX = Next(ref xs, ignored);
            bool moreY = Next(ref ys, ignored);
            if (moreX != moreY)
            {
                return false;
            }

            if (!moreX)
            {
                return true;
            }

            BsonElement a = xs.Current, b = ys.Current;
            if (a.Type != b.Type || !a.Name.SequenceEqual(b.Name) || !a.Value.SequenceEqual(b.Value))
            {
                return false;
            }
        }

        static bool Next(ref BsonElements elements, string ignored)
        {
            while (elements.MoveNext())
            {
                if (!elements.Current.NameIs(ignored))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static int ValueLength(byte type, ReadOnlySpan<byte> value)
    {
        int length = type switch
        {
            0x01 or 0x09 or 0x11 or 0x12 => 8, // double, UTC datetime, timestamp, int64
            0x02 or 0x0D or 0x0E => 4 + Length(value), // string, JavaScript code, symbol
            0x03 or 0x04 => Length(value), // document, array
            0x05 => 5 + Length(value), // binary: length, subtype, bytes
            0x06 or 0x0A or 0x7F or 0xFF => 0, // undefined, null, max key, min key
            0x07 => 12, // ObjectId
            0x08 => 1, // boolean
            0x10 => 4, // int32
            0x13 => 16, // decimal
            _ => throw new FormatException($"BSON type 0x{type:X2} is not one the store writes."),
        };
        // value runs to the end of the enclosing document, whose terminating 0 must remain after it.
        if (length < 0 || length > value.Length - 1)
        {
            throw new FormatException("A BSON value runs past its document.");
        }

        return length;

        static int Length(ReadOnlySpan<byte> value) =>
            value.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(value) : throw new FormatException("A BSON length is cut short.");
    }
}

/// <summary>
/// One element of a BSON document (<see cref="BsonElements"/>). Its readers give what LiteDB 5's
/// <c>BsonSerializer.Deserialize</c> (<c>BufferReader.ReadElement</c>) and then <c>BsonValue</c>'s
/// <c>As…</c> properties give for it, so a resource read from bytes equals one read through a
/// <c>BsonDocument</c>; each checks the element's type first (check it before calling, as the
/// generated code does with <see cref="Type"/> and <see cref="IsNumber"/>).
/// </summary>
internal readonly ref struct BsonElement(byte type, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
{
    // LiteDB's StringEncoding.UTF8 throws on invalid bytes rather than reading U+FFFD; so does this reader.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // BufferReader maps these two millisecond counts to DateTime.MaxValue/MinValue (Kind Unspecified), not through the epoch.
    private const long MaxValueMilliseconds = 253402300800000;
    private const long MinValueMilliseconds = -62135596800000;

    public byte Type { get; } = type;

    /// <summary>The element's name, UTF-8, without its terminating 0.</summary>
    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>The value's bytes (for a document or an array, the whole nested document).</summary>
    public ReadOnlySpan<byte> Value { get; } = value;

    /// <summary>
    /// LiteDB's <c>BsonValue.IsNumber</c>: Int32, Int64, Double or Decimal, which SCIM integer and
    /// decimal attributes accept (read with <see cref="ToInt64"/>, <see cref="ToDecimal"/>).
    /// </summary>
    public bool IsNumber => Type is BsonElements.Int32 or BsonElements.Int64 or BsonElements.Double or BsonElements.Decimal;

    public bool NameIs(string name) => Ascii.EqualsIgnoreCase(Name, name);

    /// <summary>
    /// Whether the name is <paramref name="asciiName"/> ignoring case, as a LiteDB document's keys
    /// (OrdinalIgnoreCase) compare: no non-ASCII character is equal to an ASCII one that way, so an
    /// ASCII comparison of the bytes is exact.
    /// </summary>
    public bool NameIs(ReadOnlySpan<byte> asciiName) => Ascii.EqualsIgnoreCase(Name, asciiName);

    /// <summary>A string element's value.</summary>
    public string AsString()
    {
        if (Type != BsonElements.String || Value.Length < 5 || Value[^1] != 0)
        {
            throw new FormatException("Not a BSON string.");
        }

        return Utf8.GetString(Value[4..^1]);
    }

    /// <summary>
    /// A string element's value in <paramref name="mapping"/>'s case, as <c>ToUpperInvariant</c> or
    /// <c>ToLowerInvariant</c> of <see cref="AsString()"/> would give it, but as one string: an index
    /// key is made for every write, and the string decoded first would be thrown away at once.
    /// </summary>
    public string AsString(CaseMapping mapping)
    {
        if (mapping == CaseMapping.None)
        {
            return AsString();
        }

        if (Type != BsonElements.String || Value.Length < 5 || Value[^1] != 0)
        {
            throw new FormatException("Not a BSON string.");
        }

        ReadOnlySpan<byte> utf8 = Value[4..^1];
        int most = Utf8.GetMaxCharCount(utf8.Length);
        char[]? rented = most <= 256 ? null : ArrayPool<char>.Shared.Rent(2 * most);
        Span<char> buffer = rented ?? stackalloc char[512];
        try
        {
            // The mapping keeps the length: invariant casing maps a code point to one of the same UTF-16 length.
            int length = Utf8.GetChars(utf8, buffer);
            Span<char> chars = buffer[..length];
            Span<char> mapped = buffer.Slice(most, length);
            _ = mapping == CaseMapping.Upper ? chars.ToUpperInvariant(mapped) : chars.ToLowerInvariant(mapped);
            return new string(mapped);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A boolean: any byte but 0 is true (BufferReader.ReadBoolean).</summary>
    public bool AsBoolean() => Expect(BsonElements.Boolean)[0] != 0;

    /// <summary>
    /// A number as <c>BsonValue.AsInt64</c> gives it: <c>Convert.ToInt64</c> of the value, which
    /// rounds a double or decimal half to even and throws <see cref="OverflowException"/> past long's range.
    /// </summary>
    public long ToInt64() => Type switch
    {
        BsonElements.Int32 => BinaryPrimitives.ReadInt32LittleEndian(Value),
        BsonElements.Int64 => BinaryPrimitives.ReadInt64LittleEndian(Value),
        BsonElements.Double => Convert.ToInt64(BinaryPrimitives.ReadDoubleLittleEndian(Value)),
        BsonElements.Decimal => Convert.ToInt64(ReadDecimal(Value)),
        _ => throw new FormatException("Not a BSON number."),
    };

    /// <summary>A number as <c>BsonValue.AsDecimal</c> gives it: <c>Convert.ToDecimal</c> of the value.</summary>
    public decimal ToDecimal() => Type switch
    {
        BsonElements.Int32 => BinaryPrimitives.ReadInt32LittleEndian(Value),
        BsonElements.Int64 => BinaryPrimitives.ReadInt64LittleEndian(Value),
        BsonElements.Double => Convert.ToDecimal(BinaryPrimitives.ReadDoubleLittleEndian(Value)),
        BsonElements.Decimal => ReadDecimal(Value),
        _ => throw new FormatException("Not a BSON number."),
    };

    /// <summary>
    /// A UTC datetime as LiteDB reads it with <c>utcDate: true</c> (the tenant files are opened so,
    /// <see cref="LiteDb.LiteDbFile"/>): the epoch plus the milliseconds, in UTC, the two extremes
    /// mapped to MaxValue/MinValue. Not through local time: LiteDB's default reads a date as the
    /// machine's local time and rebuilds it from its fields, which forgets which of a repeated
    /// autumn hour it was, so a date stored in that hour read back an hour off.
    /// </summary>
    public DateTime AsDateTime()
    {
        long milliseconds = BinaryPrimitives.ReadInt64LittleEndian(Expect(BsonElements.DateTime));
        if (milliseconds == MaxValueMilliseconds)
        {
            return System.DateTime.MaxValue;
        }

        if (milliseconds == MinValueMilliseconds)
        {
            return System.DateTime.MinValue;
        }

        return UnixEpoch.AddMilliseconds(milliseconds);
    }

    private ReadOnlySpan<byte> Expect(byte type) =>
        Type == type ? Value : throw new FormatException($"Not a BSON value of type 0x{type:X2}.");

    // LiteDB's own Decimal: the four ints of decimal.GetBits (new decimal(int[]) throws on invalid flags, as LiteDB's does)
    private static decimal ReadDecimal(ReadOnlySpan<byte> value)
    {
        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(value[(i * 4)..]);
        }

        return new decimal(bits);
    }
}

/// <summary>The case an index key is read in: LiteDB's <c>UPPER</c> and <c>LOWER</c>, or as stored.</summary>
internal enum CaseMapping
{
    None,
    Upper,
    Lower,
}
