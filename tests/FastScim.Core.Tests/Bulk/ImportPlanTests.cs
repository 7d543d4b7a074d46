using System.Text;
using System.Text.Json.Nodes;
using FastScim.Core.Bulk;
using static FastScim.Core.Tests.Bulk.FakeBulkServer;

namespace FastScim.Core.Tests.Bulk;

/// <summary>
/// Planning <c>fastscim import</c>: resources become BulkRequests within maxOperations and
/// maxPayloadSize (RFC 7644 §3.7.4), and references to old ids name the new ones.
/// </summary>
public class ImportPlanTests
{
    private const string UserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string GroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private static string User(string id, string userName, string extra = "") =>
        $$"""{"schemas":["{{UserUrn}}"],"id":"{{id}}","userName":"{{userName}}","meta":{"resourceType":"User","location":"https://old.example.com/Users/{{id}}"},"groups":[{"value":"g-old"}]{{extra}}}""";

    private static string Group(string id, string displayName, params string[] memberIds) =>
        $$"""{"schemas":["{{GroupUrn}}"],"id":"{{id}}","displayName":"{{displayName}}","meta":{"resourceType":"Group"},"members":[{{string.Join(",", memberIds.Select(m => $$"""{"value":"{{m}}","$ref":"https://old.example.com/Users/{{m}}","display":"{{m}}"}"""))}}]}""";

    private static string Manager(string id) => $$$""","{{{CircularReferences.EnterpriseUrn}}}":{"employeeNumber":"7","manager":{"value":"{{{id}}}","$ref":"https://old.example.com/Users/{{{id}}}"}}""";

    private static List<ImportResource> File(params string[] resources) => resources.Select((json, i) => Resource(json, i)).ToList();

    [Fact]
    public void Users_go_first_and_group_members_name_the_new_ids()
    {
        var plan = new ImportPlan();
        var resources = File(Group("g1", "Eng", "u1", "u2"), User("u1", "alice"), User("u2", "bob"));

        var server = Import(plan, resources);

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests[0].Operations, o => Assert.Equal("/Users", o.Path));
        var alice = server.User("alice");
        var bob = server.User("bob");
        Assert.Equal(Sorted(server.IdOf(alice), server.IdOf(bob)), MemberIds(server.Group("Eng")));
        Assert.Equal(server.IdOf(alice), plan.NewId("u1"));
        Assert.Equal((2, 1, 0, 0), (plan.Created(ImportKind.User), plan.Created(ImportKind.Group), plan.Failed(ImportKind.User), plan.Failures.Count));

        // id, meta and the derived groups are the server's; a member's $ref named the old server.
        Assert.Null(alice["id"]);
        Assert.Null(alice["meta"]);
        Assert.Null(alice["groups"]);
        Assert.All(server.Group("Eng")["members"]!.AsArray(), m => Assert.Null(m!["$ref"]));
        Assert.Equal("u1", (string?)server.Group("Eng")["members"]![0]!["display"]);
    }

    [Fact]
    public void A_chunk_holds_at_most_maxOperations()
    {
        var resources = File([.. Enumerable.Range(0, 2500).Select(i => User("u" + i, "user" + i))]);

        var server = Import(new ImportPlan(), resources);

        Assert.Equal([1000, 1000, 500], server.Requests.Select(r => r.Operations.Count));
        Assert.Equal(2500, server.Resources.Count);
    }

    [Fact]
    public void A_chunk_stays_within_maxPayloadSize_and_is_filled_close_to_it()
    {
        const int limit = 2048;
        var plan = new ImportPlan(maxPayloadSize: limit);
        var resources = File([.. Enumerable.Range(0, 60).Select(i => User("u" + i, "user" + i, $$""","displayName":"User number {{i}}" """))]);

        var server = Import(plan, resources, new FakeBulkServer(maxPayloadSize: limit));

        Assert.True(server.Requests.Count > 3);
        Assert.All(server.BodySizes, size => Assert.InRange(size, 1, limit));
        Assert.All(server.BodySizes.SkipLast(1), size => Assert.True(size > limit - 400, $"A chunk of {size} bytes was sealed while another user (~300 bytes) fitted."));
        Assert.Equal(60, plan.Created(ImportKind.User));
    }

    [Fact]
    public void A_member_created_by_an_earlier_chunk_gets_its_new_id_and_one_earlier_in_the_same_chunk_a_bulkId()
    {
        // maxOperations 2: [inner, outer-a] in one chunk, [filler, outer-b] in the next.
        var plan = new ImportPlan(maxOperations: 2);
        var resources = File(Group("g1", "inner"), Group("g2", "outer-a", "g1"), Group("g3", "filler"), Group("g4", "outer-b", "g1"));

        var server = Import(plan, resources, new FakeBulkServer(maxOperations: 2));

        var sameChunk = Encoding.UTF8.GetString(server.Requests[0].Operations[1].Data.Span);
        var laterChunk = Encoding.UTF8.GetString(server.Requests[1].Operations[1].Data.Span);
        var inner = server.IdOf(server.Group("inner"));
        Assert.Contains("\"value\":\"bulkId:" + server.Requests[0].Operations[0].BulkId + "\"", sameChunk, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"" + inner + "\"", laterChunk, StringComparison.Ordinal);
        Assert.Equal([inner], MemberIds(server.Group("outer-a")));
        Assert.Equal([inner], MemberIds(server.Group("outer-b")));
    }

    [Fact]
    public void A_member_later_in_the_file_is_added_by_a_PATCH_once_it_exists()
    {
        var plan = new ImportPlan(maxOperations: 1);
        var resources = File(Group("g1", "outer", "g2", "u1"), User("u1", "alice"), Group("g2", "inner"));

        var server = Import(plan, resources, new FakeBulkServer(maxOperations: 1));

        var outer = server.Group("outer");
        Assert.Equal(Sorted(server.IdOf(server.User("alice")), server.IdOf(server.Group("inner"))), MemberIds(outer));
        var patch = Assert.Single(server.Requests.SelectMany(r => r.Operations), o => o.Method == "PATCH");
        Assert.Equal("/Groups/" + server.IdOf(outer), patch.Path);
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void Managers_are_mapped_by_bulkId_backwards_and_by_PATCH_forwards()
    {
        var plan = new ImportPlan();
        var resources = File(User("u1", "alice", Manager("u2")), User("u2", "bob", Manager("u1")));

        var server = Import(plan, resources);

        var alice = server.User("alice");
        var bob = server.User("bob");
        Assert.Equal(server.IdOf(bob), (string?)alice[CircularReferences.EnterpriseUrn]!["manager"]!["value"]);
        Assert.Equal(server.IdOf(alice), (string?)bob[CircularReferences.EnterpriseUrn]!["manager"]!["value"]);
        Assert.Equal("7", (string?)alice[CircularReferences.EnterpriseUrn]!["employeeNumber"]);
        Assert.Null(bob[CircularReferences.EnterpriseUrn]!["manager"]!["$ref"]);
        Assert.Contains(server.Requests.SelectMany(r => r.Operations), o => o.Method == "PATCH" && o.Path == "/Users/" + server.IdOf(alice));
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void A_group_too_large_for_one_request_is_created_first_and_gets_its_members_by_PATCHes()
    {
        const int limit = 4096;
        var plan = new ImportPlan(maxPayloadSize: limit);
        var userIds = Enumerable.Range(0, 300).Select(i => "u" + i).ToArray();
        var resources = File([.. userIds.Select(id => User(id, "name-" + id)), Group("g1", "everyone", userIds)]);

        var server = Import(plan, resources, new FakeBulkServer(maxPayloadSize: limit));

        Assert.All(server.BodySizes, size => Assert.True(size <= limit));
        var everyone = server.Group("everyone");
        Assert.Equal(userIds.Select(plan.NewId).Order(StringComparer.Ordinal), MemberIds(everyone));
        var operations = server.Requests.SelectMany(r => r.Operations).ToList();
        Assert.Contains("\"members\":[]", Encoding.UTF8.GetString(operations.Single(o => o.Path == "/Groups").Data.Span), StringComparison.Ordinal);
        Assert.True(operations.Count(o => o.Method == "PATCH") >= 3); // ~10 KB of members in 4 KB requests
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void A_refused_user_is_reported_with_the_servers_error_and_its_memberships_as_not_kept()
    {
        var plan = new ImportPlan();
        var resources = File(User("u1", "alice"), User("u2", "taken"), Group("g1", "Eng", "u1", "u2"));
        var server = new FakeBulkServer
        {
            Refuse = data => (string?)data["userName"] == "taken" ? (409, "uniqueness", "userName 'taken' is already used.") : null,
        };

        Import(plan, resources, server);

        Assert.Equal((1, 1, 1), (plan.Created(ImportKind.User), plan.Failed(ImportKind.User), plan.Created(ImportKind.Group)));
        Assert.Equal([server.IdOf(server.User("alice"))], MemberIds(server.Group("Eng")));
        Assert.Equal(2, plan.Failures.Count);
        Assert.Equal("User 'taken' (Resources[1], id u2): 409 uniqueness: userName 'taken' is already used.", plan.Failures[0].ToString());
        Assert.Equal("Group 'Eng' (Resources[2], id g1): member 'u2' not kept: User 'taken' (Resources[1], id u2) was not imported.", plan.Failures[1].ToString());
    }

    [Fact]
    public void A_member_no_resource_of_the_file_has_is_not_kept_and_reported()
    {
        var plan = new ImportPlan();

        var server = Import(plan, File(User("u1", "alice"), Group("g1", "Eng", "u1", "nobody")));

        Assert.Equal([plan.NewId("u1")!], MemberIds(server.Group("Eng")));
        var problem = Assert.Single(plan.Failures);
        Assert.Contains("member 'nobody' not kept: no User or Group of the file has this id", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_of_an_unknown_kind_is_skipped_and_reported()
    {
        var plan = new ImportPlan();

        var server = Import(plan, File(User("u1", "alice"), """{"schemas":["urn:example:Device"],"id":"d1"}"""));

        Assert.Single(server.Resources);
        var skipped = Assert.Single(plan.Skipped);
        Assert.Equal("Resource (Resources[1], id d1): it is neither a User nor a Group (schemas: \"urn:example:Device\")", skipped.ToString());
        Assert.Empty(plan.Failures);
    }

    [Fact]
    public void A_second_resource_with_the_same_id_fails()
    {
        var plan = new ImportPlan();

        var server = Import(plan, File(User("u1", "alice"), User("u1", "alice-again")));

        Assert.Single(server.Resources);
        Assert.Equal((1, 1), (plan.Created(ImportKind.User), plan.Failed(ImportKind.User)));
        Assert.Contains("also the id of the resource at Resources[0]", Assert.Single(plan.Failures).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_larger_than_a_request_may_be_fails_without_being_sent()
    {
        var plan = new ImportPlan(maxPayloadSize: 1024);

        var server = Import(plan, File(User("u1", "big", $$""","displayName":"{{new string('x', 2000)}}" """), User("u2", "small")), new FakeBulkServer(maxPayloadSize: 1024));

        Assert.Equal("small", (string?)Assert.Single(server.Resources).Value.Data["userName"]);
        Assert.Contains("maxPayloadSize (1024)", Assert.Single(plan.Failures).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chunk_must_be_answered_before_the_next_is_planned()
    {
        var plan = new ImportPlan(maxOperations: 1);
        var resources = File(User("u1", "a"), User("u2", "b"), User("u3", "c"));
        resources.ForEach(plan.Declare);
        Assert.Null(plan.Add(resources[0]));
        var chunk = plan.Add(resources[1]);

        Assert.NotNull(chunk);
        Assert.Throws<InvalidOperationException>(() => plan.Add(resources[2]));
        Assert.Throws<InvalidOperationException>(plan.Flush);
    }

    [Fact]
    public void A_whole_chunk_refused_fails_each_of_its_resources()
    {
        var plan = new ImportPlan();
        var resources = File(User("u1", "a"), User("u2", "b"));
        resources.ForEach(plan.Declare);
        resources.ForEach(r => Assert.Null(plan.Add(r)));
        var chunk = plan.Flush()!;

        plan.Fail(chunk, 413, null, "too large");

        Assert.Equal(2, plan.Failed(ImportKind.User));
        Assert.All(plan.Failures, f => Assert.Equal(413, f.Status));
        Assert.Null(plan.Flush());
    }

    private static string[] Sorted(params string?[] ids) => ids.Select(i => i!).Order(StringComparer.Ordinal).ToArray();
}
