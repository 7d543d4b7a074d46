using System.Text;
using FastScim.Tests.Infrastructure;
using FastScim.Transfer;

namespace FastScim.Tests.Transfer;

/// <summary>Streaming the resources out of an import file, and saying where it is malformed.</summary>
public sealed class ResourceFileTests : IDisposable
{
    private readonly string _files = TemporaryDirectory.Create();

    public void Dispose() => TemporaryDirectory.Delete(_files);

    [Fact]
    public void A_ListResponse_yields_its_Resources_whatever_members_surround_them()
    {
        var path = Write("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,
             "ignored":{"Resources":[{"id":"not-this"}]},
             "resources":[
               {"id":"a","nested":{"deep":[{"x":1}]}},
               {"id":"b"}
             ],
             "itemsPerPage":2}
            """);

        var resources = ReadAll(path);

        Assert.Equal(["{\"id\":\"a\",\"nested\":{\"deep\":[{\"x\":1}]}}", "{\"id\":\"b\"}"], resources.Select(r => r.Json));
        Assert.Equal(["Resources[0], line 4", "Resources[1], line 5"], resources.Select(r => r.Position));
    }

    [Fact]
    public void Resources_larger_than_the_buffer_and_a_byte_order_mark_are_read()
    {
        var big = new string('x', 200_000);
        var path = Write("\uFEFF[{\"id\":\"1\",\"d\":\"" + big + "\"},\n{\"id\":\"2\"}]");

        var resources = ReadAll(path);

        Assert.Equal(2, resources.Count);
        Assert.Equal("{\"id\":\"1\",\"d\":\"".Length + big.Length + 2, resources[0].Json.Length);
        Assert.Equal(("[1], line 2", "{\"id\":\"2\"}"), (resources[1].Position, resources[1].Json));
    }

    [Fact]
    public void Malformed_JSON_far_into_the_file_is_reported_at_its_line_and_byte()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => $"  {{\"id\":\"{i}\",\"displayName\":\"{new string('y', 40)}\"}},").ToList();
        lines.Add("  {\"id\":\"last\", oops}");
        var path = Write("[\n" + string.Join("\n", lines) + "\n]");

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));

        Assert.StartsWith($"{path}: line 5002, byte 17: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"id\":\"a\"},\n 42]", "line 2, byte 2: [1] is not a JSON object.")]
    [InlineData("{\"Resources\":{}}", "line 1, byte 14: \"Resources\" is not an array.")]
    [InlineData("{\"totalResults\":0}", "line 1, byte 18: the object has no \"Resources\" array")]
    [InlineData("\"users\"", "line 1, byte 1: expected a ListResponse")]
    [InlineData("[{\"id\":\"a\"}", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[] []", "line 1, byte 4: not valid JSON")]
    public void What_is_not_a_file_of_resources_is_refused_saying_where(string content, string expected)
    {
        var path = Write(content);

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
    }

    private string Write(string content)
    {
        var path = Path.Combine(_files, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private static List<(string Json, string Position)> ReadAll(string path)
    {
        using var file = ResourceFile.Open(path);
        var all = new List<(string, string)>();
        while (file.Next() is { } resource)
        {
            all.Add((Encoding.UTF8.GetString(resource.Json.Span), resource.Position));
        }

        return all;
    }
}
