using System.Text.Json;
using FastScim.Core.Compatibility;
using FastScim.Core.Patch;

namespace FastScim.Core.Protocol;

/// <summary>What a request body says about the resource itself, besides its attributes.</summary>
public static class ResourceBody
{
    /// <summary>
    /// The top-level "id" of a resource body (matched case-insensitively, RFC 7643 §2.1), or null.
    /// The generated readers drop it (readOnly); PUT still has to refuse an id that names
    /// another resource, while accepting the resource's own (Okta sends it).
    /// </summary>
    public static string? ReadId(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueSpan.Length == 2 && (reader.ValueSpan[0] | 0x20) == 'i' && (reader.ValueSpan[1] | 0x20) == 'd';
            reader.Read();
            if (isId && reader.TokenType == JsonTokenType.String)
            {
                return JsonText.TryRead(ref reader);
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>
    /// A resource read from a POST or PUT body together with the "schemas" it declares, in one pass
    /// of <paramref name="read"/> (a generated <c>UserJson.Read</c>, <c>GroupJson.Read</c>), the
    /// schemas judged after the values (<see cref="CheckSchemas"/>).
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> utf8Json, ResourceReader<T> read, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(read);

        var schemas = StringListPool.Rent();
        try
        {
            var resource = read(utf8Json, schemas);
            CheckSchemas(schemas, schema);
            return resource;
        }
        finally
        {
            StringListPool.Return(schemas);
        }
    }

    /// <summary>
    /// RFC 7643 §3: "schemas" is REQUIRED and lists the resource's core schema and the extensions
    /// it carries. The lenient profile accepts a body without it, without the core URN (OneLogin's
    /// SCIM 1.1 template sends <c>urn:scim:schemas:core:1.0</c>) or with URNs this server does not
    /// register (Entra's ADSCIM Group URN); the strict one refuses them (<see cref="Tolerance"/>).
    /// <paramref name="schemas"/> are the strings of the body's "schemas" arrays, as the generated
    /// reader collects them while it reads the body (<c>UserJson.Read(body, schemas)</c>); the
    /// resource it reads ignores them: the server writes its own.
    /// </summary>
    public static void CheckSchemas(IReadOnlyList<string> schemas, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(schema);
        var hasCore = false;
        var unregistered = false;
        for (int i = 0; i < schemas.Count; i++) // by index: a foreach over the interface would box its enumerator, once a request
        {
            string urn = schemas[i];
            if (string.Equals(urn, schema.Core.Id, StringComparison.OrdinalIgnoreCase))
            {
                hasCore = true;
            }
            else if (schema.FindExtension(urn) is null)
            {
                unregistered = true;
            }
        }

        Tolerance.Use((hasCore ? ToleranceRule.None : ToleranceRule.MissingCoreSchema) | (unregistered ? ToleranceRule.UnregisteredSchemaUrn : ToleranceRule.None));
    }
}

/// <summary>A generated reader of a resource's JSON that also collects the strings of its "schemas" arrays.</summary>
public delegate T ResourceReader<out T>(ReadOnlySpan<byte> utf8Json, ICollection<string>? schemas);
