using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Protocol;

public class PageCursorTests
{
    private static readonly ulong UsersAll = PageCursor.QueryHash("User", null, null, false);

    [Theory]
    [InlineData(1L)]
    [InlineData(12345L)]
    [InlineData(long.MaxValue)]
    public void A_cursor_round_trips_and_uses_only_unreserved_characters(long sequence)
    {
        var cursor = PageCursor.Encode(sequence, UsersAll);

        Assert.Equal(sequence, PageCursor.Decode(cursor, UsersAll));
        Assert.All(cursor, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not unreserved (RFC 3986 §2.3)"));
    }

    [Fact]
    public void The_empty_cursor_starts_at_the_beginning() => Assert.Equal(0, PageCursor.Decode("", UsersAll));

    [Fact]
    public void A_changed_character_is_invalidCursor()
    {
        var cursor = PageCursor.Encode(42, UsersAll);
        for (var i = 0; i < cursor.Length; i++)
        {
            var tampered = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            var error = Assert.Throws<ScimException>(() => PageCursor.Decode(tampered, UsersAll));
            Assert.Equal(400, error.Status);
            Assert.Equal(ScimType.InvalidCursor, error.ScimType);
        }
    }

    [Theory]
    [InlineData("x")]
    [InlineData("not a cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_is_invalidCursor(string cursor)
    {
        var error = Assert.Throws<ScimException>(() => PageCursor.Decode(cursor, UsersAll));

        Assert.Equal(ScimType.InvalidCursor, error.ScimType);
    }

    [Fact]
    public void A_truncated_cursor_is_invalidCursor()
    {
        var cursor = PageCursor.Encode(42, UsersAll);

        Assert.Equal(ScimType.InvalidCursor, Assert.Throws<ScimException>(() => PageCursor.Decode(cursor[..^1], UsersAll)).ScimType);
    }

    [Theory]
    [InlineData("Group", null, null, false)]
    [InlineData("User", "userName sw \"a\"", null, false)]
    [InlineData("User", null, "userName", false)]
    [InlineData("User", null, null, true)]
    public void A_cursor_cannot_continue_another_query(string type, string? filter, string? sortBy, bool descending)
    {
        var cursor = PageCursor.Encode(42, UsersAll);
        var other = PageCursor.QueryHash(type, filter, sortBy, descending);

        Assert.NotEqual(UsersAll, other);
        var error = Assert.Throws<ScimException>(() => PageCursor.Decode(cursor, other));
        Assert.Equal(ScimType.InvalidCursor, error.ScimType);
        Assert.Contains("another query", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_new_error_keywords_are_written_as_RFC_9865_names_them()
    {
        Assert.Equal("invalidCursor", ScimType.InvalidCursor.ToWire());
        Assert.Equal("expiredCursor", ScimType.ExpiredCursor.ToWire());
        Assert.Equal("invalidCount", ScimType.InvalidCount.ToWire());
    }

    [Fact]
    public void SearchRequest_reads_cursor_from_the_query_and_from_a_body()
    {
        var absent = SearchRequest.FromQuery(_ => null);
        var empty = SearchRequest.FromQuery(name => name == "cursor" ? "" : null);
        var body = SearchRequest.Parse("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"cursor":"","count":7,"startIndex":3}"""u8);

        Assert.Null(absent.Cursor);
        Assert.False(absent.HasStartIndex);
        Assert.Equal("", empty.Cursor);
        Assert.Equal("", body.Cursor);
        Assert.True(body.HasStartIndex);
        Assert.Equal(7, body.Paging.Count);
    }
}
