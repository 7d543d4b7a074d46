using System.Text.Json.Nodes;
using FastScim.Core.Compatibility;
using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Patch;

/// <summary>
/// Splits a Group PATCH into the membership change the store applies member by member and the
/// operations on the group's other attributes. Only shapes whose effect is clear without reading
/// the member list are split off (RFC 7644 §3.5.2 on "members", and Entra's remove-with-value);
/// anything else on members (filters other than <c>value eq</c>, sub-attribute paths) needs the
/// whole list, and <see cref="TrySplit"/> says so.
/// </summary>
public static class MemberOperations
{
    private const string Members = "members";

    /// <summary>
    /// True when every operation on members has a per-member meaning; then
    /// <paramref name="members"/> holds their net effect in order and <paramref name="others"/>
    /// the remaining operations (path-less values lose their "members" key).
    /// </summary>
    public static bool TrySplit(IReadOnlyList<PatchOperation> operations, out MembershipChange members, out IReadOnlyList<PatchOperation> others)
    {
        var builder = new Builder();
        var rest = new List<PatchOperation>(operations.Count);
        members = new MembershipChange();
        others = rest;
        foreach (var operation in operations)
        {
            if (operation.Path is null)
            {
                if (operation.Value is JsonObject value && TakeMembers(value, out var withoutMembers, out var memberValues))
                {
                    if (!builder.Apply(operation.Op, memberValues))
                    {
                        return false;
                    }

                    if (withoutMembers.Count > 0)
                    {
                        rest.Add(operation with { Value = withoutMembers });
                    }
                }
                else
                {
                    rest.Add(operation);
                }

                continue;
            }

            var path = operation.Path;
            if (path.Attribute.SchemaUrn is not null && !path.Attribute.SchemaUrn.Equals(Schema.ScimSchemas.Group.Id, StringComparison.OrdinalIgnoreCase))
            {
                rest.Add(operation);
                continue;
            }

            if (!path.Attribute.Name.Equals(Members, StringComparison.OrdinalIgnoreCase))
            {
                rest.Add(operation);
                continue;
            }

            if (path.Attribute.SubAttribute is not null || path.SubAttribute is not null)
            {
                return false;
            }

            if (path.ValueFilter is not null)
            {
                // members[value eq "id"]: the one shape of filter that names a single member.
                if (operation.Op == PatchOperationType.Remove && MemberIdOf(path.ValueFilter) is { } id)
                {
                    builder.Remove(id);
                    continue;
                }

                return false;
            }

            if (!builder.Apply(operation.Op, operation.Value))
            {
                return false;
            }
        }

        members = builder.Build();
        return true;
    }

    private static bool TakeMembers(JsonObject value, out JsonObject withoutMembers, out JsonNode? memberValues)
    {
        memberValues = null;
        withoutMembers = new JsonObject();
        var found = false;
        foreach (var (key, node) in value)
        {
            if (key.Equals(Members, StringComparison.OrdinalIgnoreCase) || key.Equals(Schema.ScimSchemas.Group.Id + ":" + Members, StringComparison.OrdinalIgnoreCase))
            {
                found = true;
                memberValues = node?.DeepClone();
            }
            else
            {
                withoutMembers[key] = node?.DeepClone();
            }
        }

        return found;
    }

    private static string? MemberIdOf(FilterNode filter) =>
        filter is ComparisonFilter { Operator: ComparisonOperator.Eq, Value.Kind: FilterValueKind.Text, Path: { SchemaUrn: null, SubAttribute: null } path } comparison
        && path.Name.Equals("value", StringComparison.OrdinalIgnoreCase)
            ? comparison.Value.Text
            : null;

    /// <summary>The net effect of member operations, applied in request order.</summary>
    private sealed class Builder
    {
        private readonly Dictionary<string, Member> _add = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private readonly HashSet<string> _remove = new(StringComparer.Ordinal);
        private bool _replaceAll;

        /// <summary>add / replace / remove on "members" with a value (or none, for remove).</summary>
        public bool Apply(PatchOperationType op, JsonNode? value)
        {
            switch (op)
            {
                case PatchOperationType.Add:
                    foreach (var member in Parse(value))
                    {
                        Add(member);
                    }

                    return true;
                case PatchOperationType.Replace:
                    // RFC 7644 §3.5.2.3: replace with a path on a multi-valued attribute replaces all values.
                    _replaceAll = true;
                    _add.Clear();
                    _order.Clear();
                    _remove.Clear();
                    foreach (var member in Parse(value))
                    {
                        Add(member);
                    }

                    return true;
                default:
                    if (value is null)
                    {
                        // RFC 7644 §3.5.2.2: remove of "members" without a filter removes them all.
                        _replaceAll = true;
                        _add.Clear();
                        _order.Clear();
                        _remove.Clear();
                        return true;
                    }

                    // Entra's legacy shape: remove with a value array removes just those members.
                    Tolerance.Use(ToleranceRule.RemoveMembersWithValue);
                    foreach (var member in Parse(value))
                    {
                        Remove(member.Value!);
                    }

                    return true;
            }
        }

        public void Remove(string id)
        {
            if (_add.Remove(id))
            {
                _order.Remove(id);
            }

            _remove.Add(id);
        }

        private void Add(Member member)
        {
            _remove.Remove(member.Value!);
            if (_add.TryAdd(member.Value!, member))
            {
                _order.Add(member.Value!);
            }
        }

        public MembershipChange Build() => new()
        {
            ReplaceAll = _replaceAll,
            Add = _order.Select(id => _add[id]).ToArray(),
            Remove = _replaceAll ? [] : [.. _remove],
        };

        private static List<Member> Parse(JsonNode? value)
        {
            var members = new List<Member>();
            switch (value)
            {
                case JsonArray array:
                    foreach (var element in array)
                    {
                        members.Add(ParseOne(element));
                    }

                    break;
                case null:
                    break;
                default:
                    members.Add(ParseOne(value));
                    break;
            }

            return members;
        }

        private static Member ParseOne(JsonNode? element)
        {
            if (element is not JsonObject item)
            {
                throw ScimException.BadRequest(ScimType.InvalidValue, "Each value of 'members' must be an object with a 'value'.");
            }

            string? id = null;
            string? display = null;
            foreach (var (key, node) in item)
            {
                if (key.Equals("value", StringComparison.OrdinalIgnoreCase))
                {
                    id = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw ScimException.BadRequest(ScimType.InvalidValue, "A member's 'value' must be a string: the id of a User or Group.");
                }
                else if (key.Equals("display", StringComparison.OrdinalIgnoreCase) && node is JsonValue d && d.TryGetValue<string>(out var text))
                {
                    display = text;
                }
            }

            return string.IsNullOrEmpty(id)
                ? throw ScimException.BadRequest(ScimType.InvalidValue, "Every member needs a 'value': the id of a User or Group.")
                : new Member { Value = id, Display = display };
        }
    }
}
