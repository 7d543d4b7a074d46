using System.Text;
using FastScim.Core.Compatibility;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Patch;

/// <summary>
/// <see cref="PatchRequest.Parse"/>, which walks one <c>JsonDocument</c>, against the
/// <c>JsonNode</c> parse it replaced (<see cref="ReferencePatchRequest"/>), on random bodies built to
/// reach every rule: member names in other cases, escaped and repeated (at the top, in an
/// operation, deep in a value); "op", "path" and "value" of every kind, missing or null; "schemas"
/// right, wrong, empty or missing; lone-surrogate escapes. Each body gets the same answer from
/// both, in the lenient profile (with the same tolerances used) and in the strict one: the same
/// operations (op, path, value) or the same error.
/// </summary>
public class PatchRequestParseTests
{
    private const int Cases = 4000;

    private static readonly string[] Values =
    [
        "null", "\"x\"", "\"Alice\"", "12", "-3", "1.5", "true", "false", "[]", "[\"a\",1]", "{}",
        """{"givenName":"Barbara","familyName":"Jensen"}""", """[{"value":"b@x.org","type":"work"}]""",
        """{"a":1,"a":2}""", """{"x":{"b":1,"b":2}}""", """[{"b":1,"\u0062":2}]""", "\"\\u0041\"", "\"\\ud800\"",
        """{"active":false,"displayName":"D"}""", """{"\ud800":"x"}""",
    ];

    private static readonly string[] Paths =
    [
        "\"active\"", "\"displayName\"", "\"name.givenName\"", "\"emails[type eq \\\"work\\\"].value\"", "\"members\"",
        "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\"", "\"\"", "\"emails[\"", "\"\\ud800\"", "null", "12", "[]",
    ];

    private static readonly string[] Ops = ["\"add\"", "\"replace\"", "\"remove\"", "\"Replace\"", "\"Add\"", "\"REMOVE\"", "\"copy\"", "\"\\ud800\"", "null", "1", "{}"];

    [Fact]
    public void Answers_every_body_as_the_node_parse_did()
    {
        var random = new Random(20261130);
        int parsed = 0, refused = 0, crashedBefore = 0, repeated = 0, unreadable = 0;
        for (var n = 0; n < Cases; n++)
        {
            var json = RandomBody(random);
            var bytes = Encoding.UTF8.GetBytes(json);
            foreach (var strict in new[] { false, true })
            {
                var expected = Outcome(strict, () => Describe(ReferencePatchRequest.Parse(bytes)));
                var actual = Outcome(strict, () => Describe(PatchRequest.Parse(bytes).Operations));
                Assert.False(actual.StartsWith("crash", StringComparison.Ordinal), $"case {n}: {json}\n{actual}");
                if (actual.StartsWith("error 400 InvalidSyntax The PATCH body is not valid JSON: a member name holds an escape", StringComparison.Ordinal))
                {
                    // Looking for repeated names decodes every name; one with no text is refused
                    // (the node parse failed on it with a 500, or let it through in a value).
                    Assert.Contains("\"\\ud800\":", json, StringComparison.Ordinal);
                    unreadable++;
                    continue;
                }

                if (RepeatsAName(bytes))
                {
                    crashedBefore += expected.StartsWith("crash", StringComparison.Ordinal) ? 1 : 0;
                    // The node parse refused a name given twice as malformed only when JsonNode.Parse
                    // built that object; where the object was first read later (the body's own
                    // members, an operation's) it failed with a 500, and in an object inside an
                    // array value, cloned unread, it let the name through. The new parse refuses
                    // it as malformed wherever it is.
                    Assert.StartsWith("error 400 InvalidSyntax The PATCH body is not valid JSON: Duplicate property", actual, StringComparison.Ordinal);
                    repeated++;
                    continue;
                }

                if (expected.Contains("value <not UTF-16>", StringComparison.Ordinal))
                {
                    // The node parse let a value with no text through, for the engine to fail on
                    // with a 500 when it read it; the new parse refuses the operation.
                    Assert.Matches("^error 400 InvalidValue Operations\\[\\d\\]: \"value\" holds an escape", actual);
                    unreadable++;
                    continue;
                }

                if (expected.StartsWith("crash", StringComparison.Ordinal))
                {
                    // The node parse decoded an escape that is not UTF-16 (\ud800 alone) in "op",
                    // "path" or "schemas" and failed with a 500; the new parse refuses such an
                    // "op" or "path" as malformed (400, checked above: no crash) and reads past
                    // such a "schemas" entry to the ones after it.
                    crashedBefore++;
                    continue;
                }

                if (expected.StartsWith("error 400 InvalidSyntax The PATCH body is not valid JSON", StringComparison.Ordinal))
                {
                    // Both refuse it as not JSON (a repeated name among them); the words for why may differ.
                    Assert.StartsWith("error 400 InvalidSyntax The PATCH body is not valid JSON", actual, StringComparison.Ordinal);
                    refused++;
                    continue;
                }

                Assert.True(expected == actual, $"case {n} (strict {strict}): {json}\nexpected {expected}\nactual   {actual}");
                if (expected.StartsWith("error", StringComparison.Ordinal))
                {
                    refused++;
                }
                else
                {
                    parsed++;
                }
            }
        }

        Assert.True(parsed > Cases / 10, $"parsed {parsed}");
        Assert.True(refused > Cases / 10, $"refused {refused}");
        Assert.True(crashedBefore > 0, "no body reached the old parse's 500");
        Assert.True(repeated > 0, "no body repeated a name");
        Assert.True(unreadable > 0, "no value had an escape with no text");
    }

    /// <summary>Whether some object in <paramref name="json"/> (valid JSON or not) names a member twice, names compared unescaped.</summary>
    private static bool RepeatsAName(byte[] json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        var open = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case System.Text.Json.JsonTokenType.StartObject:
                        open.Push([]);
                        break;
                    case System.Text.Json.JsonTokenType.StartArray:
                        open.Push(null);
                        break;
                    case System.Text.Json.JsonTokenType.EndObject or System.Text.Json.JsonTokenType.EndArray:
                        open.Pop();
                        break;
                    case System.Text.Json.JsonTokenType.PropertyName:
                        if (!open.Peek()!.Add(Unescaped(ref reader)))
                        {
                            return true;
                        }

                        break;
                }
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        return false;

        static string Unescaped(ref System.Text.Json.Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return "raw " + Convert.ToHexString(reader.ValueSpan); // an escape that is not UTF-16
            }
        }
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"add","path":"title","value":"x"}],"Operations":[]}""")]
    [InlineData("""{"Operations":[{"op":"add","op":"remove","path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":"add","path":"name","value":{"givenName":"a","givenName":"b"}}]}""")]
    [InlineData("""{"Operations":[{"op":"add","value":{"emails":[{"value":"a","\u0076alue":"b"}]}}]}""")]
    public void A_member_name_given_twice_at_any_depth_is_malformed(string body)
    {
        var error = Assert.Throws<ScimException>(() => PatchRequest.Parse(Encoding.UTF8.GetBytes(body)));

        Assert.Equal((400, ScimType.InvalidSyntax), (error.Status, error.ScimType));
        Assert.StartsWith("The PATCH body is not valid JSON", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_outlives_the_parse_and_belongs_to_no_document()
    {
        var operations = PatchRequest.Parse(Encoding.UTF8.GetBytes("""{"Operations":[{"op":"add","value":{"name":{"givenName":"Barbara"}}},{"op":"replace","path":"active","value":false}]}""")).Operations;

        var value = Assert.IsType<System.Text.Json.Nodes.JsonObject>(operations[0].Value);
        Assert.Null(value.Parent);
        value["title"] = "Tour Guide"; // a node the engine may insert into a resource, and change
        Assert.Equal("""{"name":{"givenName":"Barbara"},"title":"Tour Guide"}""", value.ToJsonString());
        Assert.False(operations[1].Value!.GetValue<bool>());
    }

    private static string RandomBody(Random random)
    {
        var members = new List<string>();
        if (random.Next(5) > 0)
        {
            members.Add(Name(random, "schemas") + ":" + (random.Next(7) switch
            {
                0 => "[]",
                1 => "\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"",
                2 => "[\"urn:ietf:params:scim:api:messages:2.0:Other\"]",
                3 => "[\"URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP\"]",
                4 => "[\"\\ud800\",\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]",
                5 => "[\"" + string.Concat(Enumerable.Repeat("\\ud800", 9)) + "\",\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]", // as long as the URN: compared, not only measured
                _ => "[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]",
            }));
        }

        if (random.Next(12) > 0)
        {
            var operations = random.Next(8) == 0
                ? Pick(random, Values)
                : "[" + string.Join(",", Enumerable.Range(0, random.Next(10) == 0 ? 0 : 1 + random.Next(3)).Select(_ => RandomOperation(random))) + "]";
            members.Add(Name(random, "Operations") + ":" + operations);
        }

        if (random.Next(10) == 0)
        {
            members.Add(Name(random, Pick(random, ["Operations", "schemas", "id"])) + ":" + Pick(random, Values));
        }

        Shuffle(random, members);
        return random.Next(40) == 0 ? Pick(random, Values) : "{" + string.Join(",", members) + "}";
    }

    private static string RandomOperation(Random random)
    {
        if (random.Next(15) == 0)
        {
            return Pick(random, Values);
        }

        var members = new List<string>();
        if (random.Next(10) > 0)
        {
            members.Add(Name(random, "op") + ":" + (random.Next(5) > 0 ? Pick(random, ["\"add\"", "\"replace\""]) : Pick(random, Ops)));
        }

        if (random.Next(3) > 0)
        {
            members.Add(Name(random, "path") + ":" + (random.Next(5) > 0 ? Pick(random, Paths[..6]) : Pick(random, Paths)));
        }

        if (random.Next(8) > 0)
        {
            members.Add(Name(random, "value") + ":" + (random.Next(5) > 0 ? Pick(random, Values[..13]) : Pick(random, Values)));
        }

        if (random.Next(8) == 0)
        {
            members.Add(Name(random, Pick(random, ["op", "path", "value", "other"])) + ":" + Pick(random, Values));
        }

        Shuffle(random, members);
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>The name as written, in another case, or with its first letter escaped.</summary>
    private static string Name(Random random, string name) => random.Next(6) switch
    {
        0 => "\"" + name.ToUpperInvariant() + "\"",
        1 => "\"" + char.ToUpperInvariant(name[0]) + name[1..] + "\"",
        2 => "\"\\u" + ((int)name[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + name[1..] + "\"",
        _ => "\"" + name + "\"",
    };

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static void Shuffle(Random random, List<string> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static string Outcome(bool strict, Func<string> parse)
    {
        var context = new ToleranceContext(strict);
        var before = Tolerance.Current;
        Tolerance.Current = context;
        try
        {
            var operations = parse();
            return $"{operations}\ntolerances {context.Used}";
        }
        catch (ScimException e)
        {
            return $"error {e.Status} {e.ScimType} {e.Detail}";
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Not a SCIM error: the handler would have answered 500.
            return $"crash {e.Message}";
        }
        finally
        {
            Tolerance.Current = before;
        }
    }

    private static string Describe(IReadOnlyList<PatchOperation> operations) =>
        string.Join("\n", operations.Select(o => $"{o.Op} path {o.Path?.ToString() ?? "<none>"} value {Json(o.Value)} kind {o.Value?.GetValueKind().ToString() ?? "-"}"));

    /// <summary>The value as JSON; one holding an escape that is not UTF-16 cannot be written, and says so.</summary>
    private static string Json(System.Text.Json.Nodes.JsonNode? value)
    {
        try
        {
            return value?.ToJsonString() ?? "<null>";
        }
        catch (InvalidOperationException)
        {
            return "<not UTF-16>";
        }
    }
}
