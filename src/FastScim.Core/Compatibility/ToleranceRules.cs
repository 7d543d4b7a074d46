using FastScim.Core.Protocol;

namespace FastScim.Core.Compatibility;

/// <summary>Each <see cref="ToleranceRule"/>'s name (as reports and docs show it) and the RFC error the strict profile answers instead.</summary>
public static class ToleranceRules
{
    /// <summary>Every rule, in declaration order.</summary>
    public static IReadOnlyList<ToleranceRule> All { get; } = [.. Enum.GetValues<ToleranceRule>().Where(static r => r != ToleranceRule.None)];

    public static string Name(ToleranceRule rule) => rule switch
    {
        ToleranceRule.CapitalisedOp => "capitalised-op",
        ToleranceRule.PatchWithoutSchemas => "patch-without-schemas",
        ToleranceRule.BooleanString => "boolean-as-string",
        ToleranceRule.ManagerAsString => "manager-as-string",
        ToleranceRule.PathlessAttributePath => "path-less-attribute-path",
        ToleranceRule.RemoveMembersWithValue => "remove-members-with-value",
        ToleranceRule.FilteredAddCreates => "filtered-add-creates",
        ToleranceRule.OwnIdInPatch => "own-id-in-patch",
        ToleranceRule.UnregisteredSchemaUrn => "unregistered-schema-urn",
        ToleranceRule.MissingCoreSchema => "missing-core-schema",
        ToleranceRule.UnquotedFilterValue => "unquoted-filter-value",
        ToleranceRule.FilterLiteralCase => "filter-literal-case",
        ToleranceRule.ValuePathSubAttributeInFilter => "filter-value-path-sub-attribute",
        ToleranceRule.UnqualifiedExtensionAttribute => "unqualified-extension-attribute",
        ToleranceRule.SingleValueInArray => "single-value-in-array",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a single rule."),
    };

    /// <summary>The 400 the strict profile answers where the lenient one applies <paramref name="rule"/>.</summary>
    public static ScimException StrictError(ToleranceRule rule)
    {
        var (type, detail) = rule switch
        {
            ToleranceRule.CapitalisedOp => (ScimType.InvalidSyntax, "\"op\" must be \"add\", \"remove\" or \"replace\" in lower case (RFC 7644 §3.5.2)."),
            ToleranceRule.PatchWithoutSchemas => (ScimType.InvalidSyntax, $"A PATCH body needs \"schemas\": [\"{SchemaUrns.PatchOp}\"] (RFC 7644 §3.5.2)."),
            ToleranceRule.BooleanString => (ScimType.InvalidValue, "A boolean attribute takes the JSON literals true or false, not a string (RFC 7643 §2.3.2)."),
            ToleranceRule.ManagerAsString => (ScimType.InvalidValue, "\"manager\" is a complex attribute: send {\"value\": \"…\"}, not a string (RFC 7643 §4.3)."),
            ToleranceRule.PathlessAttributePath => (ScimType.InvalidPath, "A PATCH value without \"path\" holds attribute names, not attribute paths such as \"name.givenName\"; put the path in \"path\" (RFC 7644 §3.5.2.1, §3.5.2.3)."),
            ToleranceRule.RemoveMembersWithValue => (ScimType.InvalidSyntax, "\"remove\" takes no \"value\"; remove members with \"path\": \"members[value eq \\\"…\\\"]\" (RFC 7644 §3.5.2.2)."),
            ToleranceRule.FilteredAddCreates => (ScimType.NoTarget, "The value filter of \"path\" matches no value (RFC 7644 §3.5.2.3)."),
            ToleranceRule.OwnIdInPatch => (ScimType.Mutability, "\"id\" is readOnly and cannot be PATCHed, not even to its own value (RFC 7644 §3.5.2, RFC 7643 §3.1)."),
            ToleranceRule.UnregisteredSchemaUrn => (ScimType.InvalidValue, "\"schemas\" lists a URN this server does not register for this resource type (RFC 7643 §3; see /Schemas and /ResourceTypes)."),
            ToleranceRule.MissingCoreSchema => (ScimType.InvalidValue, "\"schemas\" must contain the resource type's core schema URN (RFC 7643 §3)."),
            ToleranceRule.UnquotedFilterValue => (ScimType.InvalidFilter, "A filter value must be a JSON string in quotes, a number, true, false or null (RFC 7644 §3.4.2.2)."),
            ToleranceRule.FilterLiteralCase => (ScimType.InvalidFilter, "The filter literals are true, false and null in lower case (RFC 7644 §3.4.2.2)."),
            ToleranceRule.ValuePathSubAttributeInFilter => (ScimType.InvalidFilter, "'].subAttr' is PATCH path syntax; in a filter write attr[subAttr eq … and …] (RFC 7644 §3.4.2.2)."),
            ToleranceRule.UnqualifiedExtensionAttribute => (ScimType.InvalidPath, "An extension attribute is named with its schema URN, e.g. \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager\" (RFC 7644 §3.10)."),
            ToleranceRule.SingleValueInArray => (ScimType.InvalidValue, "A single-valued attribute takes one value, not an array (RFC 7643 §2.4)."),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a single rule."),
        };
        return ScimException.BadRequest(type, detail + " This tenant's compatibility profile is strict.");
    }
}
