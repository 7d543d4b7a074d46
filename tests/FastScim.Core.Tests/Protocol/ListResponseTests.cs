using System.Buffers;
using System.Text.Json;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Protocol;

/// <summary>A ListResponse (RFC 7644 §3.4.2) written resource by resource, as <c>fastscim export</c> does.</summary>
public class ListResponseTests
{
    [Fact]
    public void A_streamed_list_response_carries_the_counts_of_what_was_written()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            ListResponse.WriteStreamedStart(writer);
            writer.WriteStartObject();
            writer.WriteString("id", "a");
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WriteString("id", "b");
            writer.WriteEndObject();
            ListResponse.WriteStreamedEnd(writer, 2);
        }

        using var document = JsonDocument.Parse(output.WrittenMemory);
        var root = document.RootElement;
        Assert.Equal(SchemaUrns.ListResponse, root.GetProperty("schemas")[0].GetString());
        Assert.Equal(2, root.GetProperty("totalResults").GetInt32());
        Assert.Equal(2, root.GetProperty("itemsPerPage").GetInt32());
        Assert.Equal(1, root.GetProperty("startIndex").GetInt32());
        Assert.Equal(["a", "b"], root.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }
}
