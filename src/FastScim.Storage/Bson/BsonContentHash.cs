using System.Buffers;
using System.IO.Hashing;

namespace FastScim.Storage.Bson;

/// <summary>
/// A hash of what <see cref="BsonElements.SameExcept"/> compares: every top-level element but the
/// one named <c>ignored</c>, as its bytes run one after another. Two documents that are the same
/// to <see cref="BsonElements.SameExcept"/> hash alike, so a different hash tells a changed document
/// without the other's bytes; an equal one proves nothing (the store's use: ResourceCodec.ContentHash).
/// </summary>
/// <remarks>
/// XxHash3 (System.IO.Hashing) over the elements copied together: HashCode fed 4 bytes at a time was
/// 0.7% of POST's samples (issue 7). Apart from <see cref="BsonElements"/>, which the generator's
/// tests compile with the generated readers, without this package.
/// </remarks>
internal static class BsonContentHash
{
    public static int Except(ReadOnlySpan<byte> document, string ignored)
    {
        byte[]? rented = null;
        Span<byte> kept = document.Length <= 2048 ? stackalloc byte[2048] : (rented = ArrayPool<byte>.Shared.Rent(document.Length));
        int length = 0;
        var elements = new BsonElements(document);
        int start = elements.Position;
        while (elements.MoveNext())
        {
            int end = elements.Position;
            if (!elements.Current.NameIs(ignored))
            {
                document[start..end].CopyTo(kept[length..]);
                length += end - start;
            }

            start = end;
        }

        ulong hash = XxHash3.HashToUInt64(kept[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return (int)hash ^ (int)(hash >> 32);
    }
}
