using FastScim.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FastScim.Generators.Tests.Emitting;

/// <summary>The real schemas use no integer/decimal/dateTime attributes; this schema covers every type, single and multi-valued.</summary>
public class AllTypesTests
{
    internal const string Schema = """
        {
          "id": "urn:test:Device",
          "name": "Device",
          "description": "Every attribute type",
          "attributes": [
            { "name": "serial", "type": "string", "uniqueness": "global", "caseExact": true },
            { "name": "enabled", "type": "boolean" },
            { "name": "weight", "type": "decimal" },
            { "name": "ports", "type": "integer" },
            { "name": "seen", "type": "dateTime" },
            { "name": "blob", "type": "binary" },
            { "name": "owner", "type": "reference", "referenceTypes": ["User"] },
            { "name": "tags", "type": "string", "multiValued": true },
            { "name": "flags", "type": "boolean", "multiValued": true },
            { "name": "sizes", "type": "integer", "multiValued": true },
            { "name": "ratios", "type": "decimal", "multiValued": true },
            { "name": "visits", "type": "dateTime", "multiValued": true },
            { "name": "secret", "type": "string", "mutability": "writeOnly", "returned": "never" },
            { "name": "slots", "type": "complex", "multiValued": true, "subAttributes": [
              { "name": "opened", "type": "dateTime" },
              { "name": "count", "type": "integer" },
              { "name": "user-name", "type": "string" }
            ] }
          ]
        }
        """;

    internal const string ResourceTypes = """
        [ { "id": "Device", "name": "Device", "endpoint": "/Devices", "schema": "urn:test:Device" } ]
        """;

    [Fact]
    public void Every_attribute_type_generates_compilable_model_and_bson_code()
    {
        var files = new[] { new InMemoryText("/s/Device.json", Schema), new InMemoryText("/s/resource-types.json", ResourceTypes) };
        var model = GeneratorHarness.Run("Model", files);
        Assert.Empty(model.GeneratorDiagnostics);
        Assert.Empty(model.CompileErrors());

        // the Bson output refers to the model types: compile it on top of the model compilation, as Storage sits on Core
        var storage = model.Output
            .AddReferences(MetadataReference.CreateFromFile(typeof(LiteDB.BsonDocument).Assembly.Location))
            .AddSyntaxTrees(GeneratorHarness.StorageSources().Select(static s => CSharpSyntaxTree.ParseText(s, GeneratorHarness.ParseOptions)));
        GeneratorHarness.CreateDriver("Bson", files).RunGeneratorsAndUpdateCompilation(storage, out var output, out _);
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("DeviceBson.g.cs", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Clr_types_follow_the_contract()
    {
        var result = GeneratorHarness.Run("Model", new InMemoryText("/s/Device.json", Schema), new InMemoryText("/s/resource-types.json", ResourceTypes));
        var device = result.Result.GeneratedSources.Single(s => s.HintName == "Device.g.cs").SourceText.ToString();
        Assert.Contains("public bool? Enabled { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public decimal? Weight { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public long? Ports { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public global::System.DateTimeOffset? Seen { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public string? Blob { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public string? Owner { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public global::System.Collections.Generic.List<long>? Sizes { get; set; }", device, StringComparison.Ordinal);
        Assert.Contains("public global::System.Collections.Generic.List<global::FastScim.Core.Resources.Slot>? Slots { get; set; }", device, StringComparison.Ordinal);
        var slot = result.Result.GeneratedSources.Single(s => s.HintName == "Slot.g.cs").SourceText.ToString();
        Assert.Contains("public string? UserName { get; set; }", slot, StringComparison.Ordinal);
        var json = result.Result.GeneratedSources.Single(s => s.HintName == "DeviceJson.g.cs").SourceText.ToString();
        Assert.DoesNotContain("s_secret", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Globally_unique_caseExact_attribute_gets_an_exact_unique_index()
    {
        var result = GeneratorHarness.Run("Bson", new InMemoryText("/s/Device.json", Schema), new InMemoryText("/s/resource-types.json", ResourceTypes));
        var bson = result.Result.GeneratedSources.Single(s => s.HintName == "DeviceBson.g.cs").SourceText.ToString();
        Assert.Contains("new global::FastScim.Storage.BsonIndex(\"serial\", \"$.serial\", Unique: true),", bson, StringComparison.Ordinal);
    }

    private const string Probe = """
        public static class Probe
        {
            public static string RoundTrip(string json)
            {
                var device = global::FastScim.Core.Resources.DeviceJson.Read(global::System.Text.Encoding.UTF8.GetBytes(json));
                var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new global::System.Text.Json.Utf8JsonWriter(buffer))
                {
                    global::FastScim.Core.Resources.DeviceJson.Write(writer, device);
                }

                return global::System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            }
        }
        """;

    private static readonly Lazy<Func<string, string>> RoundTrip = new(() =>
    {
        var files = new[] { new InMemoryText("/s/Device.json", Schema), new InMemoryText("/s/resource-types.json", ResourceTypes) };
        var compilation = GeneratorHarness.CreateCompilation("Model", Probe);
        GeneratorHarness.CreateDriver("Model", files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(stream.ToArray()));
        var method = assembly.GetType("Probe", throwOnError: true)!.GetMethod("RoundTrip")!;
        return json =>
        {
            try
            {
                return (string)method.Invoke(null, new object[] { json })!;
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        };
    });

    [Fact]
    public void Integer_decimal_dateTime_and_lists_round_trip_and_secret_is_not_written()
    {
        const string json = """{"serial":"S1","enabled":"True","weight":1.25,"ports":8,"seen":"2010-01-23T04:56:22Z","tags":["a","b"],"flags":[true,"false"],"sizes":[1,2],"ratios":[0.5],"visits":["2011-05-13T04:42:34+02:00"],"secret":"x","slots":[{"opened":"2010-01-23T04:56:22Z","count":3,"USER-NAME":"u"}]}""";
        var written = RoundTrip.Value(json);
        Assert.Equal(
            """{"schemas":["urn:test:Device"],"serial":"S1","enabled":true,"weight":1.25,"ports":8,"seen":"2010-01-23T04:56:22+00:00","tags":["a","b"],"flags":[true,false],"sizes":[1,2],"ratios":[0.5],"visits":["2011-05-13T04:42:34+02:00"],"slots":[{"opened":"2010-01-23T04:56:22+00:00","count":3,"user-name":"u"}]}""",
            written);
    }

    [Theory]
    [InlineData("""{"seen":"2010-01-23T04:56:22"}""", "seen")]
    [InlineData("""{"seen":"yesterday"}""", "seen")]
    [InlineData("""{"ports":1.5}""", "ports")]
    [InlineData("""{"weight":"heavy"}""", "weight")]
    [InlineData("""{"sizes":[1,"2"]}""", "sizes")]
    [InlineData("""{"slots":[{"count":"3"}]}""", "slots.count")]
    public void Invalid_values_of_other_types_throw_invalidValue(string json, string path)
    {
        var ex = Assert.Throws<FastScim.Core.Protocol.ScimException>(() => RoundTrip.Value(json));
        Assert.Equal(FastScim.Core.Protocol.ScimType.InvalidValue, ex.ScimType);
        Assert.Contains("'" + path + "'", ex.Detail, StringComparison.Ordinal);
    }
}
