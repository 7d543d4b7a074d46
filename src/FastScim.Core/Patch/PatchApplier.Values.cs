using System.Text.Json.Nodes;
using System.Text.Json;
using FastScim.Core.Compatibility;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>Values: canonical shape, equality within a multi-valued attribute, the one primary.</summary>
internal sealed partial class PatchApplier
{
    /// <summary>
    /// Brings a client value into the shape the generated reader expects, in schema spelling: a
    /// multi-valued attribute gets an array (a single value becomes a one-element array), a
    /// complex value an object with known sub-attributes only. Detached copies throughout.
    /// </summary>
    private static JsonNode Canonicalize(AttributeDefinition attribute, JsonNode? value, string name)
    {
        if (!attribute.MultiValued)
        {
            // Entra's tutorial adds "manager" as [{"value": …}]: one value in an array.
            if (value is JsonArray { Count: 1 } one && one[0] is { } only)
            {
                Tolerance.Use(ToleranceRule.SingleValueInArray);
                value = only;
            }

            return CanonicalizeSingle(attribute, value!, name, keepNulls: true);
        }

        var array = new JsonArray();
        foreach (var item in value is JsonArray list ? list : [value?.DeepClone()])
        {
            if (item is not null && !(item is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
            {
                array.Add(CanonicalizeSingle(attribute, item, name, keepNulls: false));
            }
        }

        return array;
    }

    /// <summary>One value of <paramref name="attribute"/>.</summary>
    /// <param name="keepNulls">Keep sub-attributes set to null (they mean "unassign" in a merge).</param>
    private static JsonNode CanonicalizeSingle(AttributeDefinition attribute, JsonNode value, string name, bool keepNulls)
    {
        if (attribute.Type != AttributeType.Complex)
        {
            return CanonicalizeSimple(attribute, value, name);
        }

        if (value is JsonObject obj)
        {
            var result = new JsonObject();
            foreach (var (key, item) in obj)
            {
                // Unknown sub-attributes are dropped, as the generated reader drops them: Okta
                // sends members[].display, which RFC 7643 §8.7.1 does not define for Group. So are
                // readOnly ones (manager.displayName): the client cannot set them.
                var sub = attribute.FindSubAttribute(key);
                if (sub is null || sub.Mutability == Mutability.ReadOnly)
                {
                    continue;
                }

                if (item is null || (item is JsonValue v && v.GetValueKind() == JsonValueKind.Null))
                {
                    if (keepNulls)
                    {
                        result[sub.Name] = null;
                    }

                    continue;
                }

                result[sub.Name] = CanonicalizeSimple(sub, item, name + "." + sub.Name);
            }

            return result;
        }

        // Entra may send "manager": "myuser" for {"value": "myuser"} (IDP-BEHAVIOUR.md,
        // directory-scimple#1242): a primitive for a complex attribute with a "value" sub-attribute.
        if (value is JsonValue primitive && attribute.FindSubAttribute("value") is { } valueSub)
        {
            Tolerance.Use(ToleranceRule.ManagerAsString);
            return new JsonObject { [valueSub.Name] = primitive.DeepClone() };
        }

        throw InvalidValue($"The value of '{name}' must be an object.");
    }

    /// <summary>
    /// A simple value is copied as sent; its JSON type is checked by the generated reader, which
    /// also accepts "True"/"False" for booleans. Only the shape is checked here.
    /// </summary>
    private static JsonNode CanonicalizeSimple(AttributeDefinition attribute, JsonNode value, string name)
    {
        if (value is JsonObject or JsonArray)
        {
            throw InvalidValue($"The value of '{name}' must be a single {attribute.Type.ToString().ToLowerInvariant()}, not {(value is JsonArray ? "an array" : "an object")}.");
        }

        return value.DeepClone();
    }

    /// <summary>
    /// Whether <paramref name="values"/> already holds <paramref name="item"/>. A complex value
    /// whose "value" sub-attribute is immutable (Group members) is identified by "value" alone;
    /// other values are equal when all their sub-attributes are (per caseExact).
    /// </summary>
    private static bool Contains(AttributeDefinition attribute, JsonArray values, JsonNode item)
    {
        foreach (var existing in values)
        {
            if (SameValue(attribute, existing, item))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameValue(AttributeDefinition attribute, JsonNode? existing, JsonNode item)
    {
        if (attribute.Type == AttributeType.Complex && attribute.FindSubAttribute("value") is { Mutability: Mutability.Immutable } valueSub
            && existing is JsonObject a && item is JsonObject b && JsonDom.Get(b, valueSub.Name) is { } identity)
        {
            return JsonDom.ValuesEqual(valueSub, JsonDom.Get(a, valueSub.Name), identity);
        }

        return JsonDom.ValuesEqual(attribute, existing, item);
    }

    /// <summary>
    /// Entra's remove-with-value: drops the values equal to one of <paramref name="removed"/>;
    /// an item with a "value" sub-attribute matches by "value" alone.
    /// </summary>
    private static void RemoveValues(AttributeDefinition attribute, JsonArray values, JsonNode removed)
    {
        var valueSub = attribute.Type == AttributeType.Complex ? attribute.FindSubAttribute("value") : null;
        foreach (var item in ((JsonArray)removed).Select(i => i!))
        {
            for (var i = values.Count - 1; i >= 0; i--)
            {
                var same = valueSub is not null && item is JsonObject o && JsonDom.Get(o, valueSub.Name) is { } identity
                    ? values[i] is JsonObject e && JsonDom.ValuesEqual(valueSub, JsonDom.Get(e, valueSub.Name), identity)
                    : JsonDom.ValuesEqual(attribute, values[i], item);
                if (same)
                {
                    values.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// RFC 7643 §2.4: the primary value "true" MUST appear no more than once. A value this
    /// operation wrote with primary true takes it from the others; two such values are refused.
    /// </summary>
    private static void EnforceSinglePrimary(AttributeDefinition attribute, JsonArray values, IReadOnlyCollection<JsonNode> written)
    {
        if (attribute.FindSubAttribute("primary") is not { Type: AttributeType.Boolean } primary)
        {
            return;
        }

        var winners = written.Where(v => v is JsonObject o && JsonDom.Boolean(JsonDom.Get(o, primary.Name)) == true).ToList();
        if (winners.Count > 1)
        {
            throw InvalidValue($"More than one value of '{attribute.Name}' has \"primary\": true (RFC 7643 §2.4).");
        }

        if (winners.Count == 0)
        {
            return;
        }

        foreach (var other in values.OfType<JsonObject>())
        {
            if (!ReferenceEquals(other, winners[0]) && JsonDom.Boolean(JsonDom.Get(other, primary.Name)) == true)
            {
                JsonDom.Remove(other, primary.Name);
            }
        }
    }
}
