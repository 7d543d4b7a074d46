using System.Text;
using System.Text.Json;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Protocol;

/// <summary>
/// Texts read from JSON bodies: a short one repeated across bodies is one string, and whatever
/// the pool holds, every read gives exactly the text of the token it reads.
/// </summary>
public sealed class JsonStringPoolTests
{
    [Fact]
    public void A_short_text_read_from_two_bodies_is_one_string_and_a_long_one_is_not()
    {
        string shortText = "America/Los_Angeles-" + Guid.NewGuid().ToString("N")[..8];
        string longText = new('x', 65);

        // Other tests read JSON meanwhile and may take the slot between two reads: one pair of ten
        // is enough to show the sharing (without it, no pair is ever one string).
        bool shared = false;
        for (int attempt = 0; attempt < 10 && !shared; attempt++)
        {
            string first = ReadValue(Json(shortText));
            string second = ReadValue(Json(shortText));
            Assert.Equal(shortText, first);
            Assert.Equal(shortText, second);
            shared = ReferenceEquals(first, second);
        }

        string longFirst = ReadValue(Json(longText));
        string longSecond = ReadValue(Json(longText));

        Assert.True(shared);
        Assert.Equal(longText, longSecond);
        Assert.NotSame(longFirst, longSecond);
    }

    [Fact]
    public void A_user_s_repeated_values_are_shared_and_its_password_never_is()
    {
        // A password (writeOnly) must not outlive its request in a static table.
        byte[] body = """{"userName":"bjensen","title":"Tour Guide","password":"t1meMa$heen"}"""u8.ToArray();
        bool titleShared = false;
        for (int attempt = 0; attempt < 10 && !titleShared; attempt++)
        {
            User first = UserJson.Read(body);
            User second = UserJson.Read(body);
            Assert.Equal("t1meMa$heen", first.Password);
            Assert.Equal(first.Password, second.Password);
            Assert.NotSame(first.Password, second.Password);
            titleShared = ReferenceEquals(first.Title, second.Title);
        }

        Assert.True(titleShared);
    }

    [Theory]
    [InlineData("\"caf\\u00e9\"", "café")]          // escaped: decoded as before
    [InlineData("\"café\"", "café")]                // two-byte UTF-8
    [InlineData("\"\U0001F600 ok\"", "\U0001F600 ok")] // a surrogate pair
    [InlineData("\"\"", "")]
    public void Texts_are_read_as_they_are(string json, string expected)
    {
        Assert.Equal(expected, ReadValue(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(expected, ReadValue(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 })]             // no UTF-8 byte
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 })] // a surrogate encoded in UTF-8
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 })]       // an overlong encoding
    public void A_string_of_bytes_that_are_no_UTF8_has_no_text(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        Assert.Null(JsonText.TryRead(ref reader));
    }

    [Fact]
    public void A_lone_surrogate_escape_has_no_text()
    {
        var reader = new Utf8JsonReader("\"a\\ud800b\""u8);
        reader.Read();
        Assert.Null(JsonText.TryRead(ref reader));
    }

    [Fact]
    public void Many_threads_reading_texts_that_share_slots_each_get_their_own_text()
    {
        // Far more texts than slots: most reads find another text in their slot, or a text another
        // thread just put there; each must still answer its own.
        string[] texts = [.. Enumerable.Range(0, 20_000).Select(static i => "t" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))];
        byte[][] bodies = [.. texts.Select(Json)];
        int wrong = 0;
        Parallel.For(0, 4, part =>
        {
            var random = new Random(part);
            for (int i = 0; i < 100_000; i++)
            {
                int pick = random.Next(texts.Length);
                if (ReadValue(bodies[pick]) != texts[pick])
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        });

        Assert.Equal(0, wrong);
    }

    private static byte[] Json(string text) => JsonSerializer.SerializeToUtf8Bytes(text);

    private static string ReadValue(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return JsonText.TryRead(ref reader) ?? throw new InvalidOperationException("no text");
    }
}
