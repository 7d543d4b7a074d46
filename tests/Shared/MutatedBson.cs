using LiteDB;

namespace FastScim.Tests.Shared;

/// <summary>
/// Seeded random rewrites of a stored resource's document into bytes an older or careless writer
/// could have left: keys dropped, added (<c>_seq</c>, unknown ones), re-cased, reordered and
/// repeated; values swapped for other BSON types (numbers of every width, strings for booleans,
/// null, documents where strings go, arrays of mixed items, binary, extremes of dates). The reader
/// under test must make of these bytes what <c>FromDocument(BsonSerializer.Deserialize(bytes))</c> makes.
/// Compiled into each test project that needs it (a linked Compile item).
/// </summary>
internal sealed class MutatedBson(int seed)
{
    private static readonly string[] Keys = ["value", "type", "primary", "display", "userName", "active", "_id", "members", "created"];

    private readonly Random _random = new(seed);

    /// <summary>The mutated document's bytes, as LiteDB serialises it; now and then with repeated keys spliced in.</summary>
    public byte[] Mutate(BsonDocument document)
    {
        BsonDocument mutated = Document(document, depth: 0);
        byte[] bytes = BsonSerializer.Serialize(mutated);
        if (_random.Next(3) == 0)
        {
            // No BsonDocument holds a key twice (its keys ignore case), so a second document's elements are
            // appended to the first's: the keys repeat, under another case or not, with other values.
            var repeats = new BsonDocument();
            foreach (var key in mutated.Keys.OrderBy(_ => _random.Next()).Take(_random.Next(1, 4)))
            {
                repeats[_random.Next(2) == 0 ? key : Recase(key)] = _random.Next(2) == 0 ? Other(1) : Value(mutated[key], 1);
            }

            bytes = Splice(bytes, BsonSerializer.Serialize(repeats));
        }

        return bytes;
    }

    /// <summary>One document holding <paramref name="first"/>'s elements, then <paramref name="second"/>'s.</summary>
    public static byte[] Splice(byte[] first, byte[] second)
    {
        var bytes = new byte[first.Length + second.Length - 5];
        BitConverter.TryWriteBytes(bytes, bytes.Length);
        first.AsSpan(4, first.Length - 5).CopyTo(bytes.AsSpan(4));
        second.AsSpan(4, second.Length - 5).CopyTo(bytes.AsSpan(first.Length - 1));
        return bytes;
    }

    private BsonDocument Document(BsonDocument document, int depth)
    {
        var entries = new List<(string Key, BsonValue Value)>();
        foreach (var (key, value) in document)
        {
            switch (_random.Next(12))
            {
                case 0:
                    break; // dropped
                case 1:
                case 2:
                    entries.Add((key, Other(depth + 1)));
                    break;
                case 3:
                    entries.Add((Recase(key), Value(value, depth + 1)));
                    break;
                default:
                    entries.Add((key, Value(value, depth + 1)));
                    break;
            }
        }

        if (_random.Next(3) == 0)
        {
            entries.Add(("_seq", (long)_random.Next()));
        }

        if (_random.Next(3) == 0)
        {
            entries.Add(("unknown" + _random.Next(3), Other(depth + 1)));
        }

        if (_random.Next(2) == 0)
        {
            entries = [.. entries.OrderBy(_ => _random.Next())];
        }

        var rebuilt = new BsonDocument();
        foreach (var (key, value) in entries)
        {
            rebuilt[key] = value;
        }

        return rebuilt;
    }

    // the value itself, mutated inside, or the same number in another width
    private BsonValue Value(BsonValue value, int depth)
    {
        if (value.IsDocument)
        {
            return Document(value.AsDocument, depth);
        }

        if (value.IsArray)
        {
            var array = new BsonArray();
            foreach (var item in value.AsArray)
            {
                if (_random.Next(6) == 0)
                {
                    array.Add(Other(depth + 1));
                }

                if (_random.Next(10) != 0)
                {
                    array.Add(Value(item, depth + 1));
                }
            }

            return array;
        }

        if ((value.IsInt32 || value.IsInt64 || value.IsDecimal) && _random.Next(2) == 0)
        {
            var number = value.AsDecimal;
            return _random.Next(3) switch
            {
                0 when number >= int.MinValue && number <= int.MaxValue => new BsonValue((int)number),
                1 => new BsonValue((double)number),
                _ => new BsonValue(number),
            };
        }

        return value;
    }

    private BsonValue Other(int depth) => _random.Next(depth > 3 ? 14 : 17) switch
    {
        0 => BsonValue.Null,
        1 => new BsonValue(_random.Next(-3, 3)),
        2 => new BsonValue(_random.Next(int.MinValue, int.MaxValue)),
        3 => new BsonValue(_random.NextInt64(long.MinValue, long.MaxValue)),
        4 => new BsonValue(Doubles[_random.Next(Doubles.Length)]),
        5 => new BsonValue(new decimal(_random.Next(), _random.Next(3) == 0 ? _random.Next() : 0, _random.Next(5) == 0 ? _random.Next() : 0, _random.Next(2) == 0, (byte)_random.Next(29))),
        6 => new BsonValue(_random.Next(2) == 0 ? "true" : "x"),
        7 => new BsonValue(_random.Next(2) == 0),
        8 => new BsonValue(Date()),
        9 => new BsonValue(new byte[] { 1, 2, 3 }),
        10 => new BsonValue(Guid.NewGuid()),
        11 => new BsonValue(ObjectId.NewObjectId()),
        12 => _random.Next(2) == 0 ? BsonValue.MinValue : BsonValue.MaxValue,
        13 => new BsonValue("2026-01-02T03:04:05Z"),
        14 => SmallDocument(depth),
        15 => MixedArray(depth),
        _ => new BsonArray(),
    };

    private static readonly double[] Doubles = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 3.49999, 1e15 + 0.5, 9.2233720368547758E+18, -9.2233720368547758E+18, 1e30, double.NaN, double.PositiveInfinity, 1e-30, 123.456];

    private BsonDocument SmallDocument(int depth)
    {
        var document = new BsonDocument();
        for (var i = _random.Next(4); i > 0; i--)
        {
            document[Keys[_random.Next(Keys.Length)]] = _random.Next(3) == 0 ? new BsonValue("s" + i) : Other(depth + 1);
        }

        return document;
    }

    private BsonArray MixedArray(int depth)
    {
        var array = new BsonArray();
        for (var i = _random.Next(5); i > 0; i--)
        {
            array.Add(_random.Next(3) == 0 ? new BsonValue("item" + i) : Other(depth + 1));
        }

        return array;
    }

    /// <summary>Any millisecond of DateTime's range, its extremes and the dates beside them, in UTC.</summary>
    private DateTime Date()
    {
        long ticks = _random.Next(5) switch
        {
            0 => 0,
            1 => DateTime.MaxValue.Ticks,
            2 => DateTime.MaxValue.Ticks - (_random.Next(1, 20) * TimeSpan.TicksPerHour),
            3 => _random.Next(1, 20) * TimeSpan.TicksPerHour,
            _ => _random.NextInt64(DateTime.MaxValue.Ticks),
        };
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    // "_id" keeps its case: LiteDB's serialiser counts a re-cased one apart from "_id" and then fails to write the document.
    private string Recase(string key) => key == "_id" ? key :
        string.Concat(key.Select(c => _random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));
}
