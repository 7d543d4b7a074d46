using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FastScim.Core.Security;

/// <summary>
/// The stored form of the write-only "password" attribute (RFC 7643 §4.1.1: "the cleartext
/// value … MUST NOT be returned"; the server keeps only a salted, deliberately slow hash).
/// Format: <c>$pbkdf2-sha256$ITERATIONS$SALT$HASH</c> with base64 salt and hash.
/// </summary>
public static class PasswordHash
{
    /// <summary>OWASP's Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The lowest work factor accepted: NIST SP 800-132 asks for at least 1,000; we ask for far more.</summary>
    public const int MinimumIterations = 10_000;

    private static int iterations = DefaultIterations;

    /// <summary>
    /// The work factor of new hashes (set at start-up: <c>fastscim serve --password-iterations</c>).
    /// Each hash stores its own count, so raising it later keeps old hashes verifiable.
    /// </summary>
    public static int Iterations
    {
        get => iterations;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinimumIterations);
            iterations = value;
        }
    }
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const string Prefix = "$pbkdf2-sha256$";

    public static string Hash(string password)
    {
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[HashSize];
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, hash, Iterations, HashAlgorithmName.SHA256);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="stored"/> is already a hash this class produced.</summary>
    public static bool IsHash(string? stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool Verify(string password, string stored)
    {
        if (!IsHash(stored))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1)
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            expected = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
