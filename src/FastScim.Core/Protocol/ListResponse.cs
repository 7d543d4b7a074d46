using System.Text.Json;

namespace FastScim.Core.Protocol;

/// <summary>Writes a ListResponse (RFC 7644 §3.4.2).</summary>
public static class ListResponse
{
    private static readonly JsonEncodedText Schemas = JsonEncodedText.Encode("schemas");
    private static readonly JsonEncodedText ListResponseUrn = JsonEncodedText.Encode(SchemaUrns.ListResponse);
    private static readonly JsonEncodedText TotalResults = JsonEncodedText.Encode("totalResults");
    private static readonly JsonEncodedText StartIndex = JsonEncodedText.Encode("startIndex");
    private static readonly JsonEncodedText ItemsPerPage = JsonEncodedText.Encode("itemsPerPage");
    private static readonly JsonEncodedText Resources = JsonEncodedText.Encode("Resources");
    private static readonly JsonEncodedText NextCursor = JsonEncodedText.Encode("nextCursor");

    /// <summary>
    /// Writes the envelope around <paramref name="items"/>. <paramref name="startIndex"/> is 1-based
    /// (RFC 7644 §3.4.2.4); the numbers are JSON integers, which Okta requires.
    /// </summary>
    public static void Write<T, TState>(
        Utf8JsonWriter writer,
        IReadOnlyList<T> items,
        int totalResults,
        int startIndex,
        TState state,
        Action<Utf8JsonWriter, T, TState> writeItem)
        => WriteEnvelope(writer, items, totalResults, startIndex, nextCursor: null, state, writeItem);

    /// <summary>
    /// Writes a cursor-paged envelope (RFC 9865 §2): totalResults, itemsPerPage, and
    /// <c>nextCursor</c> unless this is the last page (its absence is what says so). There is no
    /// startIndex: a cursor page has no index.
    /// </summary>
    public static void WriteCursorPage<T, TState>(
        Utf8JsonWriter writer,
        IReadOnlyList<T> items,
        int totalResults,
        string? nextCursor,
        TState state,
        Action<Utf8JsonWriter, T, TState> writeItem)
        => WriteEnvelope(writer, items, totalResults, startIndex: null, nextCursor, state, writeItem);

    /// <summary>The envelope of both paging methods: startIndex for index paging, nextCursor for a cursor page with more after it.</summary>
    private static void WriteEnvelope<T, TState>(
        Utf8JsonWriter writer,
        IReadOnlyList<T> items,
        int totalResults,
        int? startIndex,
        string? nextCursor,
        TState state,
        Action<Utf8JsonWriter, T, TState> writeItem)
    {
        writer.WriteStartObject();
        WriteSchemas(writer);
        writer.WriteNumber(TotalResults, totalResults);
        if (startIndex is { } index)
        {
            writer.WriteNumber(StartIndex, index);
        }

        writer.WriteNumber(ItemsPerPage, items.Count);
        if (nextCursor is not null)
        {
            writer.WriteString(NextCursor, nextCursor);
        }

        writer.WriteStartArray(Resources);
        for (var i = 0; i < items.Count; i++)
        {
            writeItem(writer, items[i], state);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSchemas(Utf8JsonWriter writer)
    {
        writer.WriteStartArray(Schemas);
        writer.WriteStringValue(ListResponseUrn);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Opens a ListResponse whose resources are written one by one as they are read, for a
    /// listing too large to hold (<c>fastscim export</c>): schemas, then Resources.
    /// </summary>
    public static void WriteStreamedStart(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteSchemas(writer);
        writer.WriteStartArray(Resources);
    }

    /// <summary>
    /// Closes what <see cref="WriteStreamedStart"/> opened with the counts, which are known only
    /// now: JSON members are unordered (RFC 8259 §4), so totalResults may follow Resources, and
    /// the counts are then exactly what was written even while resources change meanwhile.
    /// </summary>
    public static void WriteStreamedEnd(Utf8JsonWriter writer, int count)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndArray();
        writer.WriteNumber(TotalResults, count);
        writer.WriteNumber(ItemsPerPage, count);
        writer.WriteNumber(StartIndex, 1);
        writer.WriteEndObject();
    }
}
