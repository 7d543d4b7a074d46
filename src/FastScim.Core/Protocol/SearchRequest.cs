using System.Globalization;
using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>
/// The parameters of a query (RFC 7644 §3.4.2) — from a GET's query string or from the body of a
/// POST to <c>.search</c> (§3.4.3, the SearchRequest message). Both end up here, so the two ways
/// of asking behave the same.
/// </summary>
public sealed record SearchRequest
{
    public string? Filter { get; init; }
    public string? SortBy { get; init; }

    /// <summary>True for "descending" (§3.4.2.3: "ascending" is the default).</summary>
    public bool Descending { get; init; }

    public Paging Paging { get; init; } = Paging.Parse(null, null);

    /// <summary>
    /// RFC 9865 §2: the <c>cursor</c> parameter. Null when absent (index paging); empty to start
    /// cursor paging; otherwise a <c>nextCursor</c> this server returned.
    /// </summary>
    public string? Cursor { get; init; }

    /// <summary>Whether the client named <c>startIndex</c> (which cannot be combined with <see cref="Cursor"/>).</summary>
    public bool HasStartIndex { get; init; }

    /// <summary>Comma-separated attribute names, as on the query string.</summary>
    public string? Attributes { get; init; }

    public string? ExcludedAttributes { get; init; }

    /// <summary>Builds the request from query parameters (a lookup by name, case-insensitive).</summary>
    public static SearchRequest FromQuery(Func<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new SearchRequest
        {
            Filter = query("filter"),
            SortBy = query("sortBy"),
            Descending = ParseSortOrder(query("sortOrder")),
            Paging = Paging.Parse(query("startIndex"), query("count")),
            Cursor = query("cursor"),
            HasStartIndex = !string.IsNullOrEmpty(query("startIndex")),
            Attributes = query("attributes"),
            ExcludedAttributes = query("excludedAttributes"),
        };
    }

    /// <summary>
    /// Reads a SearchRequest body (§3.4.3). "attributes" and "excludedAttributes" are arrays of
    /// strings there (a single string is accepted too); member names match case-insensitively.
    /// </summary>
    public static SearchRequest Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw ScimException.BadRequest(ScimType.InvalidSyntax, "A SearchRequest must be a JSON object (RFC 7644 §3.4.3).");
        }

        string? filter = null, sortBy = null, sortOrder = null, startIndex = null, count = null, attributes = null, excluded = null, cursor = null;
        var schemaOk = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = JsonText.Read(ref reader, "A SearchRequest member name", ScimType.InvalidSyntax);
            reader.Read();
            switch (name.ToUpperInvariant())
            {
                case "SCHEMAS":
                    schemaOk = ReadSchemas(ref reader);
                    break;
                case "FILTER":
                    filter = ReadString(ref reader, name);
                    break;
                case "SORTBY":
                    sortBy = ReadString(ref reader, name);
                    break;
                case "SORTORDER":
                    sortOrder = ReadString(ref reader, name);
                    break;
                case "STARTINDEX":
                    startIndex = ReadInteger(ref reader, name);
                    break;
                case "COUNT":
                    count = ReadInteger(ref reader, name);
                    break;
                case "CURSOR":
                    cursor = ReadString(ref reader, name);
                    break;
                case "ATTRIBUTES":
                    attributes = ReadNames(ref reader, name);
                    break;
                case "EXCLUDEDATTRIBUTES":
                    excluded = ReadNames(ref reader, name);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (!schemaOk)
        {
            throw ScimException.BadRequest(ScimType.InvalidSyntax, $"A SearchRequest's schemas must be [\"{SchemaUrns.SearchRequest}\"].");
        }

        return new SearchRequest
        {
            Filter = filter,
            SortBy = sortBy,
            Descending = ParseSortOrder(sortOrder),
            Paging = Paging.Parse(startIndex, count),
            Cursor = cursor,
            HasStartIndex = !string.IsNullOrEmpty(startIndex),
            Attributes = attributes,
            ExcludedAttributes = excluded,
        };
    }

    private static bool ParseSortOrder(string? order) => order switch
    {
        null or "" => false,
        _ when order.Equals("ascending", StringComparison.OrdinalIgnoreCase) => false,
        _ when order.Equals("descending", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw ScimException.BadRequest(ScimType.InvalidValue, $"sortOrder must be 'ascending' or 'descending', not '{order}'."),
    };

    private static bool ReadSchemas(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        var found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            found |= reader.TokenType == JsonTokenType.String && string.Equals(JsonText.TryRead(ref reader), SchemaUrns.SearchRequest, StringComparison.OrdinalIgnoreCase);
        }

        return found;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => JsonText.Read(ref reader, $"The SearchRequest's '{name}'"),
        JsonTokenType.Null => null,
        _ => throw ScimException.BadRequest(ScimType.InvalidValue, $"The SearchRequest's '{name}' must be a string."),
    };

    private static string? ReadInteger(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.String => JsonText.Read(ref reader, $"The SearchRequest's '{name}'"),
        JsonTokenType.Null => null,
        _ => throw ScimException.BadRequest(ScimType.InvalidValue, $"The SearchRequest's '{name}' must be an integer."),
    };

    private static string? ReadNames(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return JsonText.Read(ref reader, $"The SearchRequest's '{name}'");
            case JsonTokenType.StartArray:
                var names = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    names.Add(reader.TokenType == JsonTokenType.String
                        ? JsonText.Read(ref reader, $"The SearchRequest's '{name}'")
                        : throw ScimException.BadRequest(ScimType.InvalidValue, $"The SearchRequest's '{name}' must be an array of strings."));
                }

                return string.Join(',', names);
            default:
                throw ScimException.BadRequest(ScimType.InvalidValue, $"The SearchRequest's '{name}' must be an array of strings.");
        }
    }
}
