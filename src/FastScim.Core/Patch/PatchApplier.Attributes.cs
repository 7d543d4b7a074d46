using System.Text.Json.Nodes;
using System.Text.Json;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>The three targets of a path: an attribute, a sub-attribute, the values a filter selects.</summary>
internal sealed partial class PatchApplier
{
    /// <summary><c>userName</c>, <c>emails</c>, <c>name</c>, <c>urn:…:User:manager</c>.</summary>
    private void ApplyAttribute(PatchOperationType op, ResolvedPath target, JsonNode? value)
    {
        var attribute = target.Attribute!;
        var container = Container(target, create: false);
        var current = container is null ? null : JsonDom.Get(container, attribute.Name);

        // Entra's default PATCH removes group members with {"op":"Remove","path":"members",
        // "value":[{"value":"u1"}]} and means "remove these", not "remove all" (IDP-BEHAVIOUR.md).
        if (op == PatchOperationType.Remove && attribute is { MultiValued: true } && ValueFilterEvaluator.IsPresent(value))
        {
            Tolerance.Use(ToleranceRule.RemoveMembersWithValue);
            CheckNotReadOnly(attribute);
            if (current is JsonArray values)
            {
                RemoveValues(attribute, values, Canonicalize(attribute, value, attribute.Name));
            }

            return;
        }

        // A null "value" in add/replace assigns null, i.e. unassigns (RFC 7643 §2.5).
        if (op == PatchOperationType.Remove || value is null)
        {
            RemoveAttribute(target);
            return;
        }

        CheckNotReadOnly(attribute);
        var canonical = Canonicalize(attribute, value, attribute.Name);
        container = Container(target, create: true)!;
        if (attribute.MultiValued)
        {
            var incoming = (JsonArray)canonical;
            if (op == PatchOperationType.Add)
            {
                // §3.5.2.1: "a new value is added"; "if the target location already contains the
                // value specified, no changes SHOULD be made".
                if (attribute.Mutability == Schema.Mutability.Immutable && ValueFilterEvaluator.IsPresent(current))
                {
                    throw MutabilityError($"'{attribute.Name}' is immutable and already has values.");
                }

                var values = current as JsonArray;
                if (values is null)
                {
                    values = [];
                    JsonDom.Set(container, attribute.Name, values);
                }

                var added = new List<JsonNode>();
                foreach (var item in incoming.ToArray())
                {
                    if (!Contains(attribute, values, item!))
                    {
                        incoming.Remove(item);
                        values.Add(item);
                        added.Add(item!);
                    }
                }

                EnforceSinglePrimary(attribute, values, added);
            }
            else
            {
                // §3.5.2.3: a multi-valued target without a filter has all its values replaced;
                // "members": [] clears (IDP-BEHAVIOUR.md: Okta's "Push now" on an empty group).
                CheckImmutable(attribute, current, incoming);
                var values = new JsonArray();
                foreach (var item in incoming.ToArray())
                {
                    if (!Contains(attribute, values, item!))
                    {
                        incoming.Remove(item);
                        values.Add(item);
                    }
                }

                if (values.Count == 0)
                {
                    RemoveAttribute(target);
                    return;
                }

                JsonDom.Set(container, attribute.Name, values);
                EnforceSinglePrimary(attribute, values, [.. values.Select(v => v!)]);
            }
        }
        else if (attribute.Type == AttributeType.Complex)
        {
            // §3.5.2.1 and §3.5.2.3 alike: the sub-attributes given replace or add, the others
            // are left unchanged.
            var target2 = current as JsonObject;
            if (target2 is null)
            {
                target2 = [];
                JsonDom.Set(container, attribute.Name, target2);
            }

            foreach (var (key, subValue) in ((JsonObject)canonical).ToArray())
            {
                var sub = attribute.FindSubAttribute(key)!;
                if (subValue is null)
                {
                    RemoveSub(attribute, sub, target2);
                }
                else
                {
                    SetSub(attribute, sub, target2, subValue.DeepClone());
                }
            }
        }
        else
        {
            CheckImmutable(attribute, current, canonical);
            JsonDom.Set(container, attribute.Name, canonical);
        }
    }

    /// <summary><c>name.givenName</c>, <c>urn:…:User:manager.value</c>, <c>emails.type</c> (every value).</summary>
    private void ApplySubAttribute(PatchOperationType op, ResolvedPath target, JsonNode? value)
    {
        var attribute = target.Attribute!;
        var sub = target.SubAttribute!;
        CheckNotReadOnly(attribute);
        var remove = op == PatchOperationType.Remove || value is null;
        var container = Container(target, create: !remove);
        var current = container is null ? null : JsonDom.Get(container, attribute.Name);
        if (attribute.MultiValued)
        {
            if (current is not JsonArray { Count: > 0 } values)
            {
                if (remove)
                {
                    return;
                }

                throw NoTarget($"'{attribute.Name}' has no values whose '{sub.Name}' could be set.");
            }

            foreach (var element in values.OfType<JsonObject>())
            {
                if (remove)
                {
                    RemoveSub(attribute, sub, element);
                }
                else
                {
                    SetSub(attribute, sub, element, CanonicalizeSimple(sub, value!, attribute.Name + "." + sub.Name));
                }
            }

            if (!remove)
            {
                EnforceSinglePrimary(attribute, values, [.. values.Select(v => v!)]);
            }

            return;
        }

        if (remove)
        {
            if (current is JsonObject existing)
            {
                RemoveSub(attribute, sub, existing);
            }
            else if (sub.Required)
            {
                throw MutabilityError($"'{attribute.Name}.{sub.Name}' is required and cannot be removed (RFC 7644 §3.5.2.2).");
            }

            return;
        }

        var obj = current as JsonObject;
        if (obj is null)
        {
            obj = [];
            JsonDom.Set(container!, attribute.Name, obj);
        }

        SetSub(attribute, sub, obj, CanonicalizeSimple(sub, value!, attribute.Name + "." + sub.Name));
    }

    /// <summary><c>emails[type eq "work"]</c>, <c>emails[type eq "work"].value</c>, <c>members[value eq "…"]</c>.</summary>
    private void ApplyFiltered(PatchOperationType op, ResolvedPath target, FilterNode filter, AttributeDefinition? sub, JsonNode? value)
    {
        var attribute = target.Attribute!;
        CheckNotReadOnly(attribute);
        if (sub is not null && attribute.Type != AttributeType.Complex)
        {
            throw InvalidPath($"'{attribute.Name}' has no sub-attributes.");
        }

        var remove = op == PatchOperationType.Remove || value is null;
        var container = Container(target, create: !remove);
        var values = container is null ? null : JsonDom.Get(container, attribute.Name) as JsonArray;
        var matches = values is null ? [] : values.Where(v => v is not null && ValueFilterEvaluator.Matches(filter, v, attribute)).Select(v => v!).ToList();

        if (remove)
        {
            // §3.5.2.2: the values the filter matches are removed (or their sub-attribute); a
            // filter matching nothing removes nothing (Okta removes members it never added).
            foreach (var match in matches)
            {
                if (sub is null)
                {
                    values!.Remove(match);
                }
                else if (match is JsonObject element)
                {
                    RemoveSub(attribute, sub, element);
                }
            }

            if (values is { Count: 0 } && attribute.Required)
            {
                throw MutabilityError($"'{attribute.Name}' is required and cannot become unassigned (RFC 7644 §3.5.2.2).");
            }

            return;
        }

        if (matches.Count == 0)
        {
            // §3.5.2.3 says noTarget when nothing matches; Entra expects the value to be created
            // with the filter's values instead (RFC 7644 erratum 8097, IDP-BEHAVIOUR.md). Only an
            // "eq"/"and" filter says what that value is; any other filter keeps the RFC's noTarget.
            var template = ValueFilterEvaluator.EqualityTemplate(filter, attribute)
                ?? throw NoTarget($"No value of '{attribute.Name}' matches [{filter}], and the filter does not say what value to create.");
            Tolerance.Use(ToleranceRule.FilteredAddCreates);
            if (sub is not null)
            {
                template[sub.Name] = CanonicalizeSimple(sub, value!, attribute.Name + "." + sub.Name);
            }
            else
            {
                foreach (var (key, item) in ((JsonObject)CanonicalizeSingle(attribute, value!, attribute.Name, keepNulls: false)).ToArray())
                {
                    template[key] = item?.DeepClone();
                }
            }

            if (values is null)
            {
                values = [];
                JsonDom.Set(container!, attribute.Name, values);
            }

            values.Add((JsonNode)template);
            EnforceSinglePrimary(attribute, values, [template]);
            return;
        }

        for (var m = 0; m < matches.Count; m++)
        {
            var match = matches[m];
            if (sub is not null)
            {
                SetSub(attribute, sub, (JsonObject)match, CanonicalizeSimple(sub, value!, attribute.Name + "." + sub.Name));
            }
            else if (op == PatchOperationType.Replace)
            {
                // §3.5.2.3: "all matching record values SHALL be replaced".
                var replacement = CanonicalizeSingle(attribute, value!, attribute.Name, keepNulls: false);
                CheckImmutableSubAttributes(attribute, match, replacement);
                values![values.IndexOf(match)] = replacement;
                matches[m] = replacement;
            }
            else
            {
                foreach (var (key, item) in ((JsonObject)CanonicalizeSingle(attribute, value!, attribute.Name, keepNulls: true)).ToArray())
                {
                    var subAttribute = attribute.FindSubAttribute(key)!;
                    if (item is null)
                    {
                        RemoveSub(attribute, subAttribute, (JsonObject)match);
                    }
                    else
                    {
                        SetSub(attribute, subAttribute, (JsonObject)match, item.DeepClone());
                    }
                }
            }
        }

        EnforceSinglePrimary(attribute, values!, matches);
    }

    private void RemoveAttribute(ResolvedPath target)
    {
        var attribute = target.Attribute!;
        var container = Container(target, create: false);
        var current = container is null ? null : JsonDom.Get(container, attribute.Name);

        // RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as
        // a required attribute or a read-only attribute, the server SHALL return ... a "scimType"
        // error code of "mutability"."
        CheckNotReadOnly(attribute);
        if (attribute.Required)
        {
            throw MutabilityError($"'{attribute.Name}' is required and cannot be removed (RFC 7644 §3.5.2.2).");
        }

        if (attribute.Mutability == Schema.Mutability.Immutable && ValueFilterEvaluator.IsPresent(current))
        {
            throw MutabilityError($"'{attribute.Name}' is immutable and cannot be removed.");
        }

        if (container is not null)
        {
            JsonDom.Remove(container, attribute.Name);
        }
    }

    private static void SetSub(AttributeDefinition attribute, AttributeDefinition sub, JsonObject element, JsonNode value)
    {
        if (sub.Mutability == Schema.Mutability.ReadOnly)
        {
            throw MutabilityError($"'{attribute.Name}.{sub.Name}' is readOnly.");
        }

        if (sub.Mutability == Schema.Mutability.Immutable)
        {
            CheckImmutable(sub, JsonDom.Get(element, sub.Name), value, attribute.Name + "." + sub.Name);
        }

        JsonDom.Set(element, sub.Name, value);
    }

    private static void RemoveSub(AttributeDefinition attribute, AttributeDefinition sub, JsonObject element)
    {
        var current = JsonDom.Get(element, sub.Name);
        if (sub.Mutability == Schema.Mutability.ReadOnly || (sub.Mutability == Schema.Mutability.Immutable && ValueFilterEvaluator.IsPresent(current)))
        {
            throw MutabilityError($"'{attribute.Name}.{sub.Name}' is {(sub.Mutability == Schema.Mutability.ReadOnly ? "readOnly" : "immutable")} and cannot be removed.");
        }

        if (sub.Required)
        {
            throw MutabilityError($"'{attribute.Name}.{sub.Name}' is required and cannot be removed (RFC 7644 §3.5.2.2).");
        }

        JsonDom.Remove(element, sub.Name);
    }

    private static void CheckNotReadOnly(AttributeDefinition attribute)
    {
        // §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" or "immutable"".
        if (attribute.Mutability == Schema.Mutability.ReadOnly)
        {
            throw MutabilityError($"'{attribute.Name}' is readOnly.");
        }
    }

    /// <summary>§3.5.2: an immutable attribute may be added when it has no value, never changed.</summary>
    private static void CheckImmutable(AttributeDefinition attribute, JsonNode? current, JsonNode? value, string? name = null)
    {
        if (attribute.Mutability == Schema.Mutability.Immutable && ValueFilterEvaluator.IsPresent(current) && !JsonDom.ValuesEqualOrSameList(attribute, current, value))
        {
            throw MutabilityError($"'{name ?? attribute.Name}' is immutable; it may be set once but not changed.");
        }
    }

    private static void CheckImmutableSubAttributes(AttributeDefinition attribute, JsonNode current, JsonNode replacement)
    {
        if (current is not JsonObject before || replacement is not JsonObject after)
        {
            return;
        }

        foreach (var sub in attribute.SubAttributes)
        {
            if (sub.Mutability == Schema.Mutability.Immutable)
            {
                CheckImmutable(sub, JsonDom.Get(before, sub.Name), JsonDom.Get(after, sub.Name), attribute.Name + "." + sub.Name);
            }
        }
    }
}
