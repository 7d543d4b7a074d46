using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastScim.Core.Protocol;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// Small helpers over <see cref="JsonNode"/>: member access by attribute name, case-insensitively
/// (RFC 7643 §2.1), and value equality by the schema's type and caseExact.
/// </summary>
internal static class JsonDom
{
    /// <summary>
    /// <paramref name="element"/> as a node of its own, outliving its document (a node has one
    /// parent, and the engine inserts values into a resource); null for JSON null. As with what
    /// <c>JsonNode.Parse</c> gives, its objects and arrays are read on first use.
    /// </summary>
    /// <remarks>
    /// A string or a boolean becomes a value of its own; cloning the element made a document per
    /// value (its bytes and its metadata), most of what parsing a PATCH of simple values allocated
    /// (issue 7). A string without text (a lone surrogate escaped) and a number stay element-backed:
    /// the first is refused later with its own message (JsonText), the second keeps its exact digits.
    /// </remarks>
    public static JsonNode? Detached(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => JsonObject.Create(element.Clone()),
        JsonValueKind.Array => JsonArray.Create(element.Clone()),
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        JsonValueKind.String when JsonText.TryRead(element) is { } text => JsonValue.Create(text),
        _ => JsonValue.Create(element.Clone()),
    };

    /// <summary>The member whose name equals <paramref name="name"/> ignoring case, or null.</summary>
    public static JsonNode? Get(JsonObject obj, string name) => FindKey(obj, name) is { } key ? obj[key] : null;

    public static string? FindKey(JsonObject obj, string name)
    {
        if (obj.ContainsKey(name))
        {
            return name;
        }

        foreach (var pair in obj)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Key;
            }
        }

        return null;
    }

    /// <summary>Sets a member under the schema's spelling, dropping any differently cased twin.</summary>
    public static void Set(JsonObject obj, string name, JsonNode? value)
    {
        // Assigning in place keeps the member's position, so a no-op change is byte-identical.
        if (!obj.ContainsKey(name))
        {
            Remove(obj, name);
        }

        obj[name] = value;
    }

    /// <summary>Removes every member named <paramref name="name"/> ignoring case; true if one was there.</summary>
    public static bool Remove(JsonObject obj, string name)
    {
        var removed = false;
        while (FindKey(obj, name) is { } key)
        {
            obj.Remove(key);
            removed = true;
        }

        return removed;
    }

    public static string? Text(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A JSON boolean, or a string "true"/"false" in any case (Entra sends "False").</summary>
    public static bool? Boolean(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var parsed) => parsed,
            _ => null,
        };
    }

    public static decimal? Number(JsonNode node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
            JsonValueKind.String => decimal.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
            _ => null,
        };
    }

    /// <summary>
    /// Whether two values of <paramref name="definition"/> are the same value: complex values have
    /// the same sub-attributes with equal values; strings compare per caseExact.
    /// </summary>
    public static bool ValuesEqual(AttributeDefinition definition, JsonNode? left, JsonNode? right)
    {
        if (!ValueFilterEvaluator.IsPresent(left) || !ValueFilterEvaluator.IsPresent(right))
        {
            return ValueFilterEvaluator.IsPresent(left) == ValueFilterEvaluator.IsPresent(right);
        }

        if (definition.Type == AttributeType.Complex)
        {
            if (left is not JsonObject a || right is not JsonObject b)
            {
                return JsonNode.DeepEquals(left, right);
            }

            foreach (var sub in definition.SubAttributes)
            {
                if (!ValuesEqual(sub, Get(a, sub.Name), Get(b, sub.Name)))
                {
                    return false;
                }
            }

            return true;
        }

        switch (definition.Type)
        {
            case AttributeType.Boolean when Boolean(left) is { } x && Boolean(right) is { } y:
                return x == y;
            case AttributeType.Integer or AttributeType.Decimal when Number(left!) is { } x && Number(right!) is { } y:
                return x == y;
            case AttributeType.DateTime when DateTimeOffset.TryParse(Text(left!), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var x)
                && DateTimeOffset.TryParse(Text(right!), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var y):
                return x.UtcDateTime == y.UtcDateTime;
        }

        if (Text(left!) is { } s && Text(right!) is { } t)
        {
            return string.Equals(s, t, definition.CaseExact ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        }

        return JsonNode.DeepEquals(left, right);
    }

    /// <summary><see cref="ValuesEqual"/> for single values; for lists, the same values in any order.</summary>
    public static bool ValuesEqualOrSameList(AttributeDefinition definition, JsonNode? left, JsonNode? right)
    {
        if (!definition.MultiValued || left is not JsonArray a || right is not JsonArray b)
        {
            return ValuesEqual(definition, left, right);
        }

        return a.Count == b.Count
            && a.All(x => b.Any(y => ValuesEqual(definition, x, y)))
            && b.All(y => a.Any(x => ValuesEqual(definition, x, y)));
    }
}
