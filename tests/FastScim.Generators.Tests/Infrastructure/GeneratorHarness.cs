extern alias gen;

using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using gen::FastScim.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ScimSchemaGenerator"/> in-process over an in-memory compilation: reference
/// assemblies come from Basic.Reference.Assemblies.Net100 plus the built FastScim.Core, so no
/// test downloads anything.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation CreateCompilation(string outputs, params string[] sources)
    {
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All)
        {
            MetadataReference.CreateFromFile(typeof(FastScim.Core.Resources.IScimResource).Assembly.Location),
        };
        if (outputs == "Bson")
        {
            references.Add(MetadataReference.CreateFromFile(typeof(LiteDB.BsonDocument).Assembly.Location));
        }

        var trees = new List<SyntaxTree>();
        foreach (var source in sources)
        {
            trees.Add(CSharpSyntaxTree.ParseText(source, ParseOptions));
        }

        return CSharpCompilation.Create(
            "Generated" + outputs,
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver CreateDriver(string outputs, IEnumerable<AdditionalText> files, Func<string, bool>? isSchema = null)
    {
        var generator = new ScimSchemaGenerator().AsSourceGenerator();
        return CSharpGeneratorDriver.Create(
            new[] { generator },
            files,
            ParseOptions,
            new TestOptionsProvider(outputs, isSchema ?? (_ => true)),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static HarnessResult Run(string outputs, params InMemoryText[] files)
    {
        var compilation = CreateCompilation(outputs, outputs == "Bson" ? StorageSources() : [string.Empty]);
        var driver = CreateDriver(outputs, files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new HarnessResult(driver.GetRunResult(), output);
    }

    /// <summary>The four real schema files under schemas/.</summary>
    public static InMemoryText[] RealSchemas()
    {
        var root = Paths.Schemas;
        return new[]
        {
            InMemoryText.FromFile(Path.Combine(root, "core", "Group.json")),
            InMemoryText.FromFile(Path.Combine(root, "core", "User.json")),
            InMemoryText.FromFile(Path.Combine(root, "extensions", "EnterpriseUser.json")),
            InMemoryText.FromFile(Path.Combine(root, "resource-types.json")),
        };
    }

    /// <summary>FastScim.Storage's hand-written record, so Bson output compiles without referencing Storage.</summary>
    public const string BsonIndexStub = "namespace FastScim.Storage { public sealed record BsonIndex(string Name, string Expression, bool Unique); }";

    /// <summary>
    /// What the Bson output needs from FastScim.Storage besides LiteDB: the BsonIndex stub and the real
    /// hand-written BsonBytesWriter its ToBytes calls and BsonElements its FromBytes reads with
    /// (compiled from source, not copied, so tests run the shipped writer and reader).
    /// </summary>
    public static string[] StorageSources() =>
        [BsonIndexStub, StorageSource("BsonBytesWriter.cs"), StorageSource("BsonElements.cs")];

    private static string StorageSource(string name) => File.ReadAllText(Path.Combine(Paths.RepoRoot, "src", "FastScim.Storage", "Bson", name));
}

internal sealed record HarnessResult(GeneratorDriverRunResult RunResult, Compilation Output)
{
    public GeneratorRunResult Result => RunResult.Results[0];

    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Errors of the compilation including generated code (CS0436 is expected: Core.dll carries its own generated copies).</summary>
    public IReadOnlyList<Diagnostic> CompileErrors()
    {
        var errors = new List<Diagnostic>();
        foreach (var diagnostic in Output.GetDiagnostics())
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                errors.Add(diagnostic);
            }
        }

        return errors;
    }
}

internal sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text, Encoding.UTF8);
    }

    public override string Path { get; }

    public static InMemoryText FromFile(string path) => new(path, File.ReadAllText(path));

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Stands in for MSBuild: the FastScimGeneratorOutputs property and the ScimSchema item metadata.</summary>
internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
{
    private readonly Func<string, bool> _isSchema;

    public TestOptionsProvider(string outputs, Func<string, bool> isSchema)
    {
        _isSchema = isSchema;
        GlobalOptions = new DictionaryOptions(new Dictionary<string, string> { ["build_property.FastScimGeneratorOutputs"] = outputs });
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => DictionaryOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => _isSchema(textFile.Path)
            ? new DictionaryOptions(new Dictionary<string, string> { ["build_metadata.AdditionalFiles.ScimSchema"] = "true" })
            : DictionaryOptions.Empty;

    private sealed class DictionaryOptions : AnalyzerConfigOptions
    {
        public static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        private readonly Dictionary<string, string> _values;

        public DictionaryOptions(Dictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}

internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Schemas => Path.Combine(RepoRoot, "schemas");

    public static string Baselines => Path.Combine(RepoRoot, "tests", "FastScim.Generators.Tests", "Baselines");

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found from " + AppContext.BaseDirectory);
    }
}
