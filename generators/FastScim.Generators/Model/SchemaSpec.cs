using FastScim.Core.Schema;

namespace FastScim.Generators.Model;

// Every type here must be value-equal (records, EquatableArray, strings, enums): the incremental
// pipeline compares step outputs to decide whether to re-run what follows.

/// <summary>One attribute with every RFC 7643 §7 characteristic, defaults applied.</summary>
internal sealed record AttributeSpec(
    string Name,
    AttributeType Type,
    bool MultiValued,
    string Description,
    bool Required,
    bool CaseExact,
    Mutability Mutability,
    Returned Returned,
    Uniqueness Uniqueness,
    EquatableArray<string> CanonicalValues,
    EquatableArray<string> ReferenceTypes,
    EquatableArray<AttributeSpec> SubAttributes);

/// <summary>A schema file (RFC 7643 §7 / §8.7.1).</summary>
internal sealed record SchemaSpec(string Id, string Name, string Description, EquatableArray<AttributeSpec> Attributes);

internal sealed record SchemaExtensionSpec(string Schema, bool Required);

/// <summary>A ResourceType (RFC 7643 §6).</summary>
internal sealed record ResourceTypeSpec(
    string Id,
    string Name,
    string Endpoint,
    string Description,
    string Schema,
    EquatableArray<SchemaExtensionSpec> SchemaExtensions);

/// <summary>A name (schema id, referenced schema) and where it was written; only for cross-file diagnostics.</summary>
internal sealed record LocatedName(string Name, string Owner, LocationInfo Location);

/// <summary>What one schema file yields. Positions live only in <see cref="Ids"/>, <see cref="References"/> and <see cref="Diagnostics"/>.</summary>
internal sealed record ParsedFile(
    string Path,
    SchemaSpec? Schema,
    EquatableArray<ResourceTypeSpec> ResourceTypes,
    LocatedName? SchemaId,
    EquatableArray<LocatedName> References,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The validated set of every schema and resource type: the emitters' whole input. Holds no positions.</summary>
internal sealed record SchemaSet(EquatableArray<SchemaSpec> Schemas, EquatableArray<ResourceTypeSpec> ResourceTypes);

/// <summary>The cross-file step's output: the model and the diagnostics found building it, split apart downstream.</summary>
internal sealed record SchemaSetResult(SchemaSet Set, EquatableArray<DiagnosticInfo> Diagnostics);
