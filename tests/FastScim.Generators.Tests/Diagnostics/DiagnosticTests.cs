using FastScim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Tests.Diagnostics;

/// <summary>One test per diagnostic id: the id, the file and the line/column it points at.</summary>
public class DiagnosticTests
{
    private const string ThingPath = "/repo/schemas/Thing.json";

    [Fact]
    public void FSG0001_invalid_json_points_at_the_offending_character()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": ,
              "attributes": []
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0001");
        AssertAt(diagnostic, ThingPath, text, 2, ",");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("unexpected character", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void FSG0001_unterminated_document_points_at_its_end()
    {
        const string text = "{\n  \"id\": \"urn:test:Thing\",\n  \"attributes\": [";
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0001");
        Assert.Equal(new LinePosition(2, 17), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    [Fact]
    public void FSG0002_unknown_attribute_type_points_at_the_type_and_keeps_other_attributes()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "color", "type": "colour" },
                { "name": "size", "type": "integer" }
              ]
            }
            """;
        var result = GeneratorHarness.Run("Model", new InMemoryText(ThingPath, text));
        var diagnostic = Single(result.GeneratorDiagnostics, "FSG0002");
        AssertAt(diagnostic, ThingPath, text, 4, "\"colour\"");
        var schemas = result.Result.GeneratedSources.Single(s => s.HintName == "ScimSchemas.g.cs").SourceText.ToString();
        Assert.Contains("\"size\"", schemas, StringComparison.Ordinal);
        Assert.DoesNotContain("\"color\"", schemas, StringComparison.Ordinal);
    }

    [Fact]
    public void FSG0003_missing_required_field_points_at_the_attribute_object()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "color", "multiValued": false }
              ]
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0003");
        AssertAt(diagnostic, ThingPath, text, 4, "{");
        Assert.Contains("'type'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void FSG0003_schema_without_name_points_at_the_schema_object()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "attributes": []
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0003");
        Assert.Equal(new LinePosition(0, 0), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains("'name'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void FSG0004_duplicate_attribute_is_case_insensitive_and_points_at_the_second_name()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "color", "type": "string" },
                { "name": "COLOR", "type": "string" }
              ]
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0004");
        AssertAt(diagnostic, ThingPath, text, 5, "\"COLOR\"");
    }

    [Fact]
    public void FSG0005_unknown_schema_reference_points_at_the_schema_value()
    {
        const string path = "/repo/schemas/resource-types.json";
        const string text = """
            [
              {
                "name": "Thing",
                "endpoint": "/Things",
                "schema": "urn:test:Missing"
              }
            ]
            """;
        var diagnostic = Single(Run(new InMemoryText(path, text)), "FSG0005");
        AssertAt(diagnostic, path, text, 4, "\"urn:test:Missing\"");
    }

    [Fact]
    public void FSG0006_invalid_characteristic_value_points_at_the_value()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "color", "type": "string", "mutability": "sometimes" }
              ]
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0006");
        AssertAt(diagnostic, ThingPath, text, 4, "\"sometimes\"");
    }

    [Fact]
    public void FSG0007_duplicate_schema_id_points_at_the_later_file()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": []
            }
            """;
        var diagnostic = Single(
            Run(new InMemoryText("/repo/schemas/b.json", text), new InMemoryText("/repo/schemas/a.json", text)),
            "FSG0007");
        AssertAt(diagnostic, "/repo/schemas/b.json", text, 1, "\"urn:test:Thing\"");
    }

    [Fact]
    public void FSG0008_unrecognized_file_is_a_warning_at_the_root()
    {
        const string text = "\n  { \"hello\": 1 }";
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0008");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(new LinePosition(1, 2), diagnostic.Location.GetLineSpan().StartLinePosition);
    }

    [Fact]
    public void FSG0009_complex_sub_attribute_points_at_its_type()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "color", "type": "complex", "subAttributes": [
                  { "name": "shade", "type": "complex" }
                ] }
              ]
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0009");
        AssertAt(diagnostic, ThingPath, text, 5, "\"complex\"");
    }

    [Fact]
    public void FSG0010_invalid_attribute_name_points_at_the_name()
    {
        const string text = """
            {
              "id": "urn:test:Thing",
              "name": "Thing",
              "attributes": [
                { "name": "col or", "type": "string" }
              ]
            }
            """;
        var diagnostic = Single(Run(new InMemoryText(ThingPath, text)), "FSG0010");
        AssertAt(diagnostic, ThingPath, text, 4, "\"col or\"");
    }

    [Fact]
    public void The_real_schemas_produce_no_diagnostics()
    {
        Assert.Empty(Run(GeneratorHarness.RealSchemas()));
    }

    private static System.Collections.Immutable.ImmutableArray<Diagnostic> Run(params InMemoryText[] files)
        => GeneratorHarness.Run("Model", files).GeneratorDiagnostics;

    private static Diagnostic Single(IEnumerable<Diagnostic> diagnostics, string id)
    {
        var all = diagnostics.ToList();
        var matching = all.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("; ", all.Select(d => d.ToString()))}");
        return matching[0];
    }

    /// <summary>Asserts file and start position: line <paramref name="line"/> (0-based), column of <paramref name="needle"/>'s first occurrence in it.</summary>
    private static void AssertAt(Diagnostic diagnostic, string path, string text, int line, string needle)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var column = lines[line].IndexOf(needle, StringComparison.Ordinal);
        Assert.True(column >= 0, "test bug: needle not on that line");
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal(new LinePosition(line, column), span.StartLinePosition);
    }
}
