extern alias gen;

using System.Collections;
using System.Reflection;
using FastScim.Generators.Tests.Infrastructure;
using gen::FastScim.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FastScim.Generators.Tests.Incremental;

public class IncrementalTests
{
    private static readonly string[] TrackedNames =
    {
        TrackingNames.SchemaFiles, TrackingNames.ParseSchemaFile, TrackingNames.BuildSchemaSet, TrackingNames.SchemaModel, TrackingNames.Outputs,
    };

    [Fact]
    public void Second_run_on_unchanged_input_is_fully_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation("Model");
        var driver = GeneratorHarness.CreateDriver("Model", GeneratorHarness.RealSchemas()).RunGenerators(compilation);
        var first = driver.GetRunResult().Results[0];
        Assert.Equal(4, first.TrackedSteps[TrackingNames.ParseSchemaFile].Length);

        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult().Results[0];
        foreach (var name in TrackedNames)
        {
            Assert.True(second.TrackedSteps.ContainsKey(name), "step not tracked: " + name);
            foreach (var step in second.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
                }
            }
        }

        Assert.Equal(first.GeneratedSources.Length, second.GeneratedSources.Length);
    }

    [Fact]
    public void Editing_one_schema_file_reparses_only_that_file()
    {
        var files = GeneratorHarness.RealSchemas();
        var compilation = GeneratorHarness.CreateCompilation("Model");
        var driver = GeneratorHarness.CreateDriver("Model", files).RunGenerators(compilation);

        var group = files.Single(f => f.Path.EndsWith("Group.json", StringComparison.Ordinal));
        var edited = new InMemoryText(group.Path, group.GetText().ToString().Replace("A list of members of the Group.", "The Group's members.", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(group, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];

        var reasons = result.TrackedSteps[TrackingNames.ParseSchemaFile].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(3, reasons.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.Equal(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.SchemaModel].Single().Outputs.Single().Reason);
        Assert.Contains("The Group's members.", result.GeneratedSources.Single(s => s.HintName == "ScimSchemas.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_only_edit_does_not_change_the_emitted_model()
    {
        var files = GeneratorHarness.RealSchemas();
        var compilation = GeneratorHarness.CreateCompilation("Model");
        var driver = GeneratorHarness.CreateDriver("Model", files).RunGenerators(compilation);

        var user = files.Single(f => f.Path.EndsWith("core/User.json", StringComparison.Ordinal));
        var shifted = new InMemoryText(user.Path, "\n\n" + user.GetText().ToString());
        driver = driver.ReplaceAdditionalText(user, shifted).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];

        // positions moved (the parse step's output changed) but the cross-file step's output compares
        // equal, so the model step and everything emitted from it come from the cache
        Assert.Contains(result.TrackedSteps[TrackingNames.ParseSchemaFile].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(IncrementalStepRunReason.Unchanged, result.TrackedSteps[TrackingNames.BuildSchemaSet].Single().Outputs.Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, result.TrackedSteps[TrackingNames.SchemaModel].Single().Outputs.Single().Reason);
    }

    [Fact]
    public void Model_holds_no_Roslyn_symbols_compilations_syntax_or_locations()
    {
        var compilation = GeneratorHarness.CreateCompilation("Model");
        var driver = GeneratorHarness.CreateDriver("Model", GeneratorHarness.RealSchemas()).RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var typeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { TrackingNames.ParseSchemaFile, TrackingNames.BuildSchemaSet, TrackingNames.SchemaModel })
        {
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    Walk(value, visited, typeNames, name);
                }
            }
        }

        // the walk really reached the model (so the assertion inside Walk was exercised)
        Assert.Contains("AttributeSpec", typeNames);
        Assert.Contains("SchemaSet", typeNames);
        Assert.Contains("LocationInfo", typeNames);
        Assert.True(visited.Count > 200, "visited only " + visited.Count);
    }

    private static void Walk(object? value, HashSet<object> visited, HashSet<string> typeNames, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || value is TextSpan || value is LinePositionSpan)
        {
            return;
        }

        Assert.False(
            value is ISymbol or Compilation or SyntaxNode or SyntaxTree or Location or AdditionalText or SourceText or Diagnostic or SemanticModel,
            $"{path} holds a {value.GetType().FullName}");
        if (!value.GetType().IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value.GetType().IsValueType)
        {
            visited.Add(value);
        }

        typeNames.Add(value.GetType().Name);
        if (value is IEnumerable enumerable)
        {
            var i = 0;
            foreach (var item in enumerable)
            {
                Walk(item, visited, typeNames, path + "[" + i++ + "]");
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), visited, typeNames, path + "." + field.Name);
            }
        }
    }
}
