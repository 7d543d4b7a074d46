using System.Buffers;
using System.Text.Json;
using FastScim.Core.Protocol;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;

namespace FastScim.Core.Bulk;

/// <summary>
/// RFC 7644 §3.7.1: the service provider "MUST try to resolve circular cross-references between
/// resources in a single bulk job". A resource on a cycle of bulkId references is created without
/// the references to resources not created yet, and they are added by a PATCH once the whole
/// request has run — the two cycles FastScim's resources can form: users' enterprise
/// <c>manager</c> (A manages B, B manages A) and groups' <c>members</c> (the RFC's example: two
/// groups that contain each other).
/// </summary>
public static class CircularReferences
{
    public const string EnterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /// <summary>The PATCH path a removed manager is added back with.</summary>
    public const string ManagerPath = EnterpriseUrn + ":manager";

    /// <summary>The PATCH path removed members are added back with.</summary>
    public const string MembersPath = "members";

    /// <summary>
    /// Removes from a User's data its enterprise <c>manager</c> (an object with <c>value</c>, or a
    /// plain string as Entra sends) when it refers to a bulkId for which <paramref name="isPending"/> holds.
    /// </summary>
    /// <returns>The data without it, and the removed manager as JSON (null when nothing was removed).</returns>
    /// <exception cref="ScimException">400: the data holds a string with no text.</exception>
    public static (ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte>? Later) SplitManager(ReadOnlyMemory<byte> data, Func<string, bool> isPending)
    {
        ArgumentNullException.ThrowIfNull(isPending);
        if (Parse(data) is not JsonObject user || JsonDom.Get(user, EnterpriseUrn) is not JsonObject extension || JsonDom.Get(extension, "manager") is not { } manager)
        {
            return (data, null);
        }

        if (!RefersToPending(ReferenceOf(manager), isPending))
        {
            return (data, null);
        }

        JsonDom.Remove(extension, "manager");
        return (Write(user), Write(manager));
    }

    /// <summary>
    /// Removes from a Group's data the <c>members</c> that refer to a bulkId for which
    /// <paramref name="isPending"/> holds.
    /// </summary>
    /// <returns>The data without them, and the removed members as a JSON array (null when none was removed).</returns>
    /// <exception cref="ScimException">400: the data holds a string with no text.</exception>
    public static (ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte>? Later) SplitMembers(ReadOnlyMemory<byte> data, Func<string, bool> isPending)
    {
        ArgumentNullException.ThrowIfNull(isPending);
        if (Parse(data) is not JsonObject group || JsonDom.Get(group, "members") is not JsonArray members)
        {
            return (data, null);
        }

        var later = new JsonArray();
        foreach (var member in members.ToArray())
        {
            if (member is not null && RefersToPending(ReferenceOf(member), isPending))
            {
                members.Remove(member);
                later.Add(member);
            }
        }

        if (later.Count == 0)
        {
            return (data, null);
        }

        return (Write(group), Write(later));
    }

    /// <summary>
    /// The data as a tree, read once. Data the tree cannot read whole is not split: JSON that does
    /// not parse, or names a member twice, gives null, for the operation to fail on as the single
    /// request would; a name or string with no text (<see cref="JsonText"/>) fails it here, with a
    /// 400 that says so.
    /// </summary>
    /// <exception cref="ScimException">400: the data holds a name or string with no text.</exception>
    private static JsonNode? Parse(ReadOnlyMemory<byte> data)
    {
        JsonDocument document;
        try
        {
            document = JsonText.ParseUnique(data, "A member name of the data");
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            JsonText.Check(document.RootElement, "The data");
            return JsonDom.Detached(document.RootElement);
        }
    }

    // A plain string (Entra's "manager": "id") or an object's "value".
    private static string? ReferenceOf(JsonNode node) =>
        node is JsonObject complex ? JsonDom.Get(complex, "value") is { } value ? JsonDom.Text(value) : null : JsonDom.Text(node);

    private static bool RefersToPending(string? reference, Func<string, bool> isPending)
    {
        var found = new List<string>();
        BulkReferences.Collect(reference, found);
        return found.Exists(isPending.Invoke);
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
}
