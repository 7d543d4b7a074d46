using System.Text;
using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>POST /Bulk (RFC 7644 §3.7) over HTTP.</summary>
public class BulkTests(RunningServer server) : IClassFixture<RunningServer>
{
    private const string BulkRequestUrn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    private static string Bulk(string operations, string extra = "") =>
        $$$"""{"schemas":["{{{BulkRequestUrn}}}"]{{{extra}}},"Operations":[{{{operations}}}]}""";

    private static async Task<JsonElement> BulkOkAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("Bulk", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(200 == (int)response.StatusCode, $"Bulk answered {(int)response.StatusCode}: {text}");
        Assert.Equal(ScimMediaType, response.Content.Headers.ContentType?.MediaType);
        var json = await response.JsonAsync();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", json.GetProperty("schemas")[0].GetString());
        return json;
    }

    private static JsonElement[] Operations(JsonElement response) => response.GetProperty("Operations").EnumerateArray().ToArray();

    private static JsonElement ByBulkId(JsonElement response, string bulkId) =>
        Operations(response).Single(o => o.TryGetProperty("bulkId", out var b) && b.GetString() == bulkId);

    private static string IdOf(JsonElement operation)
    {
        var location = operation.GetProperty("location").GetString()!;
        return location[(location.LastIndexOf('/') + 1)..];
    }

    [Fact]
    public async Task The_rfc_example_creates_a_user_and_a_group_that_references_it_by_bulkId()
    {
        var client = server.Client(server.DefaultToken);
        var userName = ScimResources.NewUserName("alice");

        // RFC 7644 §3.7.2, with a fresh userName.
        var response = await BulkOkAsync(client, $$$"""
            {"schemas":["{{{BulkRequestUrn}}}"],
             "Operations":[
               {"method":"POST","path":"/Users","bulkId":"qwerty",
                "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{{userName}}}"}},
               {"method":"POST","path":"/Groups","bulkId":"ytrewq",
                "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Tour Guides",
                        "members":[{"type":"User","value":"bulkId:qwerty"}]}}]}
            """);

        var user = ByBulkId(response, "qwerty");
        var group = ByBulkId(response, "ytrewq");
        Assert.Equal("201", user.GetProperty("status").GetString());
        Assert.Equal("201", group.GetProperty("status").GetString());
        Assert.Equal("POST", group.GetProperty("method").GetString());
        Assert.StartsWith(server.BaseUrl() + "/Users/", user.GetProperty("location").GetString(), StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", user.GetProperty("version").GetString());

        var stored = await client.GetJsonAsync("Groups/" + IdOf(group));
        Assert.Equal([IdOf(user)], stored.MemberIds());
        var storedUser = await client.GetJsonAsync("Users/" + IdOf(user));
        Assert.Equal(userName, storedUser.GetProperty("userName").GetString());
    }

    [Fact]
    public async Task The_rfc_section_3_7_3_request_verbatim_stops_at_its_first_error()
    {
        var client = server.Client(server.DefaultToken);

        // RFC 7644 §3.7.3, verbatim: the PUT, PATCH and DELETE name resources this tenant lacks.
        var response = await BulkOkAsync(client, """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
             "failOnErrors":1,
             "Operations":[
               {"method":"POST","path":"/Users","bulkId":"qwerty",
                "data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:User"],"userName":"Alice"}},
               {"method":"PUT","path":"/Users/b7c14771-226c-4d05-8860-134711653041","version":"W\/\"3694e05e9dff591\"",
                "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"b7c14771-226c-4d05-8860-134711653041","userName":"Bob"}},
               {"method":"PATCH","path":"/Users/5d8d29d3-342c-4b5f-8683-a3cb6763ffcc","version":"W\/\"edac3253e2c0ef2\"",
                "data":[{"op":"remove","path":"nickName"},{"op":"add","path":"userName","value":"Dave"}]},
               {"method":"DELETE","path":"/Users/e9e30dba-f08f-4109-8486-d5c6a331660a","version":"W\/\"0ee8add0a938e1a\""}]}
            """);

        var ops = Operations(response);
        Assert.True(ops.Length == 2, response.ToString());
        Assert.Equal("201", ops[0].GetProperty("status").GetString());
        Assert.Equal("PUT", ops[1].GetProperty("method").GetString());
        Assert.Equal("404", ops[1].GetProperty("status").GetString());
        Assert.Equal(server.BaseUrl() + "/Users/b7c14771-226c-4d05-8860-134711653041", ops[1].GetProperty("location").GetString());
        Assert.Equal("404", ops[1].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("Alice", (await client.GetJsonAsync("Users/" + IdOf(ops[0]))).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task References_resolve_whatever_the_order_of_the_operations()
    {
        var client = server.Client(server.DefaultToken);

        // The group comes first and the enterprise manager refers to a user declared after it.
        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Forward","members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}},
            {"method":"POST","path":"/Users","bulkId":"u2","data":{"userName":"{{{ScimResources.NewUserName()}}}",
               "{{{ScimResources.EnterpriseUrn}}}":{"manager":{"value":"bulkId:u1"} } } },
            {"method":"POST","path":"/Users","bulkId":"u1","data":{"userName":"{{{ScimResources.NewUserName()}}}"}}
            """));

        var ops = Operations(response);
        Assert.Equal(["g", "u2", "u1"], ops.Select(o => o.GetProperty("bulkId").GetString()!).ToArray());
        Assert.All(ops, o => Assert.Equal("201", o.GetProperty("status").GetString()));
        var u1 = IdOf(ByBulkId(response, "u1"));
        var u2 = IdOf(ByBulkId(response, "u2"));
        var group = await client.GetJsonAsync("Groups/" + IdOf(ByBulkId(response, "g")));
        Assert.Equal(ScimResources.Sorted(u1, u2), group.MemberIds());
        var managed = await client.GetJsonAsync("Users/" + u2);
        Assert.Equal(u1, managed.GetProperty(ScimResources.EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_path_can_reference_a_bulkId_and_PATCH_DELETE_and_PUT_run_as_single_requests()
    {
        var client = server.Client(server.DefaultToken);
        var userName = ScimResources.NewUserName();

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"PATCH","path":"/Groups/bulkId:g","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u"}]}]}},
            {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"{{{userName}}}"}},
            {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Patched later"}},
            {"method":"PUT","path":"/Users/bulkId:u","data":{"userName":"{{{userName}}}","displayName":"Put by bulk"}},
            {"method":"POST","path":"/Users","bulkId":"gone","data":{"userName":"{{{ScimResources.NewUserName()}}}"}},
            {"method":"DELETE","path":"/Users/bulkId:gone"}
            """));

        var ops = Operations(response);
        Assert.Equal(["200", "201", "201", "200", "201", "204"], ops.Select(o => o.GetProperty("status").GetString()!).ToArray());
        var userId = IdOf(ByBulkId(response, "u"));
        var groupId = IdOf(ByBulkId(response, "g"));
        Assert.Equal(server.BaseUrl() + "/Groups/" + groupId, ops[0].GetProperty("location").GetString());
        Assert.Equal("W/\"2\"", ops[0].GetProperty("version").GetString());
        Assert.Equal([userId], (await client.GetJsonAsync("Groups/" + groupId)).MemberIds());
        Assert.Equal("Put by bulk", (await client.GetJsonAsync("Users/" + userId)).GetProperty("displayName").GetString());
        using var deleted = await client.GetAsync("Users/" + IdOf(ByBulkId(response, "gone")));
        Assert.Equal(404, (int)deleted.StatusCode);
    }

    [Fact]
    public async Task An_unknown_bulkId_fails_that_operation_with_409_and_the_others_run()
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Dangling","members":[{"value":"bulkId:nobody"}]}},
            {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"{{{ScimResources.NewUserName()}}}"}}
            """));

        var group = ByBulkId(response, "g");
        Assert.Equal("409", group.GetProperty("status").GetString());
        Assert.False(group.TryGetProperty("location", out _));
        var error = group.GetProperty("response");
        Assert.Equal("409", error.GetProperty("status").GetString());
        Assert.Contains("nobody", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("201", ByBulkId(response, "u").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reference_to_a_failed_operation_fails_with_409()
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, Bulk("""
            {"method":"POST","path":"/Users","bulkId":"bad","data":{"displayName":"no userName"}},
            {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"Refers to a failure","members":[{"value":"bulkId:bad"}]}}
            """));

        Assert.Equal("400", ByBulkId(response, "bad").GetProperty("status").GetString());
        var group = ByBulkId(response, "g");
        Assert.Equal("409", group.GetProperty("status").GetString());
        Assert.Contains("failed", group.GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_that_manage_each_other_are_created_and_then_patched()
    {
        var client = server.Client(server.DefaultToken);

        // RFC 7644 §3.7.1-§3.7.2: circular references are resolved by creating, then patching.
        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Users","bulkId":"u1","data":{"userName":"{{{ScimResources.NewUserName()}}}","{{{ScimResources.EnterpriseUrn}}}":{"manager":{"value":"bulkId:u2"} } }},
            {"method":"POST","path":"/Users","bulkId":"u2","data":{"userName":"{{{ScimResources.NewUserName()}}}","{{{ScimResources.EnterpriseUrn}}}":{"manager":{"value":"bulkId:u1"} } }}
            """));

        var ops = Operations(response);
        Assert.True(ops.All(o => o.GetProperty("status").GetString() == "201"), response.ToString());
        var u1 = IdOf(ByBulkId(response, "u1"));
        var u2 = IdOf(ByBulkId(response, "u2"));
        var user1 = await client.GetJsonAsync("Users/" + u1);
        Assert.Equal(u2, user1.GetProperty(ScimResources.EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());
        Assert.Equal(u1, (await client.GetJsonAsync("Users/" + u2)).GetProperty(ScimResources.EnterpriseUrn).GetProperty("manager").GetProperty("value").GetString());

        // The reported version is the one after the PATCH that set the manager.
        Assert.Equal(user1.Version(), ByBulkId(response, "u1").GetProperty("version").GetString());
        Assert.Equal("W/\"2\"", user1.Version());
    }

    [Fact]
    public async Task Groups_that_contain_each_other_are_created_and_then_patched()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();

        // RFC 7644 §3.7.1: "MUST try to resolve circular cross-references": each group is created
        // without the other, which is added by a PATCH once both exist.
        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Groups","bulkId":"qwerty","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Group A {{{ScimResources.NewUserName()}}}","members":[{"type":"Group","value":"bulkId:ytrewq"},{"value":"{{{user.Id()}}}"}]}},
            {"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Group B {{{ScimResources.NewUserName()}}}","members":[{"type":"Group","value":"bulkId:qwerty"}]}}
            """));

        var ops = Operations(response);
        Assert.True(ops.All(o => o.GetProperty("status").GetString() == "201"), response.ToString());
        var a = IdOf(ByBulkId(response, "qwerty"));
        var b = IdOf(ByBulkId(response, "ytrewq"));
        var groupA = await client.GetJsonAsync("Groups/" + a);
        Assert.Equal(ScimResources.Sorted(b, user.Id()), groupA.MemberIds());
        Assert.Equal([a], (await client.GetJsonAsync("Groups/" + b)).MemberIds());
        Assert.Equal(groupA.Version(), ByBulkId(response, "qwerty").GetProperty("version").GetString());

        // The user is in A directly and in B through A, once each, though A and B contain each other.
        var expected = new[] { (a, (string?)"direct"), (b, (string?)"indirect") }.OrderBy(g => g.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, (await client.GetJsonAsync("Users/" + user.Id())).Groups());
    }

    [Fact]
    public async Task A_cycle_whose_other_side_fails_reports_409_for_the_references_it_could_not_add()
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, Bulk("""
            {"method":"POST","path":"/Groups","bulkId":"a","data":{"displayName":"A cycle","members":[{"type":"Group","value":"bulkId:b"}]}},
            {"method":"POST","path":"/Groups","bulkId":"b","data":{"members":[{"type":"Group","value":"bulkId:a"}]}}
            """));

        var ops = Operations(response);
        Assert.Equal("409", ops[0].GetProperty("status").GetString());
        Assert.Contains("could not be set", ops[0].GetProperty("response").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("400", ops[1].GetProperty("status").GetString());

        // A was created (its entry carries its location), without the member that failed.
        var a = await client.GetJsonAsync("Groups/" + IdOf(ops[0]));
        Assert.Empty(a.MemberIds());
    }

    [Fact]
    public async Task FailOnErrors_1_stops_at_the_first_error_and_the_rest_is_not_run_nor_reported()
    {
        var client = server.Client(server.DefaultToken);
        var after = ScimResources.NewUserName("after");

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Users","bulkId":"ok","data":{"userName":"{{{ScimResources.NewUserName()}}}"}},
            {"method":"POST","path":"/Users","bulkId":"bad","data":{"displayName":"no userName"}},
            {"method":"POST","path":"/Users","bulkId":"never","data":{"userName":"{{{after}}}"}}
            """, ",\"failOnErrors\":1"));

        var ops = Operations(response);
        Assert.Equal(["201", "400"], ops.Select(o => o.GetProperty("status").GetString()!).ToArray());
        Assert.Equal("invalidValue", ops[1].GetProperty("response").GetProperty("scimType").GetString());
        var check = await client.GetJsonAsync($"Users?filter=userName eq \"{after}\"");
        Assert.Equal(0, check.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task FailOnErrors_2_runs_on_past_the_first_error()
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Users","bulkId":"bad1","data":{}},
            {"method":"POST","path":"/Users","bulkId":"ok","data":{"userName":"{{{ScimResources.NewUserName()}}}"}},
            {"method":"POST","path":"/Users","bulkId":"bad2","data":{}},
            {"method":"POST","path":"/Users","bulkId":"never","data":{"userName":"{{{ScimResources.NewUserName()}}}"}}
            """, ",\"failOnErrors\":2"));

        Assert.Equal(["400", "201", "400"], Operations(response).Select(o => o.GetProperty("status").GetString()!).ToArray());
    }

    [Fact]
    public async Task A_duplicate_userName_fails_with_the_same_409_uniqueness_as_the_single_request()
    {
        var client = server.Client(server.DefaultToken);
        var userName = ScimResources.NewUserName();

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"POST","path":"/Users","bulkId":"first","data":{"userName":"{{{userName}}}"}},
            {"method":"POST","path":"/Users","bulkId":"second","data":{"userName":"{{{userName}}}"}}
            """));

        Assert.Equal("201", ByBulkId(response, "first").GetProperty("status").GetString());
        var second = ByBulkId(response, "second");
        Assert.Equal("409", second.GetProperty("status").GetString());
        var error = second.GetProperty("response");
        Assert.Equal("uniqueness", error.GetProperty("scimType").GetString());

        using var single = await client.PostAsync("Users", Json($$$"""{"userName":"{{{userName}}}"}"""));
        var singleError = await single.AssertScimErrorAsync(409, "uniqueness");
        Assert.Equal(singleError.GetProperty("detail").GetString(), error.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Writes_to_one_resource_apply_in_request_order_even_when_the_first_is_slowed_by_a_password_hash()
    {
        // The PUT hashes a password (PBKDF2, 600,000 iterations) before it can queue its write;
        // the PATCHes after it run concurrently but must still be applied after it, in order.
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var path = "/Users/" + user.Id();
        var patches = string.Join(',', Enumerable.Range(1, 10).Select(i => $$$"""
            {"method":"PATCH","path":"{{{path}}}","data":{"Operations":[{"op":"replace","path":"displayName","value":"patch {{{i}}}"}]}}
            """));

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"PUT","path":"{{{path}}}","data":{"userName":"{{{user.GetProperty("userName").GetString()}}}","displayName":"put","password":"Correct-Horse-9"}},
            {{{patches}}}
            """));

        var ops = Operations(response);
        Assert.All(ops, o => Assert.Equal("200", o.GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(2, 11).Select(v => $"W/\"{v}\"").ToArray(), ops.Select(o => o.GetProperty("version").GetString()!).ToArray());
        var stored = await client.GetJsonAsync("Users/" + user.Id());
        Assert.Equal("patch 10", stored.GetProperty("displayName").GetString());
        Assert.Equal("W/\"12\"", stored.Version());
    }

    [Fact]
    public async Task A_membership_added_and_its_member_deleted_in_one_Bulk_leaves_no_dangling_member()
    {
        var client = server.Client(server.DefaultToken);
        var kept = await client.CreateUserAsync();
        var doomed = await client.CreateUserAsync();
        var group = await client.CreateGroupAsync(ScimResources.NewUserName("g"));
        var groupPath = "/Groups/" + group.Id();

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"PATCH","path":"{{{groupPath}}}","data":{"Operations":[{"op":"add","path":"members","value":[{"value":"{{{doomed.Id()}}}"}]}]}},
            {"method":"DELETE","path":"/Users/{{{doomed.Id()}}}"},
            {"method":"PATCH","path":"{{{groupPath}}}","data":{"Operations":[{"op":"add","path":"members","value":[{"value":"{{{kept.Id()}}}"}]}]}},
            {"method":"PATCH","path":"{{{groupPath}}}","data":{"Operations":[{"op":"add","path":"members","value":[{"value":"{{{doomed.Id()}}}"}]}]}}
            """));

        var statuses = Operations(response).Select(o => o.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["200", "204", "200"], statuses[..3]);
        Assert.StartsWith("4", statuses[3], StringComparison.Ordinal);
        Assert.Equal([kept.Id()], (await client.GetJsonAsync("Groups/" + group.Id())).MemberIds());
    }

    [Fact]
    public async Task Version_is_If_Match_and_a_stale_one_is_412_in_that_operation()
    {
        var client = server.Client(server.DefaultToken);
        var user = await client.CreateUserAsync();
        var path = "/Users/" + user.Id();

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"PATCH","path":"{{{path}}}","version":"W/\"9\"","data":{"Operations":[{"op":"replace","path":"displayName","value":"stale"}]}},
            {"method":"PATCH","path":"{{{path}}}","version":"{{{user.Version().Replace("\"", "\\\"", StringComparison.Ordinal)}}}","data":{"Operations":[{"op":"replace","path":"displayName","value":"fresh"}]}}
            """));

        var ops = Operations(response);
        Assert.Equal(["412", "200"], ops.Select(o => o.GetProperty("status").GetString()!).ToArray());
        Assert.Equal("412", ops[0].GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("fresh", (await client.GetJsonAsync("Users/" + user.Id())).GetProperty("displayName").GetString());
    }

    [Theory]
    [InlineData("GET", "/Users")]
    [InlineData("POST", "/Schemas")]
    [InlineData("POST", "/Users/abc")]
    [InlineData("PATCH", "/Users")]
    [InlineData("DELETE", "/Bulk")]
    [InlineData("POST", "Users")]
    public async Task A_bad_method_or_path_fails_only_that_operation_with_400(string method, string path)
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, Bulk($$$"""
            {"method":"{{{method}}}","path":"{{{path}}}","bulkId":"x","data":{"userName":"{{{ScimResources.NewUserName()}}}"}},
            {"method":"POST","path":"/Users","bulkId":"ok","data":{"userName":"{{{ScimResources.NewUserName()}}}"}}
            """));

        var bad = ByBulkId(response, "x");
        Assert.Equal("400", bad.GetProperty("status").GetString());
        Assert.Equal("400", bad.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal("201", ByBulkId(response, "ok").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Concurrent_Bulk_requests_with_more_operations_than_a_tenant_runs_at_once_all_complete_in_order()
    {
        // Three requests of 400 operations: more than the tenant's places (BulkAdmission), and in
        // each a group at the end whose member is the request's first user (a bulkId reference
        // across more operations than run at once).
        var client = server.Client(server.DefaultToken);
        var prefix = ScimResources.NewUserName("many");
        var bodies = Enumerable.Range(0, 3).Select(r =>
        {
            var users = Enumerable.Range(0, 399).Select(i => $$$"""{"method":"POST","path":"/Users","bulkId":"u{{{i}}}","data":{"userName":"{{{prefix}}}-{{{r}}}-{{{i}}}"}}""");
            var group = $$$"""{"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"{{{prefix}}} group {{{r}}}","members":[{"value":"bulkId:u0"}]}}""";
            return Bulk(string.Join(",", users.Append(group)));
        }).ToArray();

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var responses = await Task.WhenAll(bodies.Select(body => BulkOkAsync(client, body))).WaitAsync(deadline.Token);

        for (int r = 0; r < responses.Length; r++)
        {
            var operations = Operations(responses[r]);
            Assert.Equal(400, operations.Length);
            Assert.All(operations, o => Assert.Equal("201", o.GetProperty("status").GetString()));
            var group = await client.GetJsonAsync("Groups/" + IdOf(ByBulkId(responses[r], "g")));
            Assert.Equal(IdOf(ByBulkId(responses[r], "u0")), group.GetProperty("members")[0].GetProperty("value").GetString());
        }

        var created = await client.GetJsonAsync($"Users?filter=userName sw \"{prefix}-\"&count=1");
        Assert.Equal(1197, created.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task A_Bulk_request_given_up_mid_way_stores_only_whole_operations_while_other_requests_reuse_its_buffers()
    {
        // The operations of a Bulk request read their data from the request's body until they are
        // done. One request gives up while its operations wait for places (BulkAdmission) behind
        // two others; meanwhile more requests, whose bodies are taken from the same pool, keep
        // coming. Every user the abandoned request did create must be exactly as it sent it.
        var client = server.Client(server.DefaultToken);
        var prefix = ScimResources.NewUserName("abandoned");
        string Body(int r) => Bulk(string.Join(",", Enumerable.Range(0, 400).Select(i =>
            $$$"""{"method":"POST","path":"/Users","bulkId":"u{{{i}}}","data":{"userName":"{{{prefix}}}-{{{r}}}-{{{i}}}","displayName":"{{{prefix}}}-{{{r}}}-{{{i}}}","title":"{{{new string((char)('a' + r), 40)}}}"}}""")));

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var busy = new[] { BulkOkAsync(client, Body(0)), BulkOkAsync(client, Body(1)) };
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(150)))
        {
            try
            {
                using var abandoned = await client.PostAsync("Bulk", Json(Body(2)), giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                // Given up, as intended (a fast server may have answered first: also fine).
            }
        }

        var later = new[] { BulkOkAsync(client, Body(3)), BulkOkAsync(client, Body(4)) };
        await Task.WhenAll(busy.Concat(later)).WaitAsync(deadline.Token);

        // The server has finished whatever the abandoned request started once it answers again.
        for (var page = 1; ; page += 200)
        {
            var users = await client.GetJsonAsync($"Users?filter=userName sw \"{prefix}-\"&attributes=userName,displayName,title&count=200&startIndex={page}");
            var resources = users.GetProperty("Resources").EnumerateArray().ToArray();
            foreach (var user in resources)
            {
                var userName = user.GetProperty("userName").GetString()!;
                var request = userName[prefix.Length + 1] - '0';
                Assert.Equal(userName, user.GetProperty("displayName").GetString());
                Assert.Equal(new string((char)('a' + request), 40), user.GetProperty("title").GetString());
            }

            if (resources.Length < 200)
            {
                Assert.True(users.GetProperty("totalResults").GetInt32() >= 1600, "the four answered requests created their 1,600 users");
                break;
            }
        }
    }

    [Fact]
    public async Task More_than_1000_operations_is_413_naming_maxOperations_and_nothing_runs()
    {
        var client = server.Client(server.DefaultToken);
        var userName = ScimResources.NewUserName();
        var operations = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$$"""{"method":"POST","path":"/Users","bulkId":"b{{{i}}}","data":{"userName":"{{{userName}}}-{{{i}}}"}}"""));

        using var response = await client.PostAsync("Bulk", Json(Bulk(operations)));

        var error = await response.AssertScimErrorAsync(413);
        Assert.Contains("maxOperations", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("1000", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var check = await client.GetJsonAsync($"Users?filter=userName eq \"{userName}-0\"");
        Assert.Equal(0, check.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task A_body_over_maxPayloadSize_is_413_naming_the_limit()
    {
        var client = server.Client(server.DefaultToken);
        var padding = new string('x', 1_100_000);

        using var response = await client.PostAsync("Bulk", Json(Bulk($$$"""{"method":"POST","path":"/Users","bulkId":"big","data":{"userName":"big","displayName":"{{{padding}}}"}}""")));

        var error = await response.AssertScimErrorAsync(413);
        Assert.Contains("maxPayloadSize", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("1048576", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"Operations\":[]}")]
    [InlineData("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[]}")]
    [InlineData("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"]}")]
    [InlineData("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":{}}")]
    [InlineData("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"failOnErrors\":\"x\",\"Operations\":[]}")]
    [InlineData("[1,2]")]
    [InlineData("{\"schemas\":[")]
    public async Task A_malformed_BulkRequest_is_400_invalidSyntax(string body)
    {
        using var response = await server.Client(server.DefaultToken).PostAsync("Bulk", Json(body));

        await response.AssertScimErrorAsync(400, "invalidSyntax");
    }

    [Fact]
    public async Task Member_names_match_case_insensitively_and_an_empty_request_answers_an_empty_BulkResponse()
    {
        var client = server.Client(server.DefaultToken);

        var response = await BulkOkAsync(client, $$$"""{"SCHEMAS":["{{{BulkRequestUrn}}}"],"operations":[{"Method":"post","Path":"/Users","BulkId":"c","Data":{"userName":"{{{ScimResources.NewUserName()}}}"}}]}""");
        var empty = await BulkOkAsync(client, Bulk(""));

        Assert.Equal("201", ByBulkId(response, "c").GetProperty("status").GetString());
        Assert.Equal("POST", ByBulkId(response, "c").GetProperty("method").GetString());
        Assert.Empty(Operations(empty));
    }
}
