using System;
using FastScim.Generators.Emitting;
using FastScim.Generators.Model;
using FastScim.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace FastScim.Generators;

/// <summary>
/// Reads the SCIM schema JSON files (AdditionalFiles with ScimSchema="true") and emits the
/// resource model, JSON reader/writers and attribute tables (FastScimGeneratorOutputs=Model) or
/// the LiteDB mappings (=Bson). Wiring only: parsing, validation and emission live elsewhere.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ScimSchemaGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles.ScimSchema", out var flag)
                && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
            .Select(static (pair, _) => pair.Left)
            .WithTrackingName(TrackingNames.SchemaFiles);

        // One parse per file, cached per file: editing User.json re-parses only User.json.
        var parsed = files
            .Select(static (text, ct) => SchemaParser.Parse(text.Path, text.GetText(ct)))
            .WithTrackingName(TrackingNames.ParseSchemaFile);

        var setResult = parsed.Collect()
            .Select(static (all, _) => SchemaSetBuilder.Build(all))
            .WithTrackingName(TrackingNames.BuildSchemaSet);

        // Diagnostics are split off here so that a position shift alone never re-runs emission.
        var model = setResult
            .Select(static (result, _) => result.Set)
            .WithTrackingName(TrackingNames.SchemaModel);

        var outputs = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => GeneratorOutputsParser.Parse(
                options.GlobalOptions.TryGetValue("build_property.FastScimGeneratorOutputs", out var value) ? value : null))
            .WithTrackingName(TrackingNames.Outputs);

        context.RegisterSourceOutput(model.Combine(outputs), static (spc, input) => Emitter.EmitAll(spc, input.Left, input.Right));

        context.RegisterSourceOutput(parsed.Select(static (file, _) => file.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        context.RegisterSourceOutput(setResult.Select(static (result, _) => result.Diagnostics), static (spc, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });
    }
}
