namespace FastScim.Core.Compatibility;

/// <summary>
/// A shape identity providers send that RFC 7643/7644 do not allow, which the lenient profile
/// accepts (../shared/IDP-BEHAVIOUR.md, "Cross-IdP tolerance checklist") and the strict profile
/// refuses with the RFC's 400. Flags, so a cached parse can remember which rules it needed.
/// What the RFCs themselves allow (case-insensitive attribute names, RFC 7643 §2.1; ignoring a
/// client's readOnly <c>meta</c>, RFC 7643 §2.2; null for unassigned, §2.5; clamping
/// <c>count</c>, RFC 7644 §3.4.2.4) is no tolerance and has no rule.
/// </summary>
[Flags]
public enum ToleranceRule
{
    None = 0,

    /// <summary><c>"op":"Replace"</c>: RFC 7644 §3.5.2 defines "add", "remove", "replace" (Entra's default shape).</summary>
    CapitalisedOp = 1 << 0,

    /// <summary>A PatchOp without <c>schemas</c> (Entra's default shape; RFC 7644 §3.5.2 requires the PatchOp URN).</summary>
    PatchWithoutSchemas = 1 << 1,

    /// <summary><c>"True"</c>/<c>"False"</c> strings for a boolean attribute (Entra; RFC 7643 §2.3.2 booleans are JSON literals).</summary>
    BooleanString = 1 << 2,

    /// <summary>Enterprise <c>manager</c> as a plain string instead of the complex attribute of RFC 7643 §4.3 (Entra).</summary>
    ManagerAsString = 1 << 3,

    /// <summary>A path-less add/replace whose value map has attribute-path keys (<c>"name.givenName"</c>, URN-qualified attributes), Entra with <c>aadOptscim062020</c>; RFC 7644 §3.5.2.1/§3.5.2.3 expect attribute names.</summary>
    PathlessAttributePath = 1 << 4,

    /// <summary><c>remove</c> of <c>members</c> with a value array removing just those (Entra's default); RFC 7644 §3.5.2.2 has no value on remove.</summary>
    RemoveMembersWithValue = 1 << 5,

    /// <summary>An add/replace whose value filter matches nothing creates the element (Entra; RFC 7644 erratum 8097); §3.5.2.3 answers noTarget.</summary>
    FilteredAddCreates = 1 << 6,

    /// <summary>The resource's own readOnly <c>id</c> inside a PATCH value (Okta's group rename); RFC 7644 §3.5.2 refuses readOnly attributes with mutability.</summary>
    OwnIdInPatch = 1 << 7,

    /// <summary>A <c>schemas</c> URN this server does not register for the resource type (Entra's ADSCIM Group URN, OneLogin's SCIM 1.1 <c>urn:scim:schemas:core:1.0</c>); RFC 7643 §3.</summary>
    UnregisteredSchemaUrn = 1 << 8,

    /// <summary>A resource without its core schema URN in <c>schemas</c> (RFC 7643 §3: REQUIRED; OneLogin's SCIM 1.1 template).</summary>
    MissingCoreSchema = 1 << 9,

    /// <summary>A filter value without quotes: <c>externalId eq jyoung</c> (Entra's tutorial); RFC 7644 §3.4.2.2 compValue.</summary>
    UnquotedFilterValue = 1 << 10,

    /// <summary><c>True</c>, <c>FALSE</c>, <c>Null</c> in a filter in any case; RFC 7644 §3.4.2.2 takes JSON's lower-case literals.</summary>
    FilterLiteralCase = 1 << 11,

    /// <summary>A filter <c>emails[type eq "work"].value eq "x"</c> (Entra); the "]." form is PATCH path syntax only (RFC 7644 §3.4.2.2, §3.5.2).</summary>
    ValuePathSubAttributeInFilter = 1 << 12,

    /// <summary>An extension attribute named without its schema URN (<c>"path": "manager"</c>, Entra's tutorial); RFC 7644 §3.10.</summary>
    UnqualifiedExtensionAttribute = 1 << 13,

    /// <summary>A single-valued attribute sent as a one-element array (<c>"manager": [{"value": …}]</c>, Entra's tutorial); RFC 7643 §2.4.</summary>
    SingleValueInArray = 1 << 14,
}
