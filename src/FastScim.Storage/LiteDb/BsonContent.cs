using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// Whether two stored documents hold the same content: the writer's test of whether a write
/// changes a resource, and so whether its version moves (RFC 7644 §3.14). Values compare by BSON
/// type and exactly — strings ordinally, so a change of case is a change — without writing either
/// document out (LiteDB's own comparison applies its collation, which ignores case).
/// </summary>
internal static class BsonContent
{
    /// <summary>Same keys (but <paramref name="ignoredKey"/>, at the top level) with the same values, in any order.</summary>
    public static bool Same(BsonDocument x, BsonDocument y, string ignoredKey) =>
        CountWithout(x, ignoredKey) == CountWithout(y, ignoredKey) && SameValues(x, y, ignoredKey);

    private static int CountWithout(BsonDocument document, string ignoredKey) =>
        document.Count - (document.ContainsKey(ignoredKey) ? 1 : 0);

    private static bool SameValues(BsonDocument x, BsonDocument y, string? ignoredKey)
    {
        foreach (var (key, value) in x)
        {
            if (key == ignoredKey)
            {
                continue;
            }

            if (!y.TryGetValue(key, out BsonValue? other) || !Same(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(BsonValue x, BsonValue y)
    {
        if (x.Type != y.Type)
        {
            return false;
        }

        switch (x.Type)
        {
            case BsonType.Document:
                return x.AsDocument.Count == y.AsDocument.Count && SameValues(x.AsDocument, y.AsDocument, ignoredKey: null);
            case BsonType.Array:
                BsonArray xs = x.AsArray, ys = y.AsArray;
                if (xs.Count != ys.Count)
                {
                    return false;
                }

                for (int i = 0; i < xs.Count; i++)
                {
                    if (!Same(xs[i], ys[i]))
                    {
                        return false;
                    }
                }

                return true;
            case BsonType.String:
                return string.Equals(x.AsString, y.AsString, StringComparison.Ordinal);
            case BsonType.Binary:
                return x.AsBinary.AsSpan().SequenceEqual(y.AsBinary);
            default:
                return Equals(x.RawValue, y.RawValue);
        }
    }
}
