using System.Globalization;
using System.Text.Json;
using FastScim.Core.Discovery;
using FastScim.Core.Protocol;

namespace FastScim.Core.Bulk;

/// <summary>One entry of a BulkRequest's "Operations" (RFC 7644 §3.7).</summary>
/// <param name="Index">Its position in the request, from 0.</param>
/// <param name="Method">The HTTP method as sent (checked when it runs, so a bad one fails only itself).</param>
/// <param name="BulkId">The client's transient id (REQUIRED on POST).</param>
/// <param name="Version">The resource version, sent on as If-Match (§3.7: "version").</param>
/// <param name="Path">The resource's path relative to the base URL, e.g. "/Users" or "/Groups/{id}".</param>
/// <param name="Data">The operation's body as raw UTF-8 JSON, or empty when absent.</param>
public sealed record BulkOperation(int Index, string? Method, string? BulkId, string? Version, string? Path, ReadOnlyMemory<byte> Data)
{
    public bool HasData => !Data.IsEmpty;
}

/// <summary>The body of <c>POST /Bulk</c> (RFC 7644 §3.7, <c>urn:…:api:messages:2.0:BulkRequest</c>).</summary>
public sealed class BulkRequest
{
    private const int MaxDepth = 64;

    private BulkRequest(int? failOnErrors, IReadOnlyList<BulkOperation> operations)
    {
        FailOnErrors = failOnErrors;
        Operations = operations;
    }

    /// <summary>Stop after this many errors (§3.7.3); null: run every operation.</summary>
    public int? FailOnErrors { get; }

    public IReadOnlyList<BulkOperation> Operations { get; }

    /// <summary>
    /// Parses a BulkRequest. Member names match case-insensitively, as for PatchOp (an exact match
    /// first, the last of several; else the first that matches ignoring case). A malformed request
    /// is 400 invalidSyntax; more than <paramref name="maxOperations"/> operations is 413 naming the
    /// limit (§3.7.4). What is wrong with a single operation (its method, path or data) is left for
    /// that operation to fail with, so the others still run. Each operation's
    /// <see cref="BulkOperation.Data"/> is a slice of <paramref name="utf8Json"/>, which the caller
    /// keeps unchanged while it uses them.
    /// </summary>
    /// <remarks>
    /// One pass of a <see cref="Utf8JsonReader"/> over the body, which keeps offsets rather than
    /// building a document of it and copying every operation's data out (issue 7: a tenth of a Bulk
    /// request's CPU time). It reads the whole body before it judges anything, so a body that is
    /// not JSON is refused as such whatever else is wrong with it, and the errors come in the order
    /// they always did: the body's shape, "schemas", "failOnErrors", "Operations", the count, then
    /// each operation in turn.
    /// </remarks>
    public static BulkRequest Parse(ReadOnlyMemory<byte> utf8Json, int maxOperations = ServiceProviderConfig.BulkMaxOperations)
    {
        BulkBody body;
        try
        {
            body = BulkBody.Read(utf8Json.Span, maxOperations);
        }
        catch (JsonException e)
        {
            throw Syntax($"The BulkRequest is not valid JSON: {e.Message}");
        }

        if (!body.IsObject)
        {
            throw Syntax("The BulkRequest must be a JSON object.");
        }

        var schemas = body.Schemas.Value ?? default;
        if (!schemas.NamesBulkRequest)
        {
            throw Syntax(schemas.IsArray
                ? $"\"schemas\" must contain \"{SchemaUrns.BulkRequest}\" (RFC 7644 §3.7)."
                : $"The BulkRequest must have \"schemas\": [\"{SchemaUrns.BulkRequest}\"] (RFC 7644 §3.7).");
        }

        var failOnErrors = body.FailOnErrors.Value switch
        {
            null or { Kind: JsonTokenType.Null } => (int?)null,
            { Kind: JsonTokenType.Number, Number: >= 1 and var n } => n,
            _ => throw Syntax("\"failOnErrors\" must be an integer of at least 1 (RFC 7644 §3.7)."),
        };

        if (body.Operations.Value is not { IsArray: true } array)
        {
            throw Syntax("The BulkRequest must have an \"Operations\" array (RFC 7644 §3.7).");
        }

        if (array.Count > maxOperations)
        {
            throw new ScimException(413, ScimType.None, Invariant($"The BulkRequest has {array.Count} operations, more than maxOperations ({maxOperations}) (RFC 7644 §3.7.4)."));
        }

        var operations = new BulkOperation[array.Count];
        var bulkIds = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < operations.Length; index++)
        {
            if (array.Items![index] is not { IsObject: true } read)
            {
                throw Syntax(Invariant($"Operations[{index}] must be a JSON object."));
            }

            var data = read.Data.Value is { Kind: not JsonTokenType.Null } value
                ? utf8Json.Slice(value.Start, value.Length)
                : ReadOnlyMemory<byte>.Empty;
            var operation = new BulkOperation(
                index,
                String(utf8Json.Span, read.Method.Value, "method", index),
                String(utf8Json.Span, read.BulkId.Value, "bulkId", index),
                String(utf8Json.Span, read.Version.Value, "version", index),
                String(utf8Json.Span, read.Path.Value, "path", index),
                data);
            if (operation.BulkId is { } bulkId && !bulkIds.Add(bulkId))
            {
                throw Syntax($"The bulkId '{bulkId}' is used by more than one operation; each must be unique within the request (RFC 7644 §3.7).");
            }

            operations[index] = operation;
        }

        return new BulkRequest(failOnErrors, operations);
    }

    /// <summary>An operation's string member: decoded only now, for the value that counts (a superseded one may be anything).</summary>
    private static string? String(ReadOnlySpan<byte> utf8Json, MemberValue? value, string name, int index)
    {
        switch (value)
        {
            case null or { Kind: JsonTokenType.Null }:
                return null;
            case { Kind: JsonTokenType.String } text:
                var reader = new Utf8JsonReader(utf8Json.Slice(text.Start, text.Length));
                reader.Read();
                return JsonText.TryRead(ref reader) ?? throw Syntax(Invariant($"Operations[{index}].{name} is not valid UTF-16 text."));
            default:
                throw Syntax(Invariant($"Operations[{index}].{name} must be a string."));
        }
    }

    /// <summary>What one pass over the body found: the members that matter, by the rules of <see cref="Member"/>.</summary>
    private sealed class BulkBody
    {
        public bool IsObject;
        public Found Schemas;
        public Found FailOnErrors;
        public Found Operations;

        public static BulkBody Read(ReadOnlySpan<byte> utf8Json, int maxOperations)
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            var body = new BulkBody();
            reader.Read(); // an empty body throws: JsonException

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return body;
            }

            body.IsObject = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = NameOf(ref reader);
                reader.Read();
                if (name.Is("schemas"))
                {
                    body.Schemas.Offer(name, ReadSchemas(ref reader));
                }
                else if (name.Is("failOnErrors"))
                {
                    body.FailOnErrors.Offer(name, ReadValue(ref reader));
                }
                else if (name.Is("Operations"))
                {
                    body.Operations.Offer(name, ReadOperations(ref reader, maxOperations));
                }
                else
                {
                    reader.Skip();
                }
            }

            return body;
        }

        private static MemberValue ReadSchemas(ref Utf8JsonReader reader)
        {
            var value = new MemberValue { Kind = reader.TokenType };
            if (!value.IsArray)
            {
                reader.Skip();
                return value;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    value.NamesBulkRequest |= string.Equals(JsonText.TryRead(ref reader), SchemaUrns.BulkRequest, StringComparison.OrdinalIgnoreCase);
                }
                else
                {
                    reader.Skip();
                }
            }

            return value;
        }

        private static MemberValue ReadOperations(ref Utf8JsonReader reader, int maxOperations)
        {
            var value = new MemberValue { Kind = reader.TokenType };
            if (!value.IsArray)
            {
                reader.Skip();
                return value;
            }

            value.Items = [];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                // Past the limit only the count matters (413), not what the operations say.
                if (++value.Count > maxOperations)
                {
                    reader.Skip();
                    continue;
                }

                value.Items.Add(reader.TokenType == JsonTokenType.StartObject ? ReadOperation(ref reader) : SkipOne(ref reader));
            }

            return value;
        }

        /// <summary>An operation that is not an object: skipped, and refused when its turn comes.</summary>
        private static OperationValue? SkipOne(ref Utf8JsonReader reader)
        {
            reader.Skip();
            return null;
        }

        private static OperationValue ReadOperation(ref Utf8JsonReader reader)
        {
            var operation = new OperationValue { IsObject = true };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = NameOf(ref reader);
                reader.Read();
                if (name.Is("data"))
                {
                    operation.Data.Offer(name, ReadValue(ref reader));
                }
                else if (name.Is("method"))
                {
                    operation.Method.Offer(name, ReadValue(ref reader));
                }
                else if (name.Is("bulkId"))
                {
                    operation.BulkId.Offer(name, ReadValue(ref reader));
                }
                else if (name.Is("version"))
                {
                    operation.Version.Offer(name, ReadValue(ref reader));
                }
                else if (name.Is("path"))
                {
                    operation.Path.Offer(name, ReadValue(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }

            return operation;
        }

        /// <summary>Any value: its kind, where its raw JSON lies, and its value when an int (a string is decoded only if it counts).</summary>
        private static MemberValue ReadValue(ref Utf8JsonReader reader)
        {
            var value = new MemberValue { Kind = reader.TokenType, Start = (int)reader.TokenStartIndex };
            switch (reader.TokenType)
            {
                case JsonTokenType.Number when reader.TryGetInt32(out var number):
                    value.Number = number;
                    break;
                case JsonTokenType.Number:
                    value.Number = int.MinValue;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    reader.Skip();
                    break;
            }

            value.Length = (int)reader.BytesConsumed - value.Start;
            return value;
        }

        private static MemberName NameOf(ref Utf8JsonReader reader)
        {
            // Plain ASCII names (all a client sends in practice) compare without a string.
            return !reader.ValueIsEscaped && System.Text.Ascii.IsValid(reader.ValueSpan)
                ? new MemberName(reader.ValueSpan)
                : new MemberName(JsonText.TryRead(ref reader) ?? string.Empty);
        }
    }

    private sealed class OperationValue
    {
        public bool IsObject;
        public Found Method;
        public Found BulkId;
        public Found Version;
        public Found Path;
        public Found Data;
    }

    private struct MemberValue
    {
        public JsonTokenType Kind;
        public bool NamesBulkRequest;
        public int Number;
        public int Start;
        public int Length;
        public int Count;
        public List<OperationValue?>? Items;

        public readonly bool IsArray => Kind == JsonTokenType.StartArray;
    }

    /// <summary>
    /// A member looked up by name as <see cref="Member(JsonElement, string)"/> does: the last whose
    /// name is exactly the one asked for, else the first whose name matches ignoring case. One slot
    /// does: an exact name always takes it, another only an empty one.
    /// </summary>
    private struct Found
    {
        private MemberValue _value;
        private bool _present;

        public readonly MemberValue? Value => _present ? _value : null;

        public void Offer(in MemberName name, MemberValue value)
        {
            if (name.IsExact || !_present)
            {
                // Exact: the last wins. Ignoring case: the first, and never over an exact one.
                (_value, _present) = (value, true);
            }
        }
    }

    /// <summary>A member's name, and whether the last <see cref="Is"/> that matched matched it exactly.</summary>
    private ref struct MemberName
    {
        private readonly string? _text;
        private readonly ReadOnlySpan<byte> _ascii;

        public MemberName(string text) => _text = text;

        public MemberName(ReadOnlySpan<byte> ascii) => _ascii = ascii;

        public bool IsExact { get; private set; }

        public bool Is(string wanted)
        {
            if (_text is null)
            {
                IsExact = System.Text.Ascii.Equals(_ascii, wanted);
                return IsExact || System.Text.Ascii.EqualsIgnoreCase(_ascii, wanted);
            }

            IsExact = string.Equals(_text, wanted, StringComparison.Ordinal);
            return IsExact || string.Equals(_text, wanted, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A member by name, case-insensitively (RFC 7643 §2.1); exact match first.</summary>
    internal static JsonElement? Member(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static ScimException Syntax(string detail) => ScimException.BadRequest(ScimType.InvalidSyntax, detail);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
