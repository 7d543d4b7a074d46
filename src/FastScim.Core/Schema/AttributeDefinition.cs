namespace FastScim.Core.Schema;

/// <summary>
/// One attribute of a schema with all its characteristics (RFC 7643 §2.2, §7).
/// Instances are emitted by the source generator from schemas/*.json.
/// </summary>
public sealed class AttributeDefinition
{
    public AttributeDefinition(
        string name,
        AttributeType type,
        bool multiValued,
        string description,
        bool required,
        bool caseExact,
        Mutability mutability,
        Returned returned,
        Uniqueness uniqueness,
        string[] canonicalValues,
        string[] referenceTypes,
        AttributeDefinition[] subAttributes)
    {
        Name = name;
        Type = type;
        MultiValued = multiValued;
        Description = description;
        Required = required;
        CaseExact = caseExact;
        Mutability = mutability;
        Returned = returned;
        Uniqueness = uniqueness;
        CanonicalValues = canonicalValues;
        ReferenceTypes = referenceTypes;
        SubAttributes = subAttributes;
    }

    public string Name { get; }
    public AttributeType Type { get; }
    public bool MultiValued { get; }
    public string Description { get; }
    public bool Required { get; }
    public bool CaseExact { get; }
    public Mutability Mutability { get; }
    public Returned Returned { get; }
    public Uniqueness Uniqueness { get; }
    public IReadOnlyList<string> CanonicalValues { get; }
    public IReadOnlyList<string> ReferenceTypes { get; }
    public IReadOnlyList<AttributeDefinition> SubAttributes { get; }

    /// <summary>Finds a sub-attribute by name, case-insensitively (RFC 7643 §2.1).</summary>
    public AttributeDefinition? FindSubAttribute(string name)
    {
        foreach (var sub in SubAttributes)
        {
            if (string.Equals(sub.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return sub;
            }
        }

        return null;
    }
}
