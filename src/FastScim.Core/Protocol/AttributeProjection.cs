using System.Text.Json;
using FastScim.Core.Filtering;
using FastScim.Core.Patch;
using FastScim.Core.Schema;

namespace FastScim.Core.Protocol;

/// <summary>
/// The "attributes" and "excludedAttributes" parameters (RFC 7644 §3.4.2.5, §3.9), applied to a
/// resource as the generated writer wrote it: a streaming copy that keeps what the client asked
/// for. "id" and "schemas", and every attribute whose "returned" is "always", are always kept
/// (RFC 7643 §7); "never" attributes are never written in the first place. Names match
/// case-insensitively, in standard attribute notation (§3.10: <c>name.givenName</c>,
/// <c>urn:…:enterprise:2.0:User:manager.value</c>); names no schema defines select nothing.
/// </summary>
public sealed class AttributeProjection
{
    private readonly Node? _include;
    private readonly Node? _exclude;
    private readonly ResourceSchema _schema;

    private AttributeProjection(ResourceSchema schema, Node? include, Node? exclude)
    {
        _schema = schema;
        _include = include;
        _exclude = exclude;
    }

    /// <summary>The projection the parameters ask for, or null when they ask for nothing (the default set).</summary>
    public static AttributeProjection? Parse(string? attributes, string? excludedAttributes, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var include = ParseList(attributes, schema);
        var exclude = ParseList(excludedAttributes, schema);
        return include is null && exclude is null ? null : new AttributeProjection(schema, include, exclude);
    }

    /// <summary>Whether a top-level attribute (e.g. "members") is returned: lets a caller avoid loading it.</summary>
    public bool Returns(string attribute)
    {
        if (_exclude is not null && _exclude.Children.TryGetValue(attribute, out var excluded) && excluded.Whole)
        {
            return false;
        }

        return _include is null || _include.Children.ContainsKey(attribute);
    }

    /// <summary>Copies <paramref name="resource"/> (one JSON object) to <paramref name="output"/>, keeping what is selected.</summary>
    public void Copy(ReadOnlySpan<byte> resource, Utf8JsonWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new Utf8JsonReader(resource);
        reader.Read();
        CopyObject(ref reader, resource, output, _include, _exclude, level: Level.Resource);
    }

    private enum Level
    {
        Resource,
        Extension,
        Complex,
    }

    private void CopyObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter output, Node? include, Node? exclude, Level level)
    {
        output.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var always = level == Level.Resource && (name == "id" || name == "schemas" || IsAlwaysReturned(name));
            Node? included = null;
            Node? excluded = null;
            var keep = always
                || ((include is null || include.Whole || include.Children.TryGetValue(name, out included))
                    && (exclude is null || !exclude.Children.TryGetValue(name, out excluded) || !excluded.Whole));
            if (!keep)
            {
                reader.Skip();
                continue;
            }

            if (include is not null && include.Whole)
            {
                included = include;
            }

            var narrow = !always && ((included is { Whole: false }) || (excluded is not null && excluded.Children.Count > 0));
            output.WritePropertyName(name);
            if (!narrow)
            {
                CopyRaw(ref reader, json, output);
                continue;
            }

            var childLevel = level == Level.Resource && name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) ? Level.Extension : Level.Complex;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                CopyObject(ref reader, json, output, included is { Whole: false } ? included : null, excluded, childLevel);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                output.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        CopyObject(ref reader, json, output, included is { Whole: false } ? included : null, excluded, Level.Complex);
                    }
                    else
                    {
                        CopyRaw(ref reader, json, output);
                    }
                }

                output.WriteEndArray();
            }
            else
            {
                CopyRaw(ref reader, json, output);
            }
        }

        output.WriteEndObject();
    }

    private bool IsAlwaysReturned(string name) => _schema.Core.FindAttribute(name) is { Returned: Returned.Always };

    private static void CopyRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter output)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        output.WriteRawValue(json[start..end], skipInputValidation: true);
    }

    /// <summary>Builds the tree of selected names, keyed in the writer's spelling (schema spelling).</summary>
    private static Node? ParseList(string? list, ResourceSchema schema)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        var root = new Node();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            PatchPath parsed;
            try
            {
                parsed = PatchPathParser.Parse(item);
            }
            catch (ScimException)
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, $"'{item}' in attributes/excludedAttributes is not an attribute name (RFC 7644 §3.10).");
            }

            // "emails[type eq \"work\"]" is not attribute notation (§3.10), but clients send it
            // (Microsoft's SCIM test collection does): it names the attribute, so select that.
            var attribute = parsed.ValueFilter is null || parsed.Attribute.SubAttribute is not null
                ? parsed.Attribute
                : parsed.Attribute with { SubAttribute = parsed.SubAttribute };
            if (schema.TryResolve(attribute) is not { } resolved)
            {
                continue;
            }

            var node = root;
            if (resolved.Extension is { } extension)
            {
                node = node.Child(extension.Id);
            }

            if (resolved.Attribute is null)
            {
                node.Whole = true;
                continue;
            }

            node = node.Child(resolved.Attribute.Name);
            if (resolved.SubAttribute is null)
            {
                node.Whole = true;
            }
            else
            {
                node.Child(resolved.SubAttribute.Name).Whole = true;
            }
        }

        return root;
    }

    private sealed class Node
    {
        public bool Whole { get; set; }

        public Dictionary<string, Node> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Node Child(string name)
        {
            if (!Children.TryGetValue(name, out var child))
            {
                child = new Node();
                Children.Add(name, child);
            }

            return child;
        }
    }
}
