using FastScim.Core.Protocol;

namespace FastScim.Core.Filtering;

/// <summary>
/// Parses the "path" of a PATCH operation, RFC 7644 §3.5.2 (Figure 7):
/// <c>PATH = attrPath / valuePath [subAttr]</c>, e.g. <c>members</c>, <c>name.givenName</c>,
/// <c>emails[type eq "work"].value</c>, <c>members[value eq "2819c223"]</c>,
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value</c>.
/// </summary>
/// <remarks>
/// Errors: a malformed path (empty, bad attribute name, '[' not closed, text after ']' that is
/// not ".subAttr") is 400 invalidPath — Table 9 of RFC 7644 §3.12: "The "path" attribute was
/// invalid or malformed (see Figure 7)". A malformed filter between the brackets is 400
/// invalidFilter, because Table 9 lists invalidFilter as applicable to "PATCH (Path Filter -
/// Section 3.5.2)". Positions are 1-based within the whole path.
/// </remarks>
public static class PatchPathParser
{
    private const ScimType Error = ScimType.InvalidPath;

    public static PatchPath Parse(string path, FilterParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= FilterParserOptions.Default;
        if (path.Length == 0)
        {
            FilterErrors.Throw(Error, "The PATCH path is empty; expected an attribute path at position 1.");
        }

        FilterParser.CheckLength(path.Length, options, Error, "PATCH path");
        var open = path.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return new PatchPath(AttributePathParser.Parse(path, 0, path.Length, bareName: false, Error), null, null);
        }

        var attribute = AttributePathParser.Parse(path, 0, open, bareName: false, Error);
        if (attribute.SubAttribute is not null)
        {
            // valuePath = attrPath "[" valFilter "]" names a multi-valued attribute; a sub-attribute
            // never is one (RFC 7643 §2.3.8).
            FilterErrors.Throw(Error, $"A value filter applies to a multi-valued attribute, not a sub-attribute; unexpected '[' at position {open + 1}.");
        }

        var close = FindClose(path, open);
        if (close < 0)
        {
            FilterErrors.Throw(Error, $"The '[' at position {open + 1} is not closed with ']'.");
        }

        var filter = FilterParser.ParseValueFilter(path, open + 1, close, options);
        var rest = close + 1;
        if (rest == path.Length)
        {
            return new PatchPath(attribute, filter, null);
        }

        if (path[rest] != '.')
        {
            FilterErrors.Throw(Error, $"Expected '.' and a sub-attribute, or the end of the path, at position {rest + 1}, found \"{path[rest]}\".");
        }

        // subAttr = "." ATTRNAME: exactly one name, so "].value.x" fails on the second '.'.
        var name = AttributePathParser.ParseName(path, rest + 1, path.Length - rest - 1, Error);
        return new PatchPath(attribute, filter, name);
    }

    // The first ']' outside a JSON string; a ']' inside "…" belongs to a value.
    private static int FindClose(string path, int open)
    {
        var inString = false;
        for (var i = open + 1; i < path.Length; i++)
        {
            var c = path[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        return -1;
    }
}
