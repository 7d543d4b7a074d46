using FastScim.Core.Schema;

namespace FastScim.Core.Filtering;

/// <summary>
/// Definitions of the common attributes of RFC 7643 §3.1 (and <c>schemas</c>, §3), which the
/// schema files do not list; the generated accessors return these for <c>id</c>,
/// <c>externalId</c>, <c>meta…</c> and <c>schemas</c>, and ResourceSchema resolves PATCH paths
/// to them.
/// </summary>
public static class CommonAttributes
{
    public static AttributeDefinition Id { get; } = Simple("id", AttributeType.String, caseExact: true, Mutability.ReadOnly, Returned.Always);

    public static AttributeDefinition ExternalId { get; } = Simple("externalId", AttributeType.String, caseExact: true, Mutability.ReadWrite, Returned.Default);

    public static AttributeDefinition Schemas { get; } = new(
        "schemas", AttributeType.Reference, multiValued: true, "The schema URIs of the resource.", required: true, caseExact: false,
        Mutability.ReadOnly, Returned.Always, Uniqueness.None, [], ["uri"], []);

    public static AttributeDefinition MetaResourceType { get; } = Simple("resourceType", AttributeType.String, caseExact: true, Mutability.ReadOnly, Returned.Default);

    public static AttributeDefinition MetaCreated { get; } = Simple("created", AttributeType.DateTime, caseExact: false, Mutability.ReadOnly, Returned.Default);

    public static AttributeDefinition MetaLastModified { get; } = Simple("lastModified", AttributeType.DateTime, caseExact: false, Mutability.ReadOnly, Returned.Default);

    public static AttributeDefinition MetaLocation { get; } = new(
        "location", AttributeType.Reference, multiValued: false, "location", required: false, caseExact: true,
        Mutability.ReadOnly, Returned.Default, Uniqueness.None, [], ["uri"], []);

    public static AttributeDefinition MetaVersion { get; } = Simple("version", AttributeType.String, caseExact: true, Mutability.ReadOnly, Returned.Default);

    public static AttributeDefinition Meta { get; } = new(
        "meta", AttributeType.Complex, multiValued: false, "Resource metadata.", required: false, caseExact: false,
        Mutability.ReadOnly, Returned.Default, Uniqueness.None, [], [],
        [MetaResourceType, MetaCreated, MetaLastModified, MetaLocation, MetaVersion]);

    private static AttributeDefinition Simple(string name, AttributeType type, bool caseExact, Mutability mutability, Returned returned) =>
        new(name, type, multiValued: false, name, required: false, caseExact, mutability, returned, Uniqueness.None, [], [], []);
}
