using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastScim.Core.Compatibility;

/// <summary>
/// One request as an operator may see it in a compatibility report: method, target, the client's
/// User-Agent and the body, with every password (RFC 7643 §4.1.1: never to be disclosed) replaced
/// and no credentials (the Authorization header is never included). Long bodies are cut.
/// </summary>
public static class RequestExample
{
    public const int MaxBodyCharacters = 2048;
    public const string Redacted = "[redacted]";

    public static string Describe(string method, string target, string? userAgent, ReadOnlySpan<byte> body)
    {
        var text = new StringBuilder().Append(method).Append(' ').Append(target);
        if (!string.IsNullOrEmpty(userAgent))
        {
            text.Append("\nUser-Agent: ").Append(userAgent);
        }

        if (!body.IsEmpty)
        {
            var redacted = RedactPasswords(body);
            text.Append("\n\n").Append(redacted.Length > MaxBodyCharacters ? redacted[..MaxBodyCharacters] + " …" : redacted);
        }

        return text.ToString();
    }

    /// <summary>
    /// The JSON body with the value of every "password" member, and the "value" of every PATCH
    /// operation whose "path" is password, replaced; a body that is not JSON is not shown at all.
    /// </summary>
    public static string RedactPasswords(ReadOnlySpan<byte> utf8Json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return $"(a body of {utf8Json.Length} bytes that is not JSON; not shown)";
        }

        try
        {
            Redact(root);
            return root?.ToJsonString() ?? "null";
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A name or string with no text (JsonText), or a name given twice: the request is
            // refused for it elsewhere; the example is only not shown.
            return $"(a body of {utf8Json.Length} bytes that is not well-formed JSON text; not shown)";
        }
    }

    private static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var patchesPassword = obj.Any(static p => p.Key.Equals("path", StringComparison.OrdinalIgnoreCase)
                    && p.Value is JsonValue path && path.TryGetValue(out string? text) && IsPassword(text));
                foreach (var (key, value) in obj.ToArray())
                {
                    if (IsPassword(key) || (patchesPassword && key.Equals("value", StringComparison.OrdinalIgnoreCase)))
                    {
                        obj[key] = Redacted;
                    }
                    else
                    {
                        Redact(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Redact(item);
                }

                break;
        }
    }

    // "password", or a URN-qualified one ("urn:…:User:password").
    private static bool IsPassword(string name) =>
        name.Equals("password", StringComparison.OrdinalIgnoreCase) || name.EndsWith(":password", StringComparison.OrdinalIgnoreCase);
}
