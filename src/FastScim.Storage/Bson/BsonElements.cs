using System.Buffers.Binary;
using System.Text;

namespace FastScim.Storage.Bson;

/// <summary>
/// Reads a BSON document's bytes (bsonspec.org, version 1.1) element by element, without making a
/// LiteDB <c>BsonDocument</c>: the writer reads a resource's index keys and compares two versions
/// from the bytes it stores for them (<see cref="LiteDb.ResourceLog"/>), so a write maps the
/// resource once. The bytes are LiteDB's own or written the same way; anything malformed throws
/// <see cref="FormatException"/>.
/// </summary>
internal ref struct BsonElements
{
    public const byte Double = 0x01;
    public const byte String = 0x02;
    public const byte Document = 0x03;
    public const byte Array = 0x04;

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

    /// <summary>The value of <paramref name="name"/> (ASCII, compared ignoring case as LiteDB's documents do), if the document has it.</summary>
    public static bool TryFind(ReadOnlySpan<byte> document, string name, out BsonElement found)
    {
        foreach (BsonElement element in new BsonElements(document))
        {
            if (element.NameIs(name))
            {
                found = element;
                return true;
            }
        }

        found = default;
        return false;
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
            0x02 or 0x0D or 0x0E => 4 + Int32(value), // string, JavaScript code, symbol
            0x03 or 0x04 => Int32(value), // document, array
            0x05 => 5 + Int32(value), // binary: length, subtype, bytes
            0x06 or 0x0A or 0x7F or 0xFF => 0, // undefined, null, max key, min key
            0x07 => 12, // ObjectId
            0x08 => 1, // boolean
            0x10 => 4, // int32
            0x13 => 16, // decimal
            _ => throw new FormatException($"BSON type 0x{type:X2} is not one the store writes."),
        };
        if (length < 0 || length > value.Length)
        {
            throw new FormatException("A BSON value runs past its document.");
        }

        return length;

        static int Int32(ReadOnlySpan<byte> value) =>
            value.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(value) : throw new FormatException("A BSON length is cut short.");
    }
}

/// <summary>One element of a BSON document (<see cref="BsonElements"/>).</summary>
internal readonly ref struct BsonElement(byte type, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
{
    public byte Type { get; } = type;

    /// <summary>The element's name, UTF-8, without its terminating 0.</summary>
    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>The value's bytes (for a document or an array, the whole nested document).</summary>
    public ReadOnlySpan<byte> Value { get; } = value;

    public bool NameIs(string name) => Ascii.EqualsIgnoreCase(Name, name);

    /// <summary>A string element's value.</summary>
    public string AsString()
    {
        if (Type != BsonElements.String || Value.Length < 5 || Value[^1] != 0)
        {
            throw new FormatException("Not a BSON string.");
        }

        return Encoding.UTF8.GetString(Value[4..^1]);
    }
}
