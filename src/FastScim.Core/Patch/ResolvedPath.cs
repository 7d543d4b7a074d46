using FastScim.Core.Schema;

namespace FastScim.Core.Patch;

/// <summary>
/// An attribute path resolved against a <see cref="ResourceSchema"/>. <see cref="Extension"/> is
/// the extension schema whose object (under its URN) holds the attribute, or null for the core
/// schema and the common attributes. <see cref="Attribute"/> is null when the path names the
/// extension object itself (<c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User</c>).
/// </summary>
public sealed record ResolvedPath(SchemaDefinition? Extension, AttributeDefinition? Attribute, AttributeDefinition? SubAttribute);
