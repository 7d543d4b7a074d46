using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FastScim.Core.Bulk;

/// <summary>
/// RFC 7644 §3.7.1–§3.7.2: the service provider "MUST try to resolve circular cross-references",
/// by creating a resource without the reference to one not created yet and adding it by a PATCH
/// afterwards. In FastScim's model the only cycle that can be valid runs through the enterprise
/// <c>manager</c> of users (A manages B, B manages A): a cycle through group members makes a group
/// contain itself, which the single requests refuse, so such cycles fail with 409.
/// </summary>
public static class CircularManager
{
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>The PATCH path the removed manager is added back with.</summary>
    public const string ManagerPath = EnterpriseUrn + ":manager";

    /// <summary>
    /// Removes the enterprise <c>manager</c> (an object with <c>value</c>, or a plain string as Entra
    /// sends) from a User's data when it refers to a bulkId for which <paramref name="isPending"/> holds.
    /// </summary>
    /// <returns>The data without it, and the removed manager as JSON (null when nothing was removed).</returns>
    public static (ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte>? Manager) Split(ReadOnlyMemory<byte> data, Func<string, bool> isPending)
    {
        ArgumentNullException.ThrowIfNull(isPending);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(data.Span);
        }
        catch (JsonException)
        {
            // Not ours to report: the operation fails as the single request would.
            return (data, null);
        }

        if (root is not JsonObject user || Member(user, EnterpriseUrn) is not (_, JsonObject extension) || Member(extension, "manager") is not (string managerKey, JsonNode manager))
        {
            return (data, null);
        }

        var reference = manager switch
        {
            JsonValue plain when plain.TryGetValue<string>(out var text) => text,
            JsonObject complex when Member(complex, "value") is (_, JsonValue value) && value.TryGetValue<string>(out var text) => text,
            _ => null,
        };
        var found = new List<string>();
        BulkReferences.Collect(reference, found);
        if (!found.Exists(isPending.Invoke))
        {
            return (data, null);
        }

        extension.Remove(managerKey);
        return (Write(user), Write(manager));
    }

    private static ReadOnlyMemory<byte> Write(JsonNode node)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            node.WriteTo(writer);
        }

        return output.WrittenMemory;
    }

    private static (string Key, JsonNode? Value)? Member(JsonObject node, string name)
    {
        foreach (var (key, value) in node)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return (key, value);
            }
        }

        return null;
    }
}
