using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// Reads the JSON value of one attribute (schema URN, null for the core schema; attribute name;
/// sub-attribute of a single complex value, or empty) into a resource, as the resource's generated
/// reader does: <c>UserJson.ReadAttribute</c>.
/// </summary>
public delegate bool AttributeReader<in T>(T resource, string? schemaUrn, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> subAttribute, ref Utf8JsonReader reader);

/// <summary>
/// The PATCH operations identity providers send most — <c>add</c> or <c>replace</c> of single-valued
/// simple attributes (RFC 7644 §3.5.2.1, §3.5.2.3), with a path (<c>active</c>,
/// <c>urn:…:enterprise:2.0:User:department</c>, and a sub-attribute of a single complex value:
/// <c>name.givenName</c>, Entra's usual shape) or as a path-less value map
/// (<c>{"active": false}</c>; Entra's dotted and URN-qualified keys; Okta's group rename, which
/// repeats the resource's own id) — applied straight to the typed resource. <see cref="PatchEngine"/>
/// applies every operation to a JSON copy of the resource that the generated reader then reads
/// back; for these operations that round trip is most of a PATCH's cost, and its result is the
/// same: each value is read by the same generated code (type rules, tolerances, error details),
/// and <see cref="IScimResource.RemoveUnassigned"/> leaves what the engine's clean-up and the
/// reader leave (a property test holds the two to each other). Two differences, both in what a
/// refused or replaced value reports: when several values are wrong, the error names the first
/// operation's (the engine's reader names the first in its document); and a tolerance a value
/// needed (Entra's <c>"False"</c>) is recorded even when a later operation replaces that value.
/// </summary>
public static class SimplePatch
{
    // Attribute names are short ASCII; a longer one is left to the engine.
    private const int MaxNameBytes = 128;

    /// <summary>
    /// Applies <paramref name="operations"/> to <paramref name="resource"/> and returns true when
    /// every operation sets a single-valued simple attribute the client may write; else returns false
    /// without changing anything, and the caller runs <see cref="PatchEngine"/>. When a value is
    /// refused (400 invalidValue, thrown once all operations are applied) the resource is left
    /// part-changed: callers pass a copy they drop on failure, since a PATCH is atomic (RFC 7644
    /// §3.5.2).
    /// </summary>
    /// <param name="resource">
    /// A copy of the stored resource, which may share its lists and complex values with it (the
    /// store's shallow <c>Copy</c>: issue 7, a PATCH of top-level attributes then copies no more than
    /// the resource itself). Its own attributes are set in place; before anything inside a shared
    /// list or object would change — a sub-attribute (<c>name.givenName</c>) or an extension's
    /// attribute written, or empty values cleaned — it is replaced with <paramref name="ownCopy"/> of
    /// itself. On return, the patched resource.
    /// </param>
    /// <param name="ownCopy">A copy that shares no list or object with its source (the generated <c>DeepCopy</c>).</param>
    public static bool TryApply<T>(ref T resource, IReadOnlyList<PatchOperation> operations, ResourceSchema schema, AttributeReader<T> read, Func<T, T> ownCopy)
        where T : IScimResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(ownCopy);
        List<(ResolvedPath Target, JsonValue Value)>? values;
        try
        {
            values = Plan(operations, schema, resource.Id);
        }
        catch (ScimException)
        {
            // A path the strict profile refuses (an extension attribute named without its URN):
            // the engine refuses it too, naming the operation.
            return false;
        }

        if (values is null)
        {
            return false;
        }

        // The reader writes a sub-attribute or an extension's attribute into the object holding it.
        bool shared = true;
        foreach (var (target, _) in values)
        {
            if (target.SubAttribute is not null || target.Extension is not null)
            {
                resource = ownCopy(resource);
                shared = false;
                break;
            }
        }

        List<(AttributeDefinition Attribute, ScimException Error)>? refused = null;
        foreach (var (target, value) in values)
        {
            Set(resource, target, value, read, ref refused);
        }

        // The engine reads values only once all operations are applied, so a wrong value a later
        // operation replaced is no error there; nor is it here.
        if (refused is { Count: > 0 })
        {
            throw refused[0].Error;
        }

        // The engine drops empty objects and arrays after every operation (RFC 7643 §2.5), the
        // resource's own included; so must this. Cleaning changes lists and objects in place: a
        // resource that shares them is cleaned only when it has something to clean, made its own first.
        if (shared)
        {
            if (!resource.HasUnassigned())
            {
                return true;
            }

            resource = ownCopy(resource);
        }

        resource.RemoveUnassigned();
        return true;
    }

    /// <summary>
    /// Every value the operations set, in order, with the attribute each sets (each path resolved
    /// once); null when one operation is not of the kind this applies.
    /// </summary>
    private static List<(ResolvedPath Target, JsonValue Value)>? Plan(IReadOnlyList<PatchOperation> operations, ResourceSchema schema, string? ownId)
    {
        var values = new List<(ResolvedPath, JsonValue)>(operations.Count);
        foreach (var operation in operations)
        {
            if (operation.Op == PatchOperationType.Remove)
            {
                return null;
            }

            if (operation.Path is { } path)
            {
                if (path.ValueFilter is not null || path.SubAttribute is not null
                    || !TryTarget(schema.TryResolve(path.Attribute), operation.Value, out var target, out var value))
                {
                    return null;
                }

                values.Add((target, value));
                continue;
            }

            // RFC 7644 §3.5.2.1/§3.5.2.3 without "path": every key of the value object is an
            // attribute, read as the engine reads it: plain, dotted (name.givenName) or
            // URN-qualified, as Entra sends with aadOptscim062020 (PatchApplier.KeyPath, which
            // records that tolerance). The resource's own id, "schemas" and "meta" are ignored, as
            // the engine ignores them. An extension's URN (a whole object) and another id are left
            // to it.
            if (operation.Value is not JsonObject map || map.Count == 0)
            {
                return null;
            }

            foreach (var (key, node) in map)
            {
                if (IsIgnored(key))
                {
                    continue;
                }

                if (IsOwnId(key, node, ownId))
                {
                    // Okta's group rename repeats the resource's own id (IDP-BEHAVIOUR.md).
                    Tolerance.Use(ToleranceRule.OwnIdInPatch);
                    continue;
                }

                if (schema.FindExtension(key) is not null || key.Equals("id", StringComparison.OrdinalIgnoreCase)
                    || !TryTarget(schema.TryResolve(PatchApplier.KeyPath(key, extension: null)), node, out var target, out var value))
                {
                    return null;
                }

                values.Add((target, value));
            }
        }

        return values;
    }

    /// <summary>"schemas" (the server's to compute) and "meta" (readOnly): a client echoing what it read; the engine ignores them.</summary>
    private static bool IsIgnored(string key) =>
        key.Equals("schemas", StringComparison.OrdinalIgnoreCase) || key.Equals("meta", StringComparison.OrdinalIgnoreCase);

    /// <summary>A path-less "id" that repeats the resource's own (compared as the engine compares it).</summary>
    private static bool IsOwnId(string key, JsonNode? value, string? ownId) =>
        key.Equals("id", StringComparison.OrdinalIgnoreCase) && value is JsonValue id && JsonDom.Text(id) is { } text
        && string.Equals(text, ownId ?? "", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="node"/> is a JSON string, number or boolean (null unassigns, and
    /// arrays and objects have shapes of their own to check) for a single-valued, simple attribute
    /// the client may write and read back — or such a sub-attribute of a single complex one
    /// (name.givenName). readOnly and immutable attributes need the engine's mutability checks,
    /// writeOnly or never-returned ones (a password) its separate handling.
    /// </summary>
    private static bool TryTarget(ResolvedPath? resolved, JsonNode? node, out ResolvedPath target, out JsonValue value)
    {
        target = resolved!;
        value = (node as JsonValue)!;
        return value?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            && resolved is { Attribute: { } attribute } && IsWritable(attribute)
            && (resolved.SubAttribute is { } sub
                ? attribute.Type == AttributeType.Complex && IsWritable(sub) && sub.Type != AttributeType.Complex
                : attribute.Type != AttributeType.Complex);
    }

    private static bool IsWritable(AttributeDefinition attribute) =>
        !attribute.MultiValued
        && attribute.Mutability == Mutability.ReadWrite
        && attribute.Returned != Returned.Never
        && Encoding.UTF8.GetByteCount(attribute.Name) <= MaxNameBytes;

    /// <summary>Reads <paramref name="value"/> into the attribute; a value of the wrong type leaves it as it was and is kept in <paramref name="refused"/> until a later value replaces it.</summary>
    private static void Set<T>(T resource, ResolvedPath target, JsonValue value, AttributeReader<T> read, ref List<(AttributeDefinition Attribute, ScimException Error)>? refused)
    {
        // What a value is kept under: the attribute, or the sub-attribute it sets.
        var attribute = target.SubAttribute ?? target.Attribute!;
        Span<byte> name = stackalloc byte[MaxNameBytes];
        name = name[..Encoding.UTF8.GetBytes(target.Attribute!.Name, name)];
        Span<byte> sub = stackalloc byte[MaxNameBytes];
        sub = target.SubAttribute is { } subAttribute ? sub[..Encoding.UTF8.GetBytes(subAttribute.Name, sub)] : [];
        var reader = new Utf8JsonReader(Utf8Json(value));
        reader.Read();
        bool known;
        try
        {
            known = read(resource, target.Extension?.Id, name, sub, ref reader);
        }
        catch (ScimException e)
        {
            refused ??= [];
            Forget(refused, attribute);
            refused.Add((attribute, e));
            return;
        }

        // The schema tables say the client may write it; the generated reader must agree.
        if (!known)
        {
            throw new InvalidOperationException($"The generated reader does not read the writable attribute '{attribute.Name}'.");
        }

        if (refused is not null)
        {
            Forget(refused, attribute);
        }
    }

    /// <summary>Drops the error kept for <paramref name="attribute"/>: a later value replaced it. (A loop, not a lambda: this runs per value.)</summary>
    private static void Forget(List<(AttributeDefinition Attribute, ScimException Error)> refused, AttributeDefinition attribute)
    {
        for (var i = refused.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(refused[i].Attribute, attribute))
            {
                refused.RemoveAt(i);
            }
        }
    }

    /// <summary>The value as UTF-8 JSON: the request's own bytes when the value still wraps them.</summary>
    private static ReadOnlySpan<byte> Utf8Json(JsonValue value) =>
        value.TryGetValue(out JsonElement element)
            ? JsonMarshal.GetRawUtf8Value(element)
            : Encoding.UTF8.GetBytes(value.ToJsonString());
}
