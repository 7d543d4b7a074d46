using System.Text;
using FastScim.Server.Io;

namespace FastScim.Server.Tests.Io;

/// <summary>A body in segments is what was written and appended, in order, each piece once.</summary>
public sealed class JsonResponseBufferTests
{
    private static string Text(JsonResponseBuffer body) =>
        string.Concat(body.Segments.Select(static s => Encoding.UTF8.GetString(s.Span)));

    [Fact]
    public void Written_and_appended_pieces_come_out_in_order_and_a_cut_piece_is_only_its_own_value()
    {
        var body = JsonResponseBuffer.Rent();
        try
        {
            body.Writer.WriteStartObject();
            body.Writer.WriteStartArray("Resources");
            body.Append("""{"kept":1}"""u8.ToArray());
            body.Append(","u8.ToArray());
            body.EndSegment();
            body.Writer.WriteStartObject();
            body.Writer.WriteNumber("rendered", 2);
            body.Writer.WriteEndObject();
            var rendered = body.Cut();
            body.Append("]}"u8.ToArray());

            Assert.True(body.IsSegmented);
            Assert.Equal("""{"rendered":2}""", Encoding.UTF8.GetString(rendered.Span));
            Assert.Equal("""{"Resources":[{"kept":1},{"rendered":2}]}""", Text(body));
        }
        finally
        {
            body.Return();
        }
    }

    [Fact]
    public void A_cleared_body_starts_again_unsegmented()
    {
        var body = JsonResponseBuffer.Rent();
        try
        {
            body.Writer.WriteStartObject();
            body.Append("1"u8.ToArray());
            body.Clear();

            Assert.False(body.IsSegmented);
            body.Writer.WriteStartObject();
            body.Writer.WriteEndObject();
            Assert.Equal("{}", Encoding.UTF8.GetString(body.WrittenMemory.Span));
        }
        finally
        {
            body.Return();
        }
    }
}
