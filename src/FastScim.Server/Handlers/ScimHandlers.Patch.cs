using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Resources;
using FastScim.Core.Security;
using FastScim.Server.Hosting;
using FastScim.Server.Io;

namespace FastScim.Server.Handlers;

/// <summary>
/// PATCH (RFC 7644 §3.5.2). The engine applies the operations to a JSON copy of the stored
/// resource on the tenant's writer; the generated reader then turns the result back into the
/// typed resource, so every schema rule the reader enforces holds for PATCH as for PUT. The
/// whole PATCH is stored once, with a new version, or not at all.
/// </summary>
internal static partial class ScimHandlers
{
    private static async Task PatchUserAsync(ScimRequest request)
    {
        // The body is held until the write is done: an example for the compatibility report.
        using var body = await ReadBodyAsync(request).ConfigureAwait(false);
        var patch = PatchRequest.Parse(body.Memory);
        var operations = HashPasswords(patch.Operations, out var setsPassword);
        var stored = await WriteTurn.QueueAsync(request.WriteTurn, () => request.Store.Users.UpdateAsync(
            request.IdString,
            IfMatch(request),
            current =>
            {
                // current is the store's copy, this change's to alter or drop; it shares its lists
                // and objects with the stored version, which SimplePatch copies before it changes
                // them (and leaves current as it was when it declines).
                if (SimplePatch.TryApply(ref current, operations, ResourceSchema.User, UserJson.ReadAttribute, static u => u.DeepCopy()))
                {
                    ValidateUser(current);
                    return current;
                }

                var patched = PatchEngine.ApplyToCopy(ToJson(current, UserJson.Write), operations, ResourceSchema.User);
                var user = UserJson.Read(ToUtf8(patched));
                ValidateUser(user);

                // The password is never in the JSON copy (returned: never): keep it unless the PATCH set or removed it.
                if (!setsPassword)
                {
                    user.Password = current.Password;
                }

                return user;
            },
            request.Aborted)).ConfigureAwait(false);
        await SendResourceAsync(request, stored, UserKind, 200, includeLocation: false, shared: true).ConfigureAwait(false);
    }

    private static async Task PatchGroupAsync(ScimRequest request)
    {
        // The body is held until the write is done: an example for the compatibility report.
        using var body = await ReadBodyAsync(request).ConfigureAwait(false);
        var patch = PatchRequest.Parse(body.Memory);
        var groups = request.Store.Groups;
        // A Bulk operation's success sends no body (SuccessBodyUnused): the writer need not read the members for one.
        var returnMembers = !request.SuccessBodyUnused && !request.Settings.GroupPatchNoContent && ReturnsMembers(request);
        Group stored;
        if (MemberOperations.TrySplit(patch.Operations, out var members, out var others))
        {
            // Members change one by one in the store; the rest of the group is patched without them.
            stored = await WriteTurn.QueueAsync(request.WriteTurn, () => groups.UpdateAsync(
                request.IdString,
                IfMatch(request),
                others.Count == 0 ? null : current => PatchGroup(current, others),
                members,
                returnMembers,
                request.Aborted)).ConfigureAwait(false);
        }
        else
        {
            // A filter on members other than "value eq": the operation needs the whole list.
            stored = await WriteTurn.QueueAsync(request.WriteTurn, () => groups.UpdateAsync(request.IdString, IfMatch(request), current => PatchGroup(current, patch.Operations), request.Aborted)).ConfigureAwait(false);
        }

        // RFC 7644 §3.5.2: 204 is as valid as 200; Entra's documentation expects it for groups.
        if (request.Settings.GroupPatchNoContent)
        {
            ScimResponse.SendEmpty(request.Features, 204, stored.Meta?.Version);
            return;
        }

        await SendResourceAsync(request, stored, GroupKind, 200, includeLocation: false).ConfigureAwait(false);
    }

    private static Group PatchGroup(Group current, IReadOnlyList<PatchOperation> operations)
    {
        // current is the store's copy, this change's to alter or drop (Entra renames a group so); it
        // shares its lists and objects with the stored version, which SimplePatch copies before it
        // changes them (and leaves current as it was when it declines).
        if (SimplePatch.TryApply(ref current, operations, ResourceSchema.Group, GroupJson.ReadAttribute, static g => g.DeepCopy()))
        {
            ValidateGroup(current);
            return current;
        }

        var patched = PatchEngine.ApplyToCopy(ToJson(current, GroupJson.Write), operations, ResourceSchema.Group);
        var group = GroupJson.Read(ToUtf8(patched));
        ValidateGroup(group);
        return group;
    }

    /// <summary>
    /// Hashes every cleartext password a PATCH carries before it is queued for the writer: the
    /// slow hash must not run on the tenant's single writer thread, and the clear text must not
    /// travel further than this.
    /// </summary>
    private static List<PatchOperation> HashPasswords(IReadOnlyList<PatchOperation> operations, out bool setsPassword)
    {
        setsPassword = false;
        var result = new List<PatchOperation>(operations.Count);
        foreach (var operation in operations)
        {
            if (operation.Path is { } path && IsPassword(path.Attribute))
            {
                setsPassword = true;
                result.Add(operation.Value is JsonValue value && value.TryGetValue<string>(out var clear)
                    ? operation with { Value = JsonValue.Create(PasswordHash.Hash(clear)) }
                    : operation);
            }
            else if (operation.Path is null && operation.Value is JsonObject values)
            {
                JsonObject? copy = null;
                foreach (var (key, node) in values)
                {
                    if (IsPasswordKey(key))
                    {
                        setsPassword = true;
                        copy ??= (JsonObject)values.DeepClone();
                        copy[key] = node is JsonValue v && v.TryGetValue<string>(out var clear) ? JsonValue.Create(PasswordHash.Hash(clear)) : node?.DeepClone();
                    }
                }

                result.Add(copy is null ? operation : operation with { Value = copy });
            }
            else
            {
                result.Add(operation);
            }
        }

        return result;
    }

    private static bool IsPassword(AttributePath path) =>
        path.Name.Equals("password", StringComparison.OrdinalIgnoreCase) && path.SubAttribute is null
        && (path.SchemaUrn is null || path.SchemaUrn.Equals(Core.Schema.ScimSchemas.User.Id, StringComparison.OrdinalIgnoreCase));

    private static bool IsPasswordKey(string key) =>
        key.Equals("password", StringComparison.OrdinalIgnoreCase)
        || key.Equals(Core.Schema.ScimSchemas.User.Id + ":password", StringComparison.OrdinalIgnoreCase);

    private static JsonObject ToJson<T>(T resource, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, resource);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private static byte[] ToUtf8(JsonObject json) => JsonSerializer.SerializeToUtf8Bytes(json, JsonDomContext.Default.JsonObject);
}
