using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FastScim.Storage.Tenancy;

/// <summary>
/// Bearer tokens: <c>scim_</c> followed by 32 random bytes in unpadded base64url (48 characters
/// in all). Only the SHA-256 hash of a token is ever stored; the first
/// <see cref="DisplayPrefixLength"/> characters are kept in clear so an operator can tell
/// tokens apart and revoke one (<c>token revoke NAME PREFIX</c>).
/// </summary>
public static class AccessToken
{
    public const string Scheme = "scim_";
    public const int RandomByteCount = 32;

    /// <summary>Length of a token made by <see cref="Create"/>: the scheme plus 43 base64url characters.</summary>
    public static readonly int Length = Scheme.Length + Base64Url.GetEncodedLength(RandomByteCount);

    /// <summary>"scim_" and 7 random characters (42 bits): enough to tell a tenant's tokens apart, useless for guessing.</summary>
    public const int DisplayPrefixLength = 12;

    public const int HashLength = SHA256.HashSizeInBytes;

    /// <summary>Longest bearer value worth hashing; anything longer cannot be one of ours.</summary>
    public const int MaxLength = 256;

    /// <summary>A new random token. Shown to its owner once; never stored.</summary>
    public static string Create()
    {
        return string.Create(Length, 0, (chars, _) =>
        {
            Scheme.AsSpan().CopyTo(chars);
            Span<byte> bytes = stackalloc byte[RandomByteCount];
            RandomNumberGenerator.Fill(bytes);
            Base64Url.EncodeToChars(bytes, chars[Scheme.Length..]);
            CryptographicOperations.ZeroMemory(bytes);
        });
    }

    /// <summary>The part of a token shown in listings and used to revoke it.</summary>
    public static string DisplayPrefix(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length <= DisplayPrefixLength ? token : token[..DisplayPrefixLength];
    }

    /// <summary>
    /// Writes the SHA-256 of the token's UTF-8 bytes into <paramref name="hash"/>. Returns false,
    /// without hashing, when the token is empty or longer than <see cref="MaxLength"/>.
    /// </summary>
    public static bool TryHash(ReadOnlySpan<char> token, Span<byte> hash)
    {
        if (token.IsEmpty || token.Length > MaxLength || hash.Length < HashLength)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[MaxLength * 3];
        int written = Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8[..written], hash);
        return true;
    }

    /// <summary>The SHA-256 of a token, as stored.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        byte[] hash = new byte[HashLength];
        if (!TryHash(token, hash))
        {
            throw new ArgumentException("The token is empty or too long.", nameof(token));
        }

        return hash;
    }
}
