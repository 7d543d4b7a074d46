using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>The state of one <see cref="PatchEngine.Apply"/> call: the resource, its schema, the options.</summary>
internal sealed partial class PatchApplier(JsonObject resource, ResourceSchema schema, PatchOptions options)
{
    public void Apply(PatchOperation operation)
    {
        var op = operation.Op;
        var value = operation.Value;
        if (operation.Path is not { } path)
        {
            if (op == PatchOperationType.Remove)
            {
                throw new ScimException(400, ScimType.NoTarget, "\"remove\" requires a \"path\" (RFC 7644 §3.5.2.2).");
            }

            // RFC 7644 §3.5.2.1/§3.5.2.3: without "path" the target is the resource itself and
            // "value" holds the attributes to add or replace.
            ApplyMap(op, value as JsonObject ?? throw Syntax($"\"{Wire(op)}\" without a \"path\" needs an object \"value\"."), extension: null);
        }
        else
        {
            ApplyPath(op, path, value);
        }

        RemoveEmptyContainers();
    }

    private void ApplyPath(PatchOperationType op, PatchPath path, JsonNode? value)
    {
        if (Resolve(path.Attribute) is not { } target)
        {
            return;
        }

        if (target.Attribute is null)
        {
            if (path.ValueFilter is not null)
            {
                throw InvalidPath($"'{path.Attribute}' is a schema extension, not a multi-valued attribute.");
            }

            ApplyExtension(op, target.Extension!, value);
            return;
        }

        if (path.ValueFilter is { } filter)
        {
            var attribute = target.Attribute;
            if (!attribute.MultiValued)
            {
                throw InvalidPath($"A value filter applies to a multi-valued attribute; '{attribute.Name}' is single-valued.");
            }

            AttributeDefinition? sub = null;
            if (path.SubAttribute is { } subName)
            {
                sub = attribute.FindSubAttribute(subName);
                if (sub is null)
                {
                    if (options.IgnoreUnknownAttributes)
                    {
                        return;
                    }

                    throw InvalidPath($"The attribute '{attribute.Name}' has no sub-attribute '{subName}'.");
                }
            }

            ApplyFiltered(op, target, filter, sub, value);
        }
        else if (target.SubAttribute is not null)
        {
            ApplySubAttribute(op, target, value);
        }
        else
        {
            ApplyAttribute(op, target, value);
        }
    }

    /// <summary>A path-less value, or the object under an extension URN: every key is a path.</summary>
    private void ApplyMap(PatchOperationType op, JsonObject map, SchemaDefinition? extension)
    {
        foreach (var (key, value) in map.ToArray())
        {
            if (extension is null)
            {
                if (schema.FindExtension(key) is { } whole)
                {
                    ApplyExtension(op, whole, value);
                    continue;
                }

                // Clients echo what they read: "schemas" is the server's to compute, "meta" is
                // readOnly server state, and Okta's group rename repeats the resource's own "id"
                // (IDP-BEHAVIOUR.md); all three are ignored rather than refused.
                if (key.Equals("schemas", StringComparison.OrdinalIgnoreCase) || key.Equals("meta", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (key.Equals("id", StringComparison.OrdinalIgnoreCase) && value is JsonValue id && JsonDom.Text(id) is { } text
                    && string.Equals(text, JsonDom.Text(JsonDom.Get(resource, "id") ?? JsonValue.Create("")!), StringComparison.Ordinal))
                {
                    Tolerance.Use(ToleranceRule.OwnIdInPatch);
                    continue;
                }
            }

            if (Resolve(KeyPath(key, extension)) is not { } target)
            {
                continue;
            }

            if (target.Attribute is null)
            {
                ApplyExtension(op, target.Extension!, value);
            }
            else if (target.SubAttribute is not null)
            {
                ApplySubAttribute(op, target, value);
            }
            else
            {
                ApplyAttribute(op, target, value);
            }
        }
    }

    private void ApplyExtension(PatchOperationType op, SchemaDefinition extension, JsonNode? value)
    {
        if (op == PatchOperationType.Remove || value is null)
        {
            foreach (var attribute in extension.Attributes)
            {
                RemoveAttribute(new ResolvedPath(extension, attribute, null));
            }

            return;
        }

        ApplyMap(op, value as JsonObject ?? throw InvalidValue($"The value of '{extension.Id}' must be an object."), extension);
    }

    /// <summary>
    /// A key of a path-less value map: plain (<c>displayName</c>), dotted (<c>name.givenName</c>,
    /// which SCIM-SDK silently ignored: scim-for-keycloak#26) or URN-qualified. Schema URNs contain
    /// '.', so the URN ends at the last ':' and only the rest is split at '.'.
    /// </summary>
    internal static AttributePath KeyPath(string key, SchemaDefinition? extension)
    {
        string? urn = extension?.Id;
        var rest = key;
        var colon = key.LastIndexOf(':');
        if (colon >= 0)
        {
            if (extension is not null)
            {
                throw InvalidPath($"'{key}' inside the '{extension.Id}' object must be an attribute name.");
            }

            urn = key[..colon];
            rest = key[(colon + 1)..];
        }

        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 || colon >= 0)
        {
            // Entra with aadOptscim062020: {"name.givenName": …, "urn:…:User:employeeNumber": …}.
            Tolerance.Use(ToleranceRule.PathlessAttributePath);
        }

        var name = dot < 0 ? rest : rest[..dot];
        var sub = dot < 0 ? null : rest[(dot + 1)..];
        if (name.Length == 0 || sub is { Length: 0 } || (sub?.Contains('.', StringComparison.Ordinal) ?? false))
        {
            throw InvalidPath($"'{key}' is not an attribute path.");
        }

        return new AttributePath(urn, name, sub);
    }

    private ResolvedPath? Resolve(AttributePath path)
    {
        var resolved = schema.TryResolve(path);
        if (resolved is null && !options.IgnoreUnknownAttributes)
        {
            throw InvalidPath($"The attribute '{path}' is not defined for {schema.Core.Name} resources.");
        }

        return resolved;
    }

    /// <summary>The object that holds <paramref name="target"/>: the resource, or its extension object.</summary>
    private JsonObject? Container(ResolvedPath target, bool create)
    {
        if (target.Extension is not { } extension)
        {
            return resource;
        }

        if (JsonDom.Get(resource, extension.Id) is JsonObject existing)
        {
            return existing;
        }

        if (!create)
        {
            return null;
        }

        var created = new JsonObject();
        JsonDom.Set(resource, extension.Id, created);
        if (JsonDom.Get(resource, "schemas") is JsonArray schemas && !schemas.Any(s => s is JsonValue v && string.Equals(JsonDom.Text(v), extension.Id, StringComparison.OrdinalIgnoreCase)))
        {
            schemas.Add((JsonNode?)JsonValue.Create(extension.Id));
        }

        return created;
    }

    /// <summary>
    /// Unassigned attributes are absent (RFC 7643 §2.5): drop empty arrays and objects left by an
    /// operation, and an extension object with no attributes (with its URN in "schemas").
    /// </summary>
    private void RemoveEmptyContainers()
    {
        foreach (var extension in schema.Extensions)
        {
            if (JsonDom.FindKey(resource, extension.Id) is { } key && resource[key] is JsonObject { Count: 0 })
            {
                resource.Remove(key);
                if (JsonDom.Get(resource, "schemas") is JsonArray schemas)
                {
                    for (var i = schemas.Count - 1; i >= 0; i--)
                    {
                        if (schemas[i] is JsonValue v && string.Equals(JsonDom.Text(v), extension.Id, StringComparison.OrdinalIgnoreCase))
                        {
                            schemas.RemoveAt(i);
                        }
                    }
                }
            }
        }

        RemoveEmpty(resource, 0);
    }

    private static void RemoveEmpty(JsonObject obj, int depth)
    {
        foreach (var (key, value) in obj.ToArray())
        {
            if (value is JsonObject child && depth < 2)
            {
                RemoveEmpty(child, depth + 1);
            }

            if (value is JsonArray array)
            {
                // A value whose every sub-attribute was removed is no value at all.
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (array[i] is JsonObject { Count: 0 })
                    {
                        array.RemoveAt(i);
                    }
                }
            }

            if (value is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                obj.Remove(key);
            }
        }
    }

    private static string Wire(PatchOperationType op) => op.ToString().ToLowerInvariant();

    private static ScimException Syntax(string detail) => new(400, ScimType.InvalidSyntax, detail);

    private static ScimException InvalidPath(string detail) => new(400, ScimType.InvalidPath, detail);

    private static ScimException InvalidValue(string detail) => new(400, ScimType.InvalidValue, detail);

    private static ScimException NoTarget(string detail) => new(400, ScimType.NoTarget, detail);

    private static ScimException MutabilityError(string detail) => new(400, ScimType.Mutability, detail);
}
