using FastScim.Generators.Tests.Infrastructure;

namespace FastScim.Generators.Tests.Emitting;

/// <summary>
/// The shipped schemas have no integer, decimal, dateTime or simple multi-valued attributes; this
/// compiles the accessors for a schema with every type, loads them, and runs filters and sorts
/// through FastScim.Core's FilterCompiler and ScimSort.
/// </summary>
public class AccessorsAllTypesTests
{
    private const string Schema = """
        {
          "id": "urn:test:Device",
          "name": "Device",
          "attributes": [
            { "name": "serial", "type": "string", "caseExact": true },
            { "name": "label", "type": "string" },
            { "name": "enabled", "type": "boolean" },
            { "name": "weight", "type": "decimal" },
            { "name": "ports", "type": "integer" },
            { "name": "seen", "type": "dateTime" },
            { "name": "blob", "type": "binary" },
            { "name": "tags", "type": "string", "multiValued": true },
            { "name": "flags", "type": "boolean", "multiValued": true },
            { "name": "sizes", "type": "integer", "multiValued": true },
            { "name": "ratios", "type": "decimal", "multiValued": true },
            { "name": "visits", "type": "dateTime", "multiValued": true },
            { "name": "slots", "type": "complex", "multiValued": true, "subAttributes": [
              { "name": "opened", "type": "dateTime" },
              { "name": "count", "type": "integer" },
              { "name": "primary", "type": "boolean" }
            ] }
          ]
        }
        """;

    private const string ResourceTypes = """
        [ { "id": "Device", "name": "Device", "endpoint": "/Devices", "schema": "urn:test:Device" } ]
        """;

    private const string Probe = """
        using System;
        using System.Collections.Generic;
        using FastScim.Core.Filtering;
        using FastScim.Core.Resources;

        public static class Probe
        {
            private static Device Sample() => new Device
            {
                Serial = "AbC", Label = "Lab", Enabled = true, Weight = 1.25m, Ports = 8,
                Seen = DateTimeOffset.Parse("2026-01-01T02:00:00+02:00"), Blob = "QUJD",
                Tags = new List<string> { "red", "", "Blue" }, Flags = new List<bool> { false, true },
                Sizes = new List<long> { 1, 5 }, Ratios = new List<decimal> { 0.5m },
                Visits = new List<DateTimeOffset> { DateTimeOffset.Parse("2025-06-01T00:00:00Z") },
                Slots = new List<Slot> { new Slot { Count = 3, Opened = DateTimeOffset.Parse("2025-01-01T00:00:00Z") }, new Slot { Count = 7, Primary = true } },
            };

            public static string Filter(string filter)
            {
                try
                {
                    return FilterCompiler.Compile<Device, DeviceAccessors>(FilterParser.Parse(filter))(Sample()) ? "true" : "false";
                }
                catch (FastScim.Core.Protocol.ScimException e)
                {
                    return "error:" + e.ScimType;
                }
            }

            public static string Sort(string path)
            {
                var a = Sample();
                var b = Sample();
                b.Serial = "abc"; b.Ports = 2; b.Slots = new List<Slot> { new Slot { Count = 1 } }; b.Tags = new List<string> { "Apple" };
                var list = new List<Device> { a, b, new Device() };
                var dot = path.IndexOf('.');
                var attributePath = dot < 0 ? new AttributePath(null, path, null) : new AttributePath(null, path.Substring(0, dot), path.Substring(dot + 1));
                list.Sort(ScimSort.Create<Device, DeviceAccessors>(attributePath));
                return string.Join(",", list.ConvertAll(d => d == a ? "a" : d == b ? "b" : "empty"));
            }
        }
        """;

    private static readonly Lazy<System.Reflection.Assembly> Assembly = new(() =>
    {
        var files = new[] { new InMemoryText("/s/Device.json", Schema), new InMemoryText("/s/resource-types.json", ResourceTypes) };
        // its own assembly name: AllTypesTests loads another "GeneratedModel" into the same context
        var compilation = GeneratorHarness.CreateCompilation("Model", Probe).WithAssemblyName("GeneratedAccessorsProbe");
        GeneratorHarness.CreateDriver("Model", files).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(stream.ToArray()));
    });

    private static string Call(string method, string argument) =>
        (string)Assembly.Value.GetType("Probe", throwOnError: true)!.GetMethod(method)!.Invoke(null, [argument])!;

    [Theory]
    [InlineData("serial eq \"abc\"", "false")] // caseExact
    [InlineData("serial eq \"AbC\"", "true")]
    [InlineData("label eq \"LAB\"", "true")]
    [InlineData("ports gt 7", "true")]
    [InlineData("ports le 7", "false")]
    [InlineData("ports eq 8.0", "true")]
    [InlineData("ports eq \"8\"", "true")]
    [InlineData("weight ge 1.25", "true")]
    [InlineData("weight lt 1.2", "false")]
    [InlineData("seen eq \"2026-01-01T00:00:00Z\"", "true")] // the same instant
    [InlineData("seen gt \"2025-12-31T23:59:59Z\"", "true")]
    [InlineData("seen co \"2026\"", "error:InvalidFilter")]
    [InlineData("enabled eq true", "true")]
    [InlineData("enabled lt true", "error:InvalidFilter")]
    [InlineData("blob eq \"QUJD\"", "true")]
    [InlineData("blob gt \"A\"", "error:InvalidFilter")]
    [InlineData("tags eq \"blue\"", "true")]
    [InlineData("tags ne \"red\"", "false")]
    [InlineData("tags pr", "true")]
    [InlineData("flags eq false", "true")]
    [InlineData("sizes gt 4", "true")]
    [InlineData("sizes gt 5", "false")]
    [InlineData("ratios eq 0.5", "true")]
    [InlineData("visits lt \"2026-01-01T00:00:00Z\"", "true")]
    [InlineData("slots.count ge 7", "true")]
    [InlineData("slots[count gt 2 and opened pr]", "true")]
    [InlineData("slots[count gt 5 and opened pr]", "false")]
    [InlineData("slots.opened lt \"2025-06-01T00:00:00Z\"", "true")]
    [InlineData("slots eq 3", "error:InvalidFilter")] // no "value" sub-attribute
    [InlineData("ports co \"8\"", "error:InvalidFilter")]
    public void Every_type_compiles_and_compares(string filter, string expected) => Assert.Equal(expected, Call("Filter", filter));

    [Theory]
    [InlineData("serial", "a,b,empty")] // caseExact, ordinal: "AbC" < "abc"
    [InlineData("ports", "b,a,empty")]
    [InlineData("weight", "")] // a and b tie; only the unassigned device's place (last) is defined
    [InlineData("slots.count", "b,a,empty")] // a sorts by its primary slot (7), b by its first (1)
    [InlineData("tags", "b,a,empty")] // first values: "Apple" < "red"
    public void Every_type_sorts(string path, string expected)
    {
        var actual = Call("Sort", path);
        if (path == "weight")
        {
            // a and b tie; only the unassigned device's place is defined
            Assert.EndsWith(",empty", actual, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(expected, actual);
    }
}
