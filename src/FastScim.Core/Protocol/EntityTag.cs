using System.Globalization;

namespace FastScim.Core.Protocol;

/// <summary>
/// Resource versions as weak entity tags (RFC 7644 §3.14: meta.version is the ETag;
/// RFC 9110 §8.8.3). A version is <c>W/"n"</c>, n counting the resource's modifications.
/// </summary>
public static class EntityTag
{
    public const string First = "W/\"1\"";

    /// <summary>The version after <paramref name="current"/>.</summary>
    public static string Next(string? current)
    {
        long number = 0;
        if (current is not null)
        {
            var inner = Opaque(current);
            _ = long.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        }

        return string.Create(CultureInfo.InvariantCulture, $"W/\"{number + 1}\"");
    }

    /// <summary>
    /// True when an If-Match / If-None-Match header value names <paramref name="version"/>:
    /// "*" (any current version), or a comma-separated list of tags compared weakly (RFC 9110 §13.1.1–2).
    /// </summary>
    public static bool Matches(string header, string? version)
    {
        if (version is null)
        {
            return false;
        }

        var wanted = Opaque(version);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "*" || Opaque(part).SequenceEqual(wanted))
            {
                return true;
            }
        }

        return false;
    }

    // W/"3" and "3" name the same opaque tag under weak comparison.
    private static ReadOnlySpan<char> Opaque(string tag)
    {
        var span = tag.AsSpan().Trim();
        if (span.StartsWith("W/", StringComparison.Ordinal))
        {
            span = span[2..];
        }

        return span.Length >= 2 && span[0] == '"' && span[^1] == '"' ? span[1..^1] : span;
    }
}
