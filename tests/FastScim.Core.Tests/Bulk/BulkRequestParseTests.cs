using System.Text;
using FastScim.Core.Bulk;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Bulk;

/// <summary>
/// The streaming <see cref="BulkRequest.Parse"/> against the JsonDocument parse it replaced
/// (<see cref="ReferenceBulkRequest"/>), on random bodies built to reach every rule: member names
/// in other cases, escaped, non-ASCII and repeated; values of every kind; too many operations;
/// operations that are not objects; bodies cut short or with a wrong root. Each body gets the same
/// answer from both: the same request (every operation's fields and data bytes) or the same error.
/// </summary>
public class BulkRequestParseTests
{
    private const int Cases = 4000;
    private const int MaxOperations = 4;

    private static readonly string[] Values =
    [
        "null", "\"x\"", "\"POST\"", "\"/Users\"", "12", "-3", "1.5", "99999999999", "true", "[]", "[\"a\"]", "{}",
        """{"userName":"bjensen","emails":[{"value":"b@x.org"}]}""", "\"\\u0041\"", "\"\\ud800\"",
    ];

    private static readonly string[] OperationMembers = ["method", "bulkId", "version", "path", "data"];

    [Fact]
    public void Answers_every_body_as_the_document_parse_did()
    {
        var random = new Random(20261129);
        int parsed = 0, refused = 0, crashedBefore = 0;
        for (var n = 0; n < Cases; n++)
        {
            var json = RandomBody(random);
            var bytes = Encoding.UTF8.GetBytes(json);
            var expected = Outcome(() => Describe(ReferenceBulkRequest.Parse(bytes, MaxOperations)));
            var actual = Outcome(() => Describe(BulkRequest.Parse(bytes, MaxOperations)));
            Assert.False(actual.StartsWith("crash", StringComparison.Ordinal), $"case {n}: {json}\n{actual}");
            if (expected.StartsWith("crash", StringComparison.Ordinal))
            {
                // The document parse decoded an escape that is not UTF-16 (\ud800 alone) and
                // failed with a 500; the one-pass parse answers 400, or never decodes it.
                crashedBefore++;
                continue;
            }

            if (expected.StartsWith("error 400 InvalidSyntax The BulkRequest is not valid JSON", StringComparison.Ordinal))
            {
                // Both refuse it as not JSON; the reader's words for where may differ.
                Assert.StartsWith("error 400 InvalidSyntax The BulkRequest is not valid JSON", actual, StringComparison.Ordinal);
                refused++;
                continue;
            }

            Assert.True(expected == actual, $"case {n}: {json}\nexpected {expected}\nactual   {actual}");
            if (expected.StartsWith("error", StringComparison.Ordinal))
            {
                refused++;
            }
            else
            {
                parsed++;
            }
        }

        Assert.True(parsed > Cases / 10, $"parsed {parsed}");
        Assert.True(refused > Cases / 10, $"refused {refused}");
        Assert.True(crashedBefore > 0, "no body reached the old parse's 500");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_body_is_not_JSON(string body)
    {
        var error = Assert.Throws<ScimException>(() => BulkRequest.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal((400, ScimType.InvalidSyntax), (error.Status, error.ScimType));
        Assert.StartsWith("The BulkRequest is not valid JSON", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escape_that_is_not_UTF16_fails_only_where_its_text_counts()
    {
        const string Urn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

        // In data it is the operation's to fail with; in a superseded or unread value it says nothing.
        var request = BulkRequest.Parse(Encoding.UTF8.GetBytes($$"""{"schemas":["{{Urn}}","\ud800"],"failOnErrors":"\ud800","failOnErrors":2,"Operations":[{"method":"POST","path":"/Users","bulkId":"\ud800","bulkId":"a","data":"\ud800"}]}"""));
        Assert.Equal(2, request.FailOnErrors);
        Assert.Equal("a", request.Operations[0].BulkId);
        Assert.Equal("\"\\ud800\"", Encoding.UTF8.GetString(request.Operations[0].Data.Span));

        // Where it counts, it is a malformed request (400), not a server error.
        var error = Assert.Throws<ScimException>(() => BulkRequest.Parse(Encoding.UTF8.GetBytes($$"""{"schemas":["{{Urn}}"],"Operations":[{"method":"\ud800","path":"/Users"}]}""")));
        Assert.Equal((400, ScimType.InvalidSyntax), (error.Status, error.ScimType));
        Assert.Contains("Operations[0].method", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operations_data_is_a_slice_of_the_body_not_a_copy()
    {
        var body = Encoding.UTF8.GetBytes("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"bjensen"}}]}""");

        var data = BulkRequest.Parse(body).Operations[0].Data;

        Assert.Equal("""{"userName":"bjensen"}""", Encoding.UTF8.GetString(data.Span));
        Assert.True(body.AsSpan().Overlaps(data.Span));
    }

    private static string Outcome(Func<string> parse)
    {
        try
        {
            return parse();
        }
        catch (ScimException e)
        {
            return $"error {e.Status} {e.ScimType} {e.Detail}";
        }
        catch (InvalidOperationException e)
        {
            return $"crash {e.Message}";
        }
    }

    private static string Describe((int? FailOnErrors, BulkOperation[] Operations) request) => Describe(request.FailOnErrors, request.Operations);

    private static string Describe(BulkRequest request) => Describe(request.FailOnErrors, request.Operations);

    private static string Describe(int? failOnErrors, IReadOnlyList<BulkOperation> operations)
    {
        var text = new StringBuilder().Append("failOnErrors ").Append(failOnErrors?.ToString() ?? "none");
        foreach (var o in operations)
        {
            text.Append($"\n[{o.Index}] method {o.Method ?? "<null>"} bulkId {o.BulkId ?? "<null>"} version {o.Version ?? "<null>"} path {o.Path ?? "<null>"} data {Encoding.UTF8.GetString(o.Data.Span)} has {o.HasData}");
        }

        return text.ToString();
    }

    private static string RandomBody(Random random)
    {
        var members = new List<string>();
        if (random.Next(12) > 0)
        {
            members.Add(Member(random, "schemas", random.Next(10) switch
            {
                0 => "\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"",
                1 => "[\"urn:x\"]",
                2 => "[1, \"URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:BULKREQUEST\"]",
                _ => "[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"]",
            }));
        }

        if (random.Next(4) == 0)
        {
            members.Add(Member(random, "failOnErrors", random.Next(2) == 0 ? "2" : Value(random)));
        }

        if (random.Next(8) > 0)
        {
            members.Add(Member(random, "Operations", random.Next(8) == 0 ? Value(random) : Operations(random)));
        }

        if (random.Next(3) == 0)
        {
            members.Add(Member(random, "other", Value(random)));
        }

        // Repeat a member now and then, in another case, to reach the exact-then-ignoring-case rule.
        if (members.Count > 0 && random.Next(4) == 0)
        {
            members.Add(members[random.Next(members.Count)].ToUpperInvariant());
        }

        Shuffle(random, members);
        var json = "{" + string.Join(",", members) + "}";
        return random.Next(12) switch
        {
            0 => json[..random.Next(json.Length)],
            1 => "[" + json + "]",
            2 => json + " trailing",
            _ => json,
        };
    }

    private static string Operations(Random random)
    {
        var operations = new List<string>();
        for (var i = random.Next(MaxOperations + 2); i > 0; i--)
        {
            if (random.Next(20) == 0)
            {
                operations.Add(Value(random));
                continue;
            }

            var members = new List<string>();
            foreach (var name in OperationMembers)
            {
                if (random.Next(3) > 0)
                {
                    members.Add(Member(random, name, random.Next(8) == 0 ? Value(random) : Plausible(random, name)));
                }

                if (random.Next(10) == 0)
                {
                    members.Add(Member(random, name, Value(random)));
                }
            }

            Shuffle(random, members);
            operations.Add("{" + string.Join(",", members) + "}");
        }

        return "[" + string.Join(",", operations) + "]";
    }

    private static string Plausible(Random random, string name) => name switch
    {
        "method" => "\"POST\"",
        "bulkId" => $"\"b{random.Next(40)}\"",
        "path" => "\"/Users\"",
        "version" => "\"W/\\\"1\\\"\"",
        _ => """{"userName":"bjensen"}""",
    };

    /// <summary>"name": value, with the name as sent exactly, in another case, escaped, or with a non-ASCII letter that folds to it.</summary>
    private static string Member(Random random, string name, string value)
    {
        var written = random.Next(10) switch
        {
            0 => name.ToUpperInvariant(),
            1 => char.ToUpperInvariant(name[0]) + name[1..],
            2 => "\\u" + ((int)name[0]).ToString("x4") + name[1..],
            3 when name.Contains('s', StringComparison.Ordinal) => name.Replace('s', 'ſ'),
            3 when name.Contains('i', StringComparison.Ordinal) => name.Replace('i', 'ı'),
            _ => name,
        };
        return $"\"{written}\":{value}";
    }

    private static string Value(Random random) => Values[random.Next(Values.Length)];

    private static void Shuffle(Random random, List<string> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
