using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FastScim.Storage.Tenancy;

/// <summary>
/// The rule for tenant names: <c>[a-z0-9][a-z0-9-]{0,62}</c>. A name appears in URLs
/// (<c>/t/{tenant}/…</c>) and as a file name (<c>tenants/{tenant}.db</c>), so it is kept to
/// characters that are safe in both, with no dots and no path separators.
/// </summary>
public static class TenantName
{
    public const int MaxLength = 63;

    /// <summary>True when <paramref name="name"/> is a valid tenant name.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength || !IsLowerAlphanumeric(name[0]))
        {
            return false;
        }

        foreach (char c in name[1..])
        {
            if (!IsLowerAlphanumeric(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a message saying what is allowed when the name is invalid.</summary>
    public static void Validate([NotNull] string? name, [CallerArgumentExpression(nameof(name))] string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid tenant name: use 1 to {MaxLength} characters from a-z, 0-9 and '-', starting with a letter or digit.",
                parameterName);
        }
    }

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
