using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FastScim.Core.Protocol;

/// <summary>
/// The opaque cursor of RFC 9865 §2: base64url (only RFC 3986 §2.3 unreserved characters) of
/// 21 bytes: a version byte, the creation sequence (<c>_seq</c>) of the last resource returned
/// (big-endian int64), 8 bytes of SHA-256 over the query the cursor belongs to (resource type,
/// filter, sortBy, sortOrder), and 4 bytes of SHA-256 over those 17, so that a cursor that was
/// altered or truncated is refused. The cursor holds a position, never a result set: nothing is
/// kept on the server, so a cursor never expires and grants nothing a fresh query would not.
/// </summary>
public static class PageCursor
{
    public const byte CurrentVersion = 1;

    private const int PayloadLength = 1 + 8 + 8;
    private const int CheckLength = 4;
    private const int TotalLength = PayloadLength + CheckLength;

    /// <summary>A fingerprint of what a cursor's query returns; a cursor only continues the query it came from.</summary>
    public static ulong QueryHash(string resourceType, string? filter, string? sortBy, bool descending)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var text = string.Join('\u001f', resourceType, filter ?? "\u0000", sortBy ?? "\u0000", descending ? "d" : "a");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    public static string Encode(long afterSequence, ulong queryHash)
    {
        Span<byte> bytes = stackalloc byte[TotalLength];
        bytes[0] = CurrentVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], afterSequence);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[9..], queryHash);
        Check(bytes[..PayloadLength], bytes[PayloadLength..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// The creation sequence after which the next page starts: 0 for the empty cursor (the first
    /// page, RFC 9865 §2). Throws 400 <c>invalidCursor</c> (§2.1) for a cursor that this server
    /// did not issue, that was altered, or that belongs to another query.
    /// </summary>
    public static long Decode(string cursor, ulong queryHash)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Length == 0)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[TotalLength + 3];
        if (!TryFromBase64Url(cursor, bytes, out var written) || written != TotalLength)
        {
            throw Invalid("it is not a cursor this server issued");
        }

        Span<byte> check = stackalloc byte[CheckLength];
        Check(bytes[..PayloadLength], check);
        if (!check.SequenceEqual(bytes.Slice(PayloadLength, CheckLength)))
        {
            throw Invalid("it was altered");
        }

        if (bytes[0] != CurrentVersion)
        {
            throw Invalid("its version is unknown");
        }

        var sequence = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (sequence < 0)
        {
            throw Invalid("it was altered");
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes[9..]) != queryHash)
        {
            throw Invalid("it belongs to another query: every page must repeat the first request's filter, sortBy and sortOrder on the same endpoint (RFC 9865 §2)");
        }

        return sequence;
    }

    private static void Check(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        hash[..CheckLength].CopyTo(destination);
    }

    private static bool TryFromBase64Url(string text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length > 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        // Not Base64Url.TryDecodeFromChars: it throws FormatException on malformed input (a bad
        // length), where a client's garbage must become 400 invalidCursor.
        var padded = text.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (text.Length % 4)) % 4);
        return Convert.TryFromBase64String(padded, destination, out written);
    }

    private static ScimException Invalid(string why) =>
        ScimException.BadRequest(ScimType.InvalidCursor, $"The cursor is invalid: {why}. Send an empty cursor to start again from the first page.");
}
