using System.Text.Json;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Protocol;

public class ScimErrorTests
{
    [Fact]
    public void The_status_is_a_string_and_scimType_is_the_wire_keyword()
    {
        using var document = JsonDocument.Parse(Write(409, ScimType.Uniqueness, "taken"));
        var root = document.RootElement;

        Assert.Equal(SchemaUrns.Error, root.GetProperty("schemas")[0].GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("status").ValueKind);
        Assert.Equal("409", root.GetProperty("status").GetString());
        Assert.Equal("uniqueness", root.GetProperty("scimType").GetString());
        Assert.Equal("taken", root.GetProperty("detail").GetString());
    }

    [Fact]
    public void An_error_without_a_scimType_omits_it()
    {
        using var document = JsonDocument.Parse(Write(404, ScimType.None, "gone"));

        Assert.False(document.RootElement.TryGetProperty("scimType", out _));
    }

    [Theory]
    [InlineData(ScimType.InvalidFilter, "invalidFilter")]
    [InlineData(ScimType.TooMany, "tooMany")]
    [InlineData(ScimType.Mutability, "mutability")]
    [InlineData(ScimType.InvalidSyntax, "invalidSyntax")]
    [InlineData(ScimType.InvalidPath, "invalidPath")]
    [InlineData(ScimType.NoTarget, "noTarget")]
    [InlineData(ScimType.InvalidValue, "invalidValue")]
    [InlineData(ScimType.InvalidVers, "invalidVers")]
    [InlineData(ScimType.Sensitive, "sensitive")]
    public void Every_keyword_of_table_9_is_spelled_as_the_RFC_spells_it(ScimType type, string keyword)
    {
        Assert.Equal(keyword, type.ToWire());
    }

    private static byte[] Write(int status, ScimType type, string detail)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            ScimError.Write(writer, status, type, detail);
        }

        return stream.ToArray();
    }
}
