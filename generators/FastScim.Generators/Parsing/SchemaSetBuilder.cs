using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using FastScim.Generators.Diagnostics;
using FastScim.Generators.Model;

namespace FastScim.Generators.Parsing;

/// <summary>
/// Cross-file rules, run after every file is parsed: one file per schema id, every schema a
/// resource type names exists. Output is ordered (schemas ordinal by id, resource types in
/// file order, files ordinal by path) so the generated source is deterministic.
/// </summary>
internal static class SchemaSetBuilder
{
    public static SchemaSetResult Build(ImmutableArray<ParsedFile> files)
    {
        var ordered = new List<ParsedFile>(files);
        ordered.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        var diagnostics = new List<DiagnosticInfo>();
        var schemas = new Dictionary<string, SchemaSpec>(StringComparer.Ordinal);
        foreach (var file in ordered)
        {
            if (file.Schema is null)
            {
                continue;
            }

            if (schemas.ContainsKey(file.Schema.Id))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateSchemaId, file.SchemaId?.Location, file.Schema.Id));
                continue;
            }

            schemas.Add(file.Schema.Id, file.Schema);
        }

        var resourceTypes = new List<ResourceTypeSpec>();
        foreach (var file in ordered)
        {
            foreach (var reference in file.References)
            {
                if (!schemas.ContainsKey(reference.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownSchemaReference, reference.Location, reference.Owner, reference.Name));
                }
            }

            foreach (var resourceType in file.ResourceTypes)
            {
                if (!schemas.ContainsKey(resourceType.Schema))
                {
                    continue;
                }

                var extensions = new List<SchemaExtensionSpec>();
                foreach (var extension in resourceType.SchemaExtensions)
                {
                    if (schemas.ContainsKey(extension.Schema))
                    {
                        extensions.Add(extension);
                    }
                }

                resourceTypes.Add(extensions.Count == resourceType.SchemaExtensions.Count
                    ? resourceType
                    : resourceType with { SchemaExtensions = extensions.ToEquatableArray() });
            }
        }

        var schemaList = new List<SchemaSpec>(schemas.Values);
        schemaList.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new SchemaSetResult(
            new SchemaSet(schemaList.ToEquatableArray(), resourceTypes.ToEquatableArray()),
            diagnostics.ToEquatableArray());
    }
}
