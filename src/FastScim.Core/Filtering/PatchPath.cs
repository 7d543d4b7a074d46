namespace FastScim.Core.Filtering;

/// <summary>
/// The "path" of a PATCH operation (RFC 7644 §3.5.2: <c>PATH = attrPath / valuePath [subAttr]</c>),
/// e.g. <c>members</c>, <c>name.givenName</c>, <c>emails[type eq "work"].value</c>,
/// <c>members[value eq "2819c223"]</c>,
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager</c>.
/// </summary>
/// <param name="Attribute">The attribute (with its sub-attribute when the path had no value filter).</param>
/// <param name="ValueFilter">The filter between brackets, relative to one value; null when there was none.</param>
/// <param name="SubAttribute">With a value filter: the sub-attribute after <c>"]."</c>, or null.</param>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter, string? SubAttribute)
{
    public override string ToString() => ValueFilter is null
        ? Attribute.ToString()
        : Attribute + "[" + ValueFilter + "]" + (SubAttribute is null ? "" : "." + SubAttribute);
}
