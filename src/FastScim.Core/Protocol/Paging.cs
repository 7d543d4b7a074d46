namespace FastScim.Core.Protocol;

/// <summary>The pagination parameters of a query, normalised per RFC 7644 §3.4.2.4.</summary>
public readonly record struct Paging(int StartIndex, int Count)
{
    public const int DefaultCount = 100;
    public const int MaxResults = 200;

    /// <summary>0-based number of resources to skip.</summary>
    public int Skip => StartIndex - 1;

    /// <summary>
    /// "startIndex" below 1 is interpreted as 1; a negative "count" as 0; a count over the
    /// service provider's maximum is clamped, not rejected (§3.4.2.4). A value that is not an
    /// integer is a 400 invalidValue.
    /// </summary>
    public static Paging Parse(string? startIndex, string? count)
    {
        var start = ParseInteger(startIndex, "startIndex", 1);
        var size = ParseInteger(count, "count", DefaultCount);
        return new Paging(start < 1 ? 1 : (int)Math.Min(start, int.MaxValue), (int)Math.Clamp(size, 0, MaxResults));
    }

    private static long ParseInteger(string? text, string name, long fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            throw ScimException.BadRequest(ScimType.InvalidValue, $"The query parameter '{name}' must be an integer, not '{text}'.");
        }

        return value;
    }
}
