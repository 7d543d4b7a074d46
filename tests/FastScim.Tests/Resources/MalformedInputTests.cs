using System.Net.Http.Headers;
using System.Text;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.ScimResources;

namespace FastScim.Tests.Resources;

/// <summary>
/// Bad input always gets a 4xx SCIM error, never a 500: random bodies for every endpoint that
/// reads one — users and groups created, replaced and patched, Bulk, .search — and random filters,
/// built from the attribute names, paths and values a client sends, with the values that have
/// broken parsers here before (a lone-surrogate escape, a repeated name, deep nesting, huge
/// numbers), and then mutated byte by byte (a brace dropped, a quote inserted, a byte that is not
/// UTF-8). Seeded, so that a failure names the body to replay.
/// </summary>
public class MalformedInputTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const int Requests = 1500;
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";

    private static readonly string[] Atoms =
    [
        "null", "true", "false", "0", "-1", "1e400", "1.5", "\"x\"", "\"\"", "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[null]",
        "{\"value\":null}", "\"bulkId:b0\"", "\"2024-01-01T00:00:00Z\"", "\"2024-13-45\"", "99999999999999999999999",
        "\"" + new string('a', 3000) + "\"", new string('[', 70) + "1" + new string(']', 70), "{\"a\":1,\"a\":2}",
    ];

    private static readonly string[] Names =
    [
        "userName", "displayName", "name", "emails", "phoneNumbers", "addresses", "active", "password", "groups", "members",
        "roles", "x509Certificates", "title", "manager", "meta", "id", "externalId", "schemas", EnterpriseUrn, "value", "type",
        "primary", "display", "$ref", "givenName", "familyName", "timezone", "locale", "profileUrl", "urn:bad", "\\ud800", "",
    ];

    private static readonly string[] Paths =
    [
        "active", "displayName", "name.givenName", "emails", "emails[type eq \\\"work\\\"].value", "emails[value co \\\"x\\\"]", "members",
        "manager", EnterpriseUrn + ":manager", EnterpriseUrn + ":manager.value", "password", "groups", "id", "meta.created", "name",
        "addresses[type eq \\\"work\\\"].streetAddress", "emails[type eq \\\"\\\\ud800\\\"]", "roles[primary eq true].value",
        "emails[not(type pr)]", "urn:x:y", "title", "members[value eq \\\"x\\\"]",
    ];

    private static readonly string[] Filters =
    [
        "userName eq {0}", "emails[type eq \"work\" and value co {0}]", "not (active eq {0})", "meta.lastModified gt {0}",
        "name.givenName sw \"\\u00\"", "x eq \"a\" or (y pr and", "displayName co {0}", "groups.value eq {0}",
    ];

    [Fact]
    public async Task Random_and_mutated_bodies_and_filters_never_get_a_server_error()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync("\"emails\":[{\"value\":\"a@example.org\",\"type\":\"work\"}]");
        var group = await client.CreateGroupAsync("Malformed " + Guid.NewGuid().ToString("N")[..8], user.Id());
        var random = new Random(20261130);
        var seen = new Dictionary<int, int>();
        for (var n = 0; n < Requests; n++)
        {
            var (method, path, body) = (n % 10) switch
            {
                0 => (HttpMethod.Patch, "Users/" + user.Id(), PatchBody(random)),
                1 => (HttpMethod.Patch, "Groups/" + group.Id(), PatchBody(random)),
                2 => (HttpMethod.Post, "Users", UserBody(random)),
                3 => (HttpMethod.Put, "Users/" + user.Id(), UserBody(random)),
                4 => (HttpMethod.Post, "Groups", GroupBody(random)),
                5 => (HttpMethod.Put, "Groups/" + group.Id(), GroupBody(random)),
                6 => (HttpMethod.Post, "Bulk", BulkBody(random, user.Id(), group.Id())),
                7 => (HttpMethod.Post, Pick(random, [".search", "Users/.search", "Groups/.search"]), SearchBody(random)),
                _ => (HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString(string.Format(System.Globalization.CultureInfo.InvariantCulture, Pick(random, Filters), Pick(random, Atoms[..12]))), null),
            };

            var bytes = body is null ? null : Encoding.UTF8.GetBytes(body);
            if (bytes is not null && random.Next(3) == 0)
            {
                bytes = Mutate(random, bytes);
            }

            using var request = new HttpRequestMessage(method, path);
            if (bytes is not null)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(RunningServer.ScimMediaType);
            }

            using var response = await client.SendAsync(request);
            int status = (int)response.StatusCode;
            seen[status / 100] = seen.GetValueOrDefault(status / 100) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"request {n}: {method} {path} answered {status}: {text}\nbody: {(bytes is null ? "-" : Encoding.UTF8.GetString(bytes))}");
            if (status >= 400)
            {
                Assert.Equal(RunningServer.ScimMediaType, response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("urn:ietf:params:scim:api:messages:2.0:Error", text, StringComparison.Ordinal);
            }
        }

        // The bodies reach past the parsers: some are taken, many refused.
        Assert.True(seen.GetValueOrDefault(2) > Requests / 20, $"2xx: {seen.GetValueOrDefault(2)}");
        Assert.True(seen.GetValueOrDefault(4) > Requests / 4, $"4xx: {seen.GetValueOrDefault(4)}");
    }

    [Theory]
    [InlineData("POST", "Users")]
    [InlineData("PATCH", "Users/{id}")]
    [InlineData("POST", "Bulk")]
    [InlineData("POST", "Users/.search")]
    public async Task A_body_that_is_not_UTF8_is_malformed(string method, string path)
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        byte[] body = [.. "{\"Operatio"u8, 0xFF, .. "s\":[],\"userName\":\"x\"}"u8];
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", user.Id(), StringComparison.Ordinal)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(RunningServer.ScimMediaType);

        using var response = await client.SendAsync(request);

        var error = await response.AssertScimErrorAsync(400, "invalidSyntax");
        Assert.Contains("not UTF-8", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(user.ToString(), (await client.GetJsonAsync("Users/" + user.Id())).ToString());
    }

    private static string Value(Random random, int depth = 0)
    {
        var roll = random.Next(4);
        if (depth > 3 || roll < 2)
        {
            return Pick(random, Atoms);
        }

        return roll == 2
            ? "{" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => $"\"{Pick(random, Names)}\":{Value(random, depth + 1)}")) + "}"
            : "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]";
    }

    private static string PatchBody(Random random)
    {
        var operations = Enumerable.Range(0, random.Next(4)).Select(_ =>
        {
            var members = new List<string>();
            if (random.Next(10) > 0)
            {
                members.Add("\"op\":\"" + Pick(random, ["add", "replace", "remove", "Add", "Replace", "copy"]) + "\"");
            }

            if (random.Next(10) > 2)
            {
                members.Add("\"path\":\"" + Pick(random, Paths) + "\"");
            }

            if (random.Next(10) > 1)
            {
                members.Add("\"value\":" + Value(random));
            }

            return "{" + string.Join(",", members) + "}";
        });
        return "{\"schemas\":[\"" + PatchOpUrn + "\"],\"Operations\":[" + string.Join(",", operations) + "]}";
    }

    private static string UserBody(Random random)
    {
        var members = new List<string>
        {
            "\"schemas\":[\"" + UserUrn + "\"" + (random.Next(2) == 0 ? ",\"" + EnterpriseUrn + "\"" : "") + "]",
            "\"userName\":" + (random.Next(2) == 0 ? "\"" + NewUserName("malformed") + "\"" : Value(random)),
        };
        members.AddRange(Enumerable.Range(0, random.Next(6)).Select(_ => $"\"{Pick(random, Names)}\":{Value(random)}"));
        return "{" + string.Join(",", members) + "}";
    }

    private static string GroupBody(Random random)
    {
        var members = new List<string>
        {
            "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]",
            "\"displayName\":" + (random.Next(2) == 0 ? "\"g-" + Guid.NewGuid().ToString("N")[..12] + "\"" : Value(random)),
        };
        members.AddRange(Enumerable.Range(0, random.Next(4)).Select(_ => $"\"{Pick(random, Names)}\":{Value(random)}"));
        return "{" + string.Join(",", members) + "}";
    }

    private static string BulkBody(Random random, string userId, string groupId)
    {
        var operations = Enumerable.Range(0, random.Next(5)).Select(i =>
        {
            var method = Pick(random, ["POST", "PUT", "PATCH", "DELETE", "GET"]);
            var path = Pick(random, ["/Users", "/Groups", "/Users/" + userId, "/Groups/" + groupId, "/Users/bulkId:b0", "/Bad"]);
            var data = method == "PATCH" ? PatchBody(random) : path.StartsWith("/Users", StringComparison.Ordinal) ? UserBody(random) : path.StartsWith("/Groups", StringComparison.Ordinal) ? GroupBody(random) : Value(random);
            return $"{{\"method\":\"{method}\",\"path\":\"{path}\",\"bulkId\":\"b{i}\",\"data\":{data}}}";
        });
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"failOnErrors\":" + Pick(random, ["1", "10", "null", "\"x\"", "0"]) + ",\"Operations\":[" + string.Join(",", operations) + "]}";
    }

    private static string SearchBody(Random random)
    {
        var members = Enumerable.Range(0, random.Next(5)).Select(_ =>
            $"\"{Pick(random, ["filter", "attributes", "excludedAttributes", "sortBy", "sortOrder", "startIndex", "count", "cursor"])}\":" +
            Pick(random, [.. Atoms, "\"userName eq \\\"a\\\"\"", "\"emails[type eq \\\"work\\\"]\"", "[\"userName\"]"]));
        return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"]" + string.Concat(members.Select(static m => "," + m)) + "}";
    }

    /// <summary>One to three byte-level edits: a byte dropped, inserted or replaced (JSON punctuation, an escape's start, a byte that is not UTF-8).</summary>
    private static byte[] Mutate(Random random, byte[] bytes)
    {
        var edited = new List<byte>(bytes);
        ReadOnlySpan<byte> pieces = "{}[]\",:\\ u0d8a"u8;
        for (int edits = 1 + random.Next(3); edits > 0 && edited.Count > 0; edits--)
        {
            int at = random.Next(edited.Count);
            byte piece = random.Next(10) == 0 ? (byte)0xFF : pieces[random.Next(pieces.Length)];
            switch (random.Next(3))
            {
                case 0:
                    edited.RemoveAt(at);
                    break;
                case 1:
                    edited.Insert(at, piece);
                    break;
                default:
                    edited[at] = piece;
                    break;
            }
        }

        return [.. edited];
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
