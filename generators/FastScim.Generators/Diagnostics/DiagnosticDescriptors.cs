using Microsoft.CodeAnalysis;

namespace FastScim.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Ids are tracked in AnalyzerReleases.Unshipped.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FastScim.Schema";

    public static readonly DiagnosticDescriptor InvalidSchemaJson = new(
        "FSG0001", "Schema file is not valid JSON", "Schema file is not valid JSON: {0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownAttributeType = new(
        "FSG0002", "Unknown attribute type", "Attribute '{0}' has unknown type '{1}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingRequiredField = new(
        "FSG0003", "Missing required field", "{0} is missing the required field '{1}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateAttribute = new(
        "FSG0004", "Duplicate attribute", "Attribute '{0}' is declared more than once in '{1}' (names are case-insensitive)", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownSchemaReference = new(
        "FSG0005", "Unknown schema referenced", "Resource type '{0}' references schema '{1}', which no schema file defines", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidFieldValue = new(
        "FSG0006", "Invalid schema field value", "Field '{0}' of {1} has an invalid value: expected {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateSchemaId = new(
        "FSG0007", "Duplicate schema id", "Schema '{0}' is defined by more than one file", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnrecognizedSchemaFile = new(
        "FSG0008", "Unrecognized schema file", "The file is neither a schema object nor an array of ResourceType objects", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NestedComplexAttribute = new(
        "FSG0009", "Complex sub-attribute", "Sub-attribute '{0}' is complex; RFC 7643 §2.3.8 does not allow a complex attribute to contain a complex sub-attribute", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidAttributeName = new(
        "FSG0010", "Invalid attribute name", "Attribute name '{0}' is not a valid ATTRNAME (RFC 7643 §2.1)", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static readonly DiagnosticDescriptor[] All =
    {
        InvalidSchemaJson, UnknownAttributeType, MissingRequiredField, DuplicateAttribute, UnknownSchemaReference,
        InvalidFieldValue, DuplicateSchemaId, UnrecognizedSchemaFile, NestedComplexAttribute, InvalidAttributeName,
    };

    public static DiagnosticDescriptor ById(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        return InvalidSchemaJson;
    }
}
