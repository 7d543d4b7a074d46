namespace FastScim.Core.Filtering;

/// <summary>
/// An attribute path of RFC 7644 §3.4.2.2 / §3.10: <c>[URI ":"] ATTRNAME ["." subAttr]</c>, e.g.
/// <c>userName</c>, <c>name.givenName</c>,
/// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value</c>.
/// Names keep the client's spelling; they are matched case-insensitively (RFC 7643 §2.1).
/// </summary>
/// <param name="SchemaUrn">The schema URN prefix, or null when the path had none.</param>
/// <param name="Name">The attribute name.</param>
/// <param name="SubAttribute">The sub-attribute name, or null.</param>
public sealed record AttributePath(string? SchemaUrn, string Name, string? SubAttribute)
{
    public override string ToString() =>
        (SchemaUrn is null ? "" : SchemaUrn + ":") + Name + (SubAttribute is null ? "" : "." + SubAttribute);
}
