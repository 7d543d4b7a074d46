using System.Text;
using System.Text.Json.Nodes;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using static FastScim.Core.Tests.Patch.PatchFixtures;

namespace FastScim.Core.Tests.Patch;

/// <summary>
/// Property tests on random users and random operation lists (seeded, so a failure replays):
/// a PATCH equals its operations applied one by one, and a failing PATCH leaves the stored
/// resource byte-identical.
/// </summary>
public class PatchPropertyTests
{
    private const int Resources = 600;
    private static readonly string[] Types = ["work", "home", "other"];
    private static readonly string[] Words = ["alpha", "Beta", "gamma", "DELTA", "a@x.org", "b@y.com"];

    /// <summary>Operations that always fail, whatever the resource: each a different error.</summary>
    private static readonly string[] Failing =
    [
        """{"op":"replace","path":"id","value":"not-the-id"}""",
        """{"op":"remove","path":"userName"}""",
        """{"op":"add","path":"noSuchAttribute","value":"x"}""",
        """{"op":"replace","value":{"groups":[{"value":"g"}]}}""",
        """{"op":"add","path":"emails","value":[{"value":"p1","primary":true},{"value":"p2","primary":true}]}""",
        """{"op":"replace","path":"emails[value co \"@nowhere.invalid\"].display","value":"x"}""",
    ];

    [Fact]
    public void A_patch_equals_its_operations_applied_one_by_one()
    {
        var random = new Random(20260129);
        var succeeded = 0;
        var failed = 0;
        for (var n = 0; n < Resources; n++)
        {
            var stored = RandomUser(random);
            var before = stored.ToJsonString();
            var operations = Parse(RandomOperations(random, random.Next(1, 7)));

            JsonObject? whole = null;
            ScimException? wholeError = null;
            try
            {
                whole = PatchEngine.ApplyToCopy(stored, operations, ResourceSchema.User);
            }
            catch (ScimException e)
            {
                wholeError = e;
            }

            var stepwise = stored;
            ScimException? stepError = null;
            foreach (var operation in operations)
            {
                try
                {
                    stepwise = PatchEngine.ApplyToCopy(stepwise, [operation], ResourceSchema.User);
                }
                catch (ScimException e)
                {
                    stepError = e;
                    break;
                }
            }

            Assert.Equal(before, stored.ToJsonString());
            if (wholeError is null)
            {
                Assert.Null(stepError);
                Assert.Equal(stepwise.ToJsonString(), whole!.ToJsonString());

                // What the engine produces, the generated reader accepts.
                var user = UserJson.Read(Encoding.UTF8.GetBytes(whole.ToJsonString()));
                Assert.NotNull(user.UserName);
                Assert.True((user.Emails ?? []).Count(e => e.Primary == true) <= 1, whole.ToJsonString());
                succeeded++;
            }
            else
            {
                Assert.NotNull(stepError);
                Assert.Equal(stepError.ScimType, wholeError.ScimType);
                failed++;
            }
        }

        // The generator must exercise both outcomes, or the property says little.
        Assert.True(succeeded > Resources / 2, $"{succeeded} succeeded");
        Assert.True(failed > 0, $"{failed} failed");
    }

    [Fact]
    public void A_patch_whose_last_operation_fails_leaves_the_stored_resource_byte_identical()
    {
        var random = new Random(7643);
        for (var n = 0; n < Resources; n++)
        {
            var stored = RandomUser(random);
            var before = stored.ToJsonString();
            // A prefix of operations that succeed, so that the last one is the one that fails.
            var operations = new List<string>();
            var state = stored;
            foreach (var candidate in RandomOperations(random, random.Next(0, 6)))
            {
                try
                {
                    state = PatchEngine.ApplyToCopy(state, Parse([candidate]), ResourceSchema.User);
                    operations.Add(candidate);
                }
                catch (ScimException)
                {
                }
            }

            operations.Add(Failing[random.Next(Failing.Length)]);

            var error = Assert.Throws<ScimException>(() => PatchEngine.ApplyToCopy(stored, Parse(operations), ResourceSchema.User));

            Assert.Equal(400, error.Status);
            Assert.StartsWith($"Operations[{operations.Count - 1}]", error.Detail, StringComparison.Ordinal);
            Assert.Equal(before, stored.ToJsonString());
        }
    }

    private static PatchOperation[] Parse(List<string> operations) =>
        [.. PatchRequest.Parse(Encoding.UTF8.GetBytes("{\"Operations\":[" + string.Join(",", operations) + "]}")).Operations];

    private static JsonObject RandomUser(Random random)
    {
        var json = new JsonObject { ["userName"] = "user" + random.Next(100000) };
        if (random.Next(2) == 0)
        {
            json["name"] = new JsonObject { ["givenName"] = Word(random), ["familyName"] = Word(random) };
        }

        foreach (var simple in new[] { "displayName", "nickName", "title", "locale" })
        {
            if (random.Next(2) == 0)
            {
                json[simple] = Word(random);
            }
        }

        if (random.Next(2) == 0)
        {
            json["active"] = random.Next(2) == 0;
        }

        var emails = new JsonArray();
        var primary = random.Next(4);
        for (var i = random.Next(4); i > 0; i--)
        {
            var email = new JsonObject { ["value"] = Word(random) + i, ["type"] = Types[random.Next(Types.Length)] };
            if (i == primary)
            {
                email["primary"] = true;
            }

            emails.Add((JsonNode)email);
        }

        json["emails"] = emails;
        if (random.Next(2) == 0)
        {
            json[EnterpriseUrn] = new JsonObject { ["department"] = Word(random), ["manager"] = new JsonObject { ["value"] = Word(random) } };
        }

        var user = UserJson.Read(Encoding.UTF8.GetBytes(json.ToJsonString()));
        user.Id = "id-" + random.Next(1000);
        return ToDom(user);
    }

    private static List<string> RandomOperations(Random random, int count)
    {
        var operations = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var word = Word(random);
            operations.Add(random.Next(16) switch
            {
                0 => $$"""{"op":"Replace","path":"title","value":"{{word}}"}""",
                1 => $$"""{"op":"add","path":"emails","value":[{"value":"{{word}}","type":"{{type}}"}]}""",
                2 => $$"""{"op":"remove","path":"emails[type eq \"{{type}}\"]"}""",
                3 => $$"""{"op":"replace","path":"emails[type eq \"{{type}}\"].value","value":"{{word}}"}""",
                4 => $$"""{"op":"Add","path":"emails[type eq \"{{type}}\"].value","value":"{{word}}"}""",
                5 => $$$"""{"op":"replace","value":{"active":"{{{(random.Next(2) == 0 ? "True" : "false")}}}","name.givenName":"{{{word}}}","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"{{{word}}}"}}""",
                6 => """{"op":"remove","path":"name.givenName"}""",
                7 => """{"op":"remove","path":"title"}""",
                8 => $$$"""{"op":"replace","path":"name","value":{"familyName":"{{{word}}}"}}""",
                9 => $$"""{"op":"add","path":"emails","value":[{"value":"{{word}}","type":"{{type}}","primary":true}]}""",
                10 => $$"""{"op":"Remove","path":"emails","value":[{"value":"{{word}}"}]}""",
                11 => $$"""{"op":"replace","path":"emails[value co \"{{word[..1]}}\"].display","value":"{{word}}"}""",
                12 => $$"""{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"{{word}}"}""",
                13 => """{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}""",
                14 => $$"""{"op":"replace","path":"emails","value":[{"value":"{{word}}","type":"{{type}}"}]}""",
                _ => $$"""{"op":"replace","path":"emails[type eq \"{{type}}\"].primary","value":true}""",
            });
        }

        return operations;
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];
}
