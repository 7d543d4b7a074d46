using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>
/// Reads <c>attrPath = [URI ":"] ATTRNAME *1subAttr</c> (RFC 7644 §3.4.2.2, Figure 1). The URI
/// is everything up to the LAST ':' — schema URNs contain '.' ("…:core:2.0:User"), so the dot of
/// a sub-attribute is looked for only after that colon.
/// </summary>
internal static class AttributePathParser
{
    /// <param name="input">The whole text, for positions.</param>
    /// <param name="start">Offset of the path's first character.</param>
    /// <param name="length">Length of the path.</param>
    /// <param name="bareName">True inside a value filter, whose paths name one sub-attribute of
    /// the value (RFC 7644 §3.4.2.2: "FILTER uses sub-attributes of a parent attrPath"): no URI and
    /// no further sub-attribute, since sub-attributes have none (RFC 7643 §2.3.8).</param>
    /// <param name="errorType">invalidFilter in filters, invalidPath in PATCH paths.</param>
    public static AttributePath Parse(ReadOnlySpan<char> input, int start, int length, bool bareName, ScimType errorType)
    {
        var text = input.Slice(start, length);
        var colon = text.LastIndexOf(':');
        string? urn = null;
        if (colon >= 0)
        {
            if (bareName)
            {
                FilterErrors.Throw(errorType, $"A path inside '[ ]' names a sub-attribute and takes no schema URI, at position {start + 1}.");
            }

            if (colon == 0)
            {
                FilterErrors.Throw(errorType, $"Expected a schema URI before ':' at position {start + 1}.");
            }

            urn = text[..colon].ToString();
        }

        var nameStart = colon + 1;
        var rest = text[nameStart..];
        var dot = rest.IndexOf('.');
        var nameLength = dot < 0 ? rest.Length : dot;
        CheckName(input, start + nameStart, nameLength, errorType);
        var name = rest[..nameLength].ToString();
        if (dot < 0)
        {
            return new AttributePath(urn, name, null);
        }

        if (bareName)
        {
            FilterErrors.Throw(errorType, $"A path inside '[ ]' names one sub-attribute; unexpected '.' at position {start + nameStart + dot + 1}.");
        }

        var sub = rest[(dot + 1)..];
        var subStart = start + nameStart + dot + 1;
        var second = sub.IndexOf('.');
        if (second >= 0)
        {
            FilterErrors.Throw(errorType, $"An attribute path has at most one sub-attribute (RFC 7643 §2.3.8); unexpected '.' at position {subStart + second + 1}.");
        }

        CheckName(input, subStart, sub.Length, errorType);
        return new AttributePath(urn, name, sub.ToString());
    }

    /// <summary>Reads one ATTRNAME (used for the subAttr after "]." in PATCH paths).</summary>
    public static string ParseName(ReadOnlySpan<char> input, int start, int length, ScimType errorType)
    {
        CheckName(input, start, length, errorType);
        return input.Slice(start, length).ToString();
    }

    // ATTRNAME = ALPHA *(nameChar); nameChar = "-" / "_" / DIGIT / ALPHA (RFC 7643 §2.1).
    // "$ref" is the one name RFC 7643 itself defines outside that rule (§2.3.7, §4.1.2).
    private static void CheckName(ReadOnlySpan<char> input, int start, int length, ScimType errorType)
    {
        var name = input.Slice(start, length);
        if (name.Length == 0)
        {
            var found = start < input.Length ? $"\"{input[start]}\"" : "the end";
            FilterErrors.Throw(errorType, $"Expected an attribute name at position {start + 1}, found {found}.");
        }

        if (name.Equals("$ref", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            FilterErrors.Throw(errorType, $"An attribute name starts with a letter (RFC 7643 §2.1), at position {start + 1}, found \"{name[0]}\".");
        }

        for (var i = 1; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                FilterErrors.Throw(errorType, $"An attribute name has only letters, digits, '-' and '_' (RFC 7643 §2.1), at position {start + i + 1}, found \"{c}\".");
            }
        }
    }
}
