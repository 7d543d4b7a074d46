using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;

namespace FastScim.Core.Bulk;

/// <summary>
/// The operations of an import: each resource's POST with its references rewritten, and the
/// PATCHes that add, in a later chunk, the references whose targets did not exist yet.
/// </summary>
public sealed partial class ImportPlan
{
    /// <summary>Places the POST of a resource; false when it does not fit into this chunk (it will into the next).</summary>
    private bool PlaceCreate(Entry entry)
    {
        var create = RenderCreate(entry, keepMembers: true);
        if (!_chunk.TryAppend(create.Bytes.Span, new(entry.BulkId, entry, ImportChunk.OperationKind.Create)))
        {
            if (_chunk.Count > 0)
            {
                return false;
            }

            // Too large even alone. A group's members can follow in PATCHes of their own: a group
            // of tens of thousands of members is more than one request may carry (§3.7.4).
            var placed = false;
            if (entry.Resource.Kind == ImportKind.Group)
            {
                create = RenderCreate(entry, keepMembers: false);
                placed = _chunk.TryAppend(create.Bytes.Span, new(entry.BulkId, entry, ImportChunk.OperationKind.Create));
            }

            if (!placed)
            {
                entry.State = EntryState.Failed;
                _failed[(int)entry.Resource.Kind]++;
                _failures.Add(new ImportProblem(entry.Resource.ToString(), null, null, string.Create(CultureInfo.InvariantCulture,
                    $"as a Bulk operation it takes {create.Bytes.Length} bytes; a BulkRequest may carry at most maxPayloadSize ({_maxPayloadSize}) bytes (RFC 7644 §3.7.4).")));
                return true;
            }
        }

        entry.State = EntryState.InChunk;
        _failures.AddRange(create.NotKept);
        if (create.FollowUp is { } followUp)
        {
            _followUps.Add(followUp);
        }

        return true;
    }

    /// <summary>
    /// The POST of a resource (RFC 7644 §3.7): without <c>id</c> and <c>meta</c> (the service
    /// provider's, RFC 7643 §3.1) nor a User's <c>groups</c> (readOnly, derived, §4.1.2), with
    /// its members and manager naming new ids or bulkIds; references to resources not created
    /// yet go into a follow-up, and with <paramref name="keepMembers"/> false all members do.
    /// </summary>
    private Rendered RenderCreate(Entry entry, bool keepMembers)
    {
        var resource = entry.Resource;
        var followUp = new FollowUp(entry);
        var notKept = new List<ImportProblem>();
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, BulkReferences.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("method"u8, "POST");
            writer.WriteString("bulkId"u8, entry.BulkId);
            writer.WriteString("path"u8, resource.Kind == ImportKind.User ? "/Users" : "/Groups");
            writer.WritePropertyName("data"u8);
            writer.WriteStartObject();
            foreach (var (name, value) in resource.Body!)
            {
                if (Is(name, "id") || Is(name, "meta") || (resource.Kind == ImportKind.User && Is(name, "groups")))
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (resource.Kind == ImportKind.Group && Is(name, "members") && value is JsonArray members)
                {
                    WriteMembers(writer, entry, members, keepMembers, followUp, notKept);
                }
                else if (resource.Kind == ImportKind.User && Is(name, CircularReferences.EnterpriseUrn) && value is JsonObject extension)
                {
                    WriteEnterprise(writer, entry, extension, followUp, notKept);
                }
                else
                {
                    Write(writer, value);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new Rendered(output.WrittenMemory, followUp.IsEmpty ? null : followUp, notKept);
    }

    private void WriteMembers(Utf8JsonWriter writer, Entry entry, JsonArray members, bool keepMembers, FollowUp followUp, List<ImportProblem> notKept)
    {
        writer.WriteStartArray();
        foreach (var node in members)
        {
            if (node is not JsonObject member || IdOf(member) is not { } oldId)
            {
                Write(writer, node); // not a reference this plan can map: the server judges it
                continue;
            }

            var (target, found) = keepMembers ? Resolve(oldId) : (Target.Pending, (Entry?)null);
            switch (target)
            {
                case Target.Created:
                    WriteReference(writer, member, found!.NewId!);
                    break;
                case Target.InChunk:
                    WriteReference(writer, member, BulkReferences.Prefix + found!.BulkId);
                    break;
                case Target.Pending:
                    followUp.Members.Add(member);
                    break;
                default:
                    notKept.Add(NotKept(entry, "member", oldId, target, found));
                    break;
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>The enterprise extension (RFC 7643 §4.3) with its <c>manager</c> mapped.</summary>
    private void WriteEnterprise(Utf8JsonWriter writer, Entry entry, JsonObject extension, FollowUp followUp, List<ImportProblem> notKept)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in extension)
        {
            if (!Is(name, "manager") || value is null || (value is JsonObject manager ? IdOf(manager) : JsonDom.Text(value)) is not { } oldId)
            {
                writer.WritePropertyName(name);
                Write(writer, value);
                continue;
            }

            var (target, found) = Resolve(oldId);
            switch (target)
            {
                case Target.Created:
                    writer.WritePropertyName(name);
                    WriteReference(writer, value, found!.NewId!);
                    break;
                case Target.InChunk:
                    writer.WritePropertyName(name);
                    WriteReference(writer, value, BulkReferences.Prefix + found!.BulkId);
                    break;
                case Target.Pending:
                    followUp.Manager = oldId;
                    break;
                default:
                    notKept.Add(NotKept(entry, "manager", oldId, target, found));
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Places the PATCHes of a follow-up whose targets now exist, as far as the chunk has room.</summary>
    private Placement Place(FollowUp followUp)
    {
        var subject = followUp.Subject;
        if (followUp.Manager is { } manager)
        {
            var (target, found) = Resolve(manager);
            if (target == Target.Created)
            {
                var bulkId = NextPatchId();
                var patch = RenderPatch(bulkId, "/Users/" + subject.NewId, CircularReferences.ManagerPath, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("value"u8, found!.NewId);
                    w.WriteEndObject();
                });
                if (!_chunk.TryAppend(patch.Span, new(bulkId, subject, ImportChunk.OperationKind.SetManager)))
                {
                    if (_chunk.Count > 0)
                    {
                        return Placement.Full;
                    }

                    _failures.Add(NotKept(subject, "manager", manager, "the PATCH is larger than maxPayloadSize (RFC 7644 §3.7.4)."));
                }

                followUp.Manager = null;
            }
            else if (target is Target.Failed or Target.Unknown)
            {
                _failures.Add(NotKept(subject, "manager", manager, target, found));
                followUp.Manager = null;
            }
        }

        if (followUp.Members.Count > 0 && PlaceMembers(followUp) == Placement.Full)
        {
            return Placement.Full;
        }

        return followUp.IsEmpty ? Placement.Done : Placement.Waiting;
    }

    /// <summary>One PATCH adding as many of the members that now exist as fit (RFC 7644 §3.5.2.1).</summary>
    private Placement PlaceMembers(FollowUp followUp)
    {
        var subject = followUp.Subject;
        var ready = new List<(JsonObject Member, byte[] Bytes)>();
        var waiting = new List<JsonObject>();
        foreach (var member in followUp.Members)
        {
            var oldId = IdOf(member)!;
            var (target, found) = Resolve(oldId);
            switch (target)
            {
                case Target.Created:
                    ready.Add((member, RenderReference(member, found!.NewId!)));
                    break;
                case Target.Pending or Target.InChunk:
                    waiting.Add(member);
                    break;
                default:
                    _failures.Add(NotKept(subject, "member", oldId, target, found));
                    break;
            }
        }

        followUp.Members.Clear();
        if (ready.Count == 0)
        {
            followUp.Members.AddRange(waiting);
            return Placement.Waiting;
        }

        var bulkId = NextPatchId();
        var path = "/Groups/" + subject.NewId;
        var size = RenderAddMembers(bulkId, path, []).Length;
        var room = _chunk.Room;
        var take = 0;
        while (take < ready.Count && size + ready[take].Bytes.Length + (take > 0 ? 1 : 0) <= room)
        {
            size += ready[take].Bytes.Length + (take > 0 ? 1 : 0);
            take++;
        }

        if (take == 0 && _chunk.Count == 0)
        {
            // One member alone is larger than a request may be: it cannot be sent at all.
            _failures.Add(NotKept(subject, "member", IdOf(ready[0].Member)!, "it is larger than maxPayloadSize (RFC 7644 §3.7.4)."));
            followUp.Members.AddRange(ready.Skip(1).Select(r => r.Member));
            followUp.Members.AddRange(waiting);
            return followUp.Members.Count > 0 ? PlaceMembers(followUp) : Placement.Done;
        }

        if (take > 0)
        {
            var patch = RenderAddMembers(bulkId, path, ready.Take(take).Select(r => r.Bytes));
            _chunk.TryAppend(patch.Span, new(bulkId, subject, ImportChunk.OperationKind.AddMembers, take));
        }

        followUp.Members.AddRange(ready.Skip(take).Select(r => r.Member));
        followUp.Members.AddRange(waiting);
        return take < ready.Count ? Placement.Full : Placement.Waiting;
    }

    private static ReadOnlyMemory<byte> RenderAddMembers(string bulkId, string path, IEnumerable<byte[]> members) =>
        RenderPatch(bulkId, path, "members", w =>
        {
            w.WriteStartArray();
            foreach (var member in members)
            {
                w.WriteRawValue(member, skipInputValidation: true);
            }

            w.WriteEndArray();
        });

    /// <summary>A Bulk PATCH (RFC 7644 §3.7) with one PatchOp "add" (§3.5.2.1).</summary>
    private static ReadOnlyMemory<byte> RenderPatch(string bulkId, string path, string attributePath, Action<Utf8JsonWriter> writeValue)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, BulkReferences.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("method"u8, "PATCH");
            writer.WriteString("bulkId"u8, bulkId);
            writer.WriteString("path"u8, path);
            writer.WriteStartObject("data"u8);
            writer.WriteStartArray("schemas"u8);
            writer.WriteStringValue(SchemaUrns.PatchOp);
            writer.WriteEndArray();
            writer.WriteStartArray("Operations"u8);
            writer.WriteStartObject();
            writer.WriteString("op"u8, "add");
            writer.WriteString("path"u8, attributePath);
            writer.WritePropertyName("value"u8);
            writeValue(writer);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenMemory;
    }

    private static byte[] RenderReference(JsonObject reference, string value)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, BulkReferences.WriterOptions))
        {
            WriteReference(writer, reference, value);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A reference (a member, a manager) naming <paramref name="value"/> instead of the old id;
    /// its <c>$ref</c> named the old id at the old server, so it goes (RFC 7643 §2.3.7: the
    /// service provider makes it).
    /// </summary>
    private static void WriteReference(Utf8JsonWriter writer, JsonNode reference, string value)
    {
        if (reference is not JsonObject complex)
        {
            writer.WriteStringValue(value); // a manager sent as a plain string, as Entra ID does
            return;
        }

        writer.WriteStartObject();
        foreach (var (name, member) in complex)
        {
            if (Is(name, "$ref"))
            {
                continue;
            }

            writer.WritePropertyName(name);
            if (Is(name, "value"))
            {
                writer.WriteStringValue(value);
            }
            else
            {
                Write(writer, member);
            }
        }

        writer.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private static string? IdOf(JsonObject reference) => JsonDom.Get(reference, "value") is { } value ? JsonDom.Text(value) : null;

    /// <summary>Attribute names are case-insensitive (RFC 7643 §2.1).</summary>
    private static bool Is(string name, string attribute) => string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase);

    private string NextPatchId() => "p" + (++_operations).ToString(CultureInfo.InvariantCulture);

    private sealed record Rendered(ReadOnlyMemory<byte> Bytes, FollowUp? FollowUp, List<ImportProblem> NotKept);

    /// <summary>The references of a resource that wait for their targets to be created: added by PATCH later.</summary>
    private sealed class FollowUp(Entry subject)
    {
        public Entry Subject { get; } = subject;

        public List<JsonObject> Members { get; } = [];

        public string? Manager { get; set; }

        public bool IsEmpty => Members.Count == 0 && Manager is null;
    }
}
