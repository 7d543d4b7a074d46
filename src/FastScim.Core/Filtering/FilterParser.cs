using FastScim.Core.Compatibility;
using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>Parses the "filter" query parameter and search attribute (RFC 7644 §3.4.2.2).</summary>
public static class FilterParser
{
    /// <summary>
    /// Parses <paramref name="filter"/> into its syntax tree. Attribute names, operators and
    /// keywords are case-insensitive; names keep the client's spelling.
    /// </summary>
    /// <exception cref="ScimException">400 invalidFilter naming the 1-based position and what was
    /// expected, also when the text is longer or nests deeper than <paramref name="options"/> allow.</exception>
    /// <remarks>The lenient readings it needs are applied for the current request (<see cref="Tolerance.Use"/>).</remarks>
    public static FilterNode Parse(string filter, FilterParserOptions? options = null)
    {
        var node = Parse(filter, options, out var tolerated);
        Tolerance.Use(tolerated);
        return node;
    }

    /// <summary>Parses <paramref name="filter"/> and says which lenient readings it needed, for a cache to apply on every use.</summary>
    public static FilterNode Parse(string filter, FilterParserOptions? options, out ToleranceRule tolerated)
    {
        ArgumentNullException.ThrowIfNull(filter);
        options ??= FilterParserOptions.Default;
        CheckLength(filter.Length, options, ScimType.InvalidFilter, "filter");
        return FilterGrammar.Parse(filter, 0, filter.Length, valueFilter: false, options, out tolerated);
    }

    /// <summary>Parses text[start..end) as the valFilter of a value path: relative attribute paths, no nested value path.</summary>
    internal static FilterNode ParseValueFilter(string text, int start, int end, FilterParserOptions options)
    {
        var node = FilterGrammar.Parse(text, start, end, valueFilter: true, options, out var tolerated);
        Tolerance.Use(tolerated);
        return node;
    }

    internal static void CheckLength(int length, FilterParserOptions options, ScimType errorType, string what)
    {
        if (length > options.MaxLength)
        {
            FilterErrors.Throw(errorType, $"The {what} is {length} characters long; at most {options.MaxLength} are accepted.");
        }
    }
}
