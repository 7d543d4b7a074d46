using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FastScim.Tests.Infrastructure;
using Xunit.Abstractions;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>
/// Issue 5, RFC 7644 §3.7: the real server, as a child process, is killed with SIGKILL while it
/// runs a large Bulk request and while other clients write alongside it; after a restart on the
/// same data directory every acknowledged write is there, the tenant is consistent (no member
/// pointing at a missing resource, indexes agree with the data), and each operation of the
/// interrupted Bulk is either wholly applied or absent.
/// </summary>
/// <remarks>
/// The server runs a Bulk's operations one after another, each acknowledged by the tenant's writer
/// only once it is on disk, before the next one starts. So what survives a crash must be exactly a
/// prefix of the operations in execution order (here request order: every bulkId reference points
/// back). The test derives from the restarted tenant which operations took effect and checks that
/// they form such a prefix, which catches a lost write as well as a half-applied one.
/// </remarks>
public sealed class BulkCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string BulkRequestUrn = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    // Ten operations per block and 100 blocks: the server's maxOperations (1000).
    private const int Blocks = 100;
    private const int OperationsPerBlock = 10;
    private const int UsersPerBlock = 6;
    private const int PreUsers = 20;

    // Kill once this many of the Bulk's 600 users are visible. The first attempt picks a point at
    // random (and reports it), so that runs crash in different places, before and after LiteDB
    // checkpoints its log; the later ones, in case a fast machine finished the whole Bulk between
    // two polls, kill early.
    private static readonly int[] KillThresholds = [Random.Shared.Next(60, 541), 40, 1];

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BulkDeadline = TimeSpan.FromSeconds(120);

    private readonly string _data = TemporaryDirectory.Create();
    private ServerProcess? _server;

    [Fact]
    public async Task A_server_killed_during_a_large_bulk_restarts_with_every_acknowledged_write_and_each_operation_whole_or_absent()
    {
        var clock = Stopwatch.StartNew();
        _server = await ServerProcess.StartAsync(_data, firstStart: true);
        var token = _server.FirstTenantToken ?? throw new InvalidOperationException("The first start printed no token:\n" + _server.Log);

        var midBulk = false;
        for (var attempt = 0; attempt < KillThresholds.Length && !midBulk; attempt++)
        {
            var tag = $"crash-a{attempt}";
            var client = _server.Client(token, RequestTimeout);
            var before = await PrepareAsync(client, tag);
            var plan = new BulkPlan(tag, before);

            var run = await RunBulkAndKillAsync(token, plan, KillThresholds[attempt]);
            var log = new FileInfo(Path.Combine(_data, "tenants", "default-log.db"));
            var logBytes = log.Exists ? log.Length : 0; // what the restart has to recover from

            _server.Dispose();
            _server = null; // so that Dispose does not touch a disposed process if the restart fails
            _server = await ServerProcess.StartAsync(_data, firstStart: false);
            client = _server.Client(token, RequestTimeout);

            var problems = new List<string>();
            var tenant = await ReadConsistentTenantAsync(client, problems);
            await CheckAcknowledgedAsync(client, before, run, tenant, problems);
            var applied = await ObserveBulkAsync(client, plan, tenant, problems);
            var prefix = CheckPrefix(applied, problems);
            if (run.BulkAnswer is not null)
            {
                // The whole BulkResponse arrived, so every operation was acknowledged.
                Check(problems, prefix == plan.Operations.Count, $"the Bulk was answered 200 before the kill, yet only {prefix} of {plan.Operations.Count} operations survived");
            }

            var bulkUsersPresent = plan.Users.Count(u => tenant.UsersByName.ContainsKey(u.UserName));
            Check(problems, bulkUsersPresent >= run.BulkUsersSeen,
                $"{run.BulkUsersSeen} of the Bulk's users were readable before the kill, only {bulkUsersPresent} after the restart");
            await CheckWritesAfterRestartAsync(client, plan, before, tenant, problems);

            midBulk = run.BulkAnswer is null && prefix > 0 && prefix < plan.Operations.Count;
            output.WriteLine($"attempt {attempt}: killed at {run.BulkUsersSeen} visible bulk users (threshold {KillThresholds[attempt]}), " +
                $"exit code {run.ExitCode}, -log file {logBytes / 1024} KiB, Bulk {(run.BulkAnswer is null ? "unanswered" : "answered")}, " +
                $"{prefix}/{plan.Operations.Count} operations applied, {run.SideAcknowledged.Count} side writes acknowledged, " +
                $"{(midBulk ? "mid-Bulk" : "not mid-Bulk")}; {clock.Elapsed.TotalSeconds:F1} s so far");
            Assert.True(problems.Count == 0, $"attempt {attempt}, {problems.Count} problems:\n" + string.Join("\n", problems.Take(40)) + "\nserver log:\n" + _server.Log);
        }

        Assert.True(midBulk, $"none of {KillThresholds.Length} kills landed in the middle of the Bulk: the crash path was not tested");
    }

    public void Dispose()
    {
        _server?.Dispose();
        TemporaryDirectory.Delete(_data);
    }

    // ---- before the Bulk: acknowledged single requests ----

    /// <summary>What was acknowledged before the Bulk started: users, a group of all of them, a PATCH.</summary>
    private sealed record Acknowledged(UserData[] Users, string[] UserIds, string GroupId, int PatchedUser, string PatchedTitle);

    private static async Task<Acknowledged> PrepareAsync(HttpClient client, string tag)
    {
        var users = Enumerable.Range(0, PreUsers).Select(i => UserData.Make($"{tag}-pre{i:D2}")).ToArray();
        var ids = new string[users.Length];
        for (var i = 0; i < users.Length; i++)
        {
            using var created = await client.PostAsync("Users", Json(users[i].ToJson()));
            Assert.Equal(201, (int)created.StatusCode);
            ids[i] = (await created.JsonAsync()).Id();
        }

        var group = await client.CreateGroupAsync($"{tag}-pre-group", ids);
        const int patched = PreUsers - 1;
        var title = $"{tag}-patched-title";
        await client.PatchOkAsync("Users/" + ids[patched], $$"""{"op":"replace","path":"title","value":"{{title}}"}""");
        return new Acknowledged(users, ids, group.Id(), patched, title);
    }

    // ---- the Bulk and the kill ----

    private sealed record BulkRun(int ExitCode, int BulkUsersSeen, JsonElement? BulkAnswer, List<(UserData User, string Id)> SideAcknowledged, List<UserData> SideUnknown);

    private async Task<BulkRun> RunBulkAndKillAsync(string token, BulkPlan plan, int killThreshold)
    {
        var server = _server!;
        var bulkClient = server.Client(token, BulkDeadline);
        var pollClient = server.Client(token, RequestTimeout);
        var sideClient = server.Client(token, RequestTimeout);

        var bulk = bulkClient.PostAsync("Bulk", Json(plan.ToJson()));
        var side = WriteAlongsideAsync(sideClient, plan.Tag);

        // Poll the count of the Bulk's users from another connection; what a reader sees was
        // published only after it was on disk, so it must all be there after the restart.
        var filter = Uri.EscapeDataString($"userName sw \"{plan.Tag}-b\"");
        var seen = 0;
        var waited = Stopwatch.StartNew();
        while (!bulk.IsCompleted && seen < killThreshold)
        {
            Assert.True(waited.Elapsed < BulkDeadline, $"the Bulk neither finished nor reached {killThreshold} users in {BulkDeadline.TotalSeconds} s:\n" + server.Log);
            var page = await pollClient.GetJsonAsync($"Users?filter={filter}&count=0");
            seen = page.GetProperty("totalResults").GetInt32();
            if (seen < killThreshold)
            {
                await Task.Delay(5);
            }
        }

        var exitCode = server.KillHard();
        Assert.Equal(128 + 9, exitCode); // SIGKILL, not an orderly exit

        JsonElement? answer = null;
        try
        {
            using var response = await bulk.WaitAsync(RequestTimeout);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(200 == (int)response.StatusCode, $"Bulk answered {(int)response.StatusCode}: {text}");
            using (var document = JsonDocument.Parse(text))
            {
                answer = document.RootElement.Clone();
            }

            var statuses = answer.Value.GetProperty("Operations").EnumerateArray().Select(o => o.GetProperty("status").GetString()).ToArray();
            Assert.Equal(plan.Operations.Count, statuses.Length);
            Assert.All(statuses, s => Assert.StartsWith("20", s, StringComparison.Ordinal));
        }
        catch (HttpRequestException)
        {
            // The connection died with the server: no operation of this Bulk was acknowledged to us.
        }

        var (acknowledged, unknown) = await side.WaitAsync(RequestTimeout);
        return new BulkRun(exitCode, seen, answer, acknowledged, unknown);
    }

    /// <summary>
    /// Creates users one by one on its own connection until the server dies, so that single
    /// writes share the writer's batches with the Bulk's operations when the kill comes.
    /// </summary>
    private static async Task<(List<(UserData, string)> Acknowledged, List<UserData> Unknown)> WriteAlongsideAsync(HttpClient client, string tag)
    {
        var acknowledged = new List<(UserData, string)>();
        var unknown = new List<UserData>();
        for (var n = 0; n < 100_000; n++)
        {
            var user = UserData.Make($"{tag}-side{n:D5}");
            try
            {
                using var created = await client.PostAsync("Users", Json(user.ToJson()));
                Assert.Equal(201, (int)created.StatusCode);
                acknowledged.Add((user, (await created.JsonAsync()).Id()));
            }
            catch (HttpRequestException)
            {
                // Sent (or not) when the server died: it may or may not have been written.
                unknown.Add(user);
                break;
            }
        }

        return (acknowledged, unknown);
    }

    // ---- after the restart: the whole tenant ----

    private sealed record Tenant(
        Dictionary<string, JsonElement> UsersById,
        Dictionary<string, JsonElement> UsersByName,
        Dictionary<string, JsonElement> GroupsById,
        Dictionary<string, JsonElement> GroupsByName);

    /// <summary>
    /// Pages through every user and group and checks that the tenant holds together: counts agree
    /// with what paging returns, no duplicate ids or userNames, every member exists, and
    /// <c>User.groups</c> agrees with the groups' members in both directions.
    /// </summary>
    private static async Task<Tenant> ReadConsistentTenantAsync(HttpClient client, List<string> problems)
    {
        var users = await PageAllAsync(client, "Users", problems);
        var groups = await PageAllAsync(client, "Groups", problems);

        var usersById = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var usersByName = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in users)
        {
            Check(problems, usersById.TryAdd(user.Id(), user), $"user id {user.Id()} is listed twice");
            var userName = user.GetProperty("userName").GetString()!;
            Check(problems, usersByName.TryAdd(userName, user), $"userName {userName} is held by two users");
        }

        var groupsById = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var groupsByName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            Check(problems, groupsById.TryAdd(group.Id(), group), $"group id {group.Id()} is listed twice");
            groupsByName.TryAdd(group.GetProperty("displayName").GetString()!, group);
        }

        var memberIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            foreach (var member in Members(group))
            {
                var type = member.TryGetProperty("type", out var t) ? t.GetString() : null;
                var value = member.GetProperty("value").GetString()!;
                var exists = type switch
                {
                    "User" => usersById.ContainsKey(value),
                    "Group" => groupsById.ContainsKey(value),
                    _ => usersById.ContainsKey(value) || groupsById.ContainsKey(value),
                };
                Check(problems, exists, $"group {group.Id()} has member {value} ({type}), which does not exist");
                memberIds.Add(value);
                if (usersById.TryGetValue(value, out var user))
                {
                    Check(problems, user.Groups().Any(g => g.Value == group.Id() && g.Type == "direct"),
                        $"user {value} is a member of group {group.Id()} but does not list it as a direct group");
                }
            }
        }

        // Read each member on its own too: the single GET goes to the store by id, not through the list.
        foreach (var id in memberIds)
        {
            using var asUser = await client.GetAsync("Users/" + id);
            if ((int)asUser.StatusCode != 200)
            {
                using var asGroup = await client.GetAsync("Groups/" + id);
                Check(problems, (int)asGroup.StatusCode == 200, $"member {id} answers {(int)asUser.StatusCode} as a user and {(int)asGroup.StatusCode} as a group");
            }
        }

        foreach (var user in users)
        {
            foreach (var (groupId, type) in user.Groups())
            {
                Check(problems, groupsById.ContainsKey(groupId), $"user {user.Id()} lists group {groupId}, which does not exist");
                if (type == "direct" && groupsById.TryGetValue(groupId, out var group))
                {
                    Check(problems, Members(group).Any(m => m.GetProperty("value").GetString() == user.Id()),
                        $"user {user.Id()} lists {groupId} as a direct group, which does not have it as a member");
                }
            }
        }

        return new Tenant(usersById, usersByName, groupsById, groupsByName);
    }

    /// <summary>Every resource of an endpoint by index paging; totalResults must match what the pages hold.</summary>
    private static async Task<List<JsonElement>> PageAllAsync(HttpClient client, string endpoint, List<string> problems)
    {
        const int pageSize = 200;
        var all = new List<JsonElement>();
        int? total = null;
        for (var startIndex = 1; ; startIndex += pageSize)
        {
            var page = await client.GetJsonAsync($"{endpoint}?startIndex={startIndex}&count={pageSize}");
            var pageTotal = page.GetProperty("totalResults").GetInt32();
            Check(problems, total is null || total == pageTotal, $"{endpoint}: totalResults changed from {total} to {pageTotal} while paging a quiet tenant");
            total ??= pageTotal;
            var resources = page.TryGetProperty("Resources", out var r) ? r.EnumerateArray().ToArray() : [];
            all.AddRange(resources);
            if (resources.Length < pageSize || all.Count >= total || startIndex > total + pageSize)
            {
                break;
            }
        }

        Check(problems, all.Count == total, $"{endpoint}: totalResults is {total}, paging returned {all.Count}");
        return all;
    }

    // ---- after the restart: what was acknowledged ----

    private static async Task CheckAcknowledgedAsync(HttpClient client, Acknowledged before, BulkRun run, Tenant tenant, List<string> problems)
    {
        var group = await client.GetJsonAsync("Groups/" + before.GroupId);
        var groupMembers = group.MemberIds().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < PreUsers; i++)
        {
            var id = before.UserIds[i];
            if (BulkPlan.DeletesPreUser(i))
            {
                // The Bulk deletes it: whether it is there is the Bulk's business (ObserveBulkAsync).
                continue;
            }

            using var response = await client.GetAsync("Users/" + id);
            if (!Check(problems, (int)response.StatusCode == 200, $"acknowledged user {before.Users[i].UserName} ({id}) answers {(int)response.StatusCode}"))
            {
                continue;
            }

            var expected = i == before.PatchedUser ? before.Users[i] with { Title = before.PatchedTitle } : before.Users[i];
            expected.Check(await response.JsonAsync(), problems);
            Check(problems, groupMembers.Contains(id), $"acknowledged member {id} is missing from group {before.GroupId}");
        }

        foreach (var (user, id) in run.SideAcknowledged)
        {
            if (Check(problems, tenant.UsersById.TryGetValue(id, out var stored), $"side user {user.UserName} ({id}) was acknowledged with 201 but is gone"))
            {
                user.Check(stored, problems);
            }
        }

        foreach (var user in run.SideUnknown)
        {
            // Unacknowledged: either there, whole, or not there at all.
            if (tenant.UsersByName.TryGetValue(user.UserName, out var stored))
            {
                user.Check(stored, problems);
            }
        }
    }

    // ---- after the restart: the interrupted Bulk ----

    /// <summary>
    /// Decides for each operation of the Bulk whether it took effect, reporting any operation that
    /// took effect only in part; the returned flags are in request (= execution) order.
    /// </summary>
    private static async Task<bool[]> ObserveBulkAsync(HttpClient client, BulkPlan plan, Tenant tenant, List<string> problems)
    {
        // The userName index must agree with the data: a seek finds exactly what paging found.
        foreach (var user in plan.Users)
        {
            var page = await client.GetJsonAsync("Users?filter=" + Uri.EscapeDataString($"userName eq \"{user.UserName}\""));
            var found = page.GetProperty("totalResults").GetInt32();
            Check(problems, found == (tenant.UsersByName.ContainsKey(user.UserName) ? 1 : 0),
                $"userName eq \"{user.UserName}\" finds {found}, paging found {(tenant.UsersByName.ContainsKey(user.UserName) ? 1 : 0)}");
        }

        string? IdOf(UserData user) => tenant.UsersByName.TryGetValue(user.UserName, out var u) ? u.Id() : null;
        var preGroup = await client.GetJsonAsync("Groups/" + plan.Before.GroupId);
        var preGroupMembers = preGroup.MemberIds().ToHashSet(StringComparer.Ordinal);

        var applied = new bool[plan.Operations.Count];
        foreach (var operation in plan.Operations)
        {
            var block = operation.Block;
            applied[operation.Index] = operation.Kind switch
            {
                OperationKind.CreateUser => CreatedUser(plan.UserOf(block, operation.Slot)),
                OperationKind.CreateGroup => tenant.GroupsByName.ContainsKey(plan.GroupName(block)),
                OperationKind.AddToPreGroup => WholeOrNothing(operation,
                    [.. plan.AddedToPreGroup(block).Select(u => IdOf(u) is { } id && preGroupMembers.Contains(id))]),
                OperationKind.PatchUser => PatchedUser(operation, plan.UserOf(block, 0)),
                OperationKind.DeletePreUser => await DeletedAsync(BulkPlan.DeletedPreUser(block)),
                OperationKind.RemoveFromGroup => tenant.GroupsByName.TryGetValue(plan.GroupName(block), out var g)
                    && IdOf(plan.RemovedFromGroup(block)) is { } removed && !g.MemberIds().Contains(removed),
                _ => throw new InvalidOperationException(operation.Kind.ToString()),
            };
        }

        // With the flags known, each resource the Bulk touched must hold exactly what they imply.
        for (var block = 0; block < Blocks; block++)
        {
            if (!tenant.GroupsByName.TryGetValue(plan.GroupName(block), out var group))
            {
                continue;
            }

            var removed = plan.IndexOf(block, OperationKind.RemoveFromGroup) is { } removal && applied[removal];
            var expected = plan.GroupMembers(block)
                .Where(u => !(removed && u == plan.RemovedFromGroup(block)))
                .Select(u => IdOf(u) ?? $"(missing {u.UserName})");
            Check(problems, ScimResources.Sorted([.. expected]).SequenceEqual(group.MemberIds()),
                $"group {plan.GroupName(block)} has members [{string.Join(", ", group.MemberIds())}], expected [{string.Join(", ", ScimResources.Sorted([.. expected]))}]");
        }

        var expectedPreMembers = plan.Before.UserIds.Where((_, i) => !(BulkPlan.DeletesPreUser(i) && applied[plan.IndexOfDeletion(i)]))
            .Concat(Enumerable.Range(0, Blocks)
                .Where(b => applied[plan.IndexOf(b, OperationKind.AddToPreGroup)!.Value])
                .SelectMany(b => plan.AddedToPreGroup(b).Select(u => IdOf(u) ?? $"(missing {u.UserName})")))
            .ToArray();
        Check(problems, ScimResources.Sorted(expectedPreMembers).SequenceEqual(preGroup.MemberIds()),
            $"group {plan.Before.GroupId} has {preGroup.MemberIds().Length} members, expected {expectedPreMembers.Length}: " +
            $"extra [{string.Join(", ", preGroup.MemberIds().Except(expectedPreMembers))}], missing [{string.Join(", ", expectedPreMembers.Except(preGroup.MemberIds()))}]");
        return applied;

        bool CreatedUser(UserData user)
        {
            if (!tenant.UsersByName.TryGetValue(user.UserName, out var stored))
            {
                return false;
            }

            // The PATCH of this block may have changed title and nickName; it is judged on its own.
            user.Check(stored, problems, ignorePatched: true);
            return true;
        }

        bool PatchedUser(PlannedOperation operation, UserData user)
        {
            if (!tenant.UsersByName.TryGetValue(user.UserName, out var stored))
            {
                return false;
            }

            var title = stored.TryGetProperty("title", out var t) ? t.GetString() : null;
            var nickName = stored.TryGetProperty("nickName", out var n) ? n.GetString() : null;
            var patched = title == BulkPlan.PatchedTitle && nickName == BulkPlan.PatchedNickName;
            Check(problems, patched || (title == user.Title && nickName == user.NickName),
                $"operation {operation.Index} (PatchUser, block {operation.Block}) took effect in part: title '{title}', nickName '{nickName}'");
            return patched;
        }

        bool WholeOrNothing(PlannedOperation operation, bool[] parts)
        {
            Check(problems, parts.All(p => p) || !parts.Any(p => p),
                $"operation {operation.Index} ({operation.Kind}, block {operation.Block}) took effect in part: [{string.Join(", ", parts)}]");
            return parts.All(p => p);
        }

        async Task<bool> DeletedAsync(int preUser)
        {
            var id = plan.Before.UserIds[preUser];
            using var response = await client.GetAsync("Users/" + id);
            var status = (int)response.StatusCode;
            if (status == 200)
            {
                plan.Before.Users[preUser].Check(await response.JsonAsync(), problems);
            }

            Check(problems, status is 200 or 404, $"GET Users/{id} answered {status}");
            return status == 404;
        }
    }

    /// <summary>
    /// The operations that took effect must be the first ones: each was on disk before the next
    /// began. Returns how many took effect.
    /// </summary>
    private static int CheckPrefix(bool[] applied, List<string> problems)
    {
        var prefix = Array.IndexOf(applied, false);
        if (prefix < 0)
        {
            return applied.Length;
        }

        var later = Enumerable.Range(prefix, applied.Length - prefix).Where(i => applied[i]).ToArray();
        Check(problems, later.Length == 0,
            $"operation {prefix} did not take effect, yet {later.Length} later ones did (first: {string.Join(", ", later.Take(10))}): an earlier acknowledged write was lost");
        return prefix;
    }

    // ---- after the restart: the tenant takes writes ----

    private static async Task CheckWritesAfterRestartAsync(HttpClient client, BulkPlan plan, Acknowledged before, Tenant tenant, List<string> problems)
    {
        var fresh = UserData.Make($"{plan.Tag}-after-restart");
        using var created = await client.PostAsync("Users", Json(fresh.ToJson()));
        if (Check(problems, (int)created.StatusCode == 201, $"a new user after the restart answered {(int)created.StatusCode}"))
        {
            var id = (await created.JsonAsync()).Id();
            await client.PatchOkAsync("Groups/" + before.GroupId, $$"""{"op":"add","path":"members","value":[{"value":"{{id}}"}]}""");
            var group = await client.GetJsonAsync("Groups/" + before.GroupId);
            Check(problems, group.MemberIds().Contains(id), "a member added after the restart is not in the group");
        }

        // The unique index came back with the data: a surviving userName is taken, a lost one is free.
        if (plan.Users.FirstOrDefault(u => tenant.UsersByName.ContainsKey(u.UserName)) is { } kept)
        {
            using var duplicate = await client.PostAsync("Users", Json((kept with { UserName = kept.UserName.ToUpperInvariant() }).ToJson()));
            Check(problems, (int)duplicate.StatusCode == 409, $"a second {kept.UserName} after the restart answered {(int)duplicate.StatusCode}, not 409");
        }

        if (plan.Users.FirstOrDefault(u => !tenant.UsersByName.ContainsKey(u.UserName)) is { } lost)
        {
            using var again = await client.PostAsync("Users", Json(lost.ToJson()));
            Check(problems, (int)again.StatusCode == 201, $"{lost.UserName}, which did not survive, answered {(int)again.StatusCode} when created again");
        }
    }

    private static JsonElement[] Members(JsonElement group) =>
        group.TryGetProperty("members", out var members) && members.ValueKind == JsonValueKind.Array ? [.. members.EnumerateArray()] : [];

    private static bool Check(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }

        return condition;
    }

    // ---- the data ----

    /// <summary>A user's attributes as sent; <see cref="Check"/> compares a stored user with them.</summary>
    private sealed record UserData(string UserName, string GivenName, string FamilyName, string Email, string ExternalId, string Title, string NickName)
    {
        public static UserData Make(string userName) => new(
            userName, "Given " + userName, "Family " + userName, userName + "@example.com", "ext-" + userName, BulkPlan.CreatedTitle, BulkPlan.CreatedNickName);

        public string ToJson() => $$"""
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{UserName}}",
             "name":{"givenName":"{{GivenName}}","familyName":"{{FamilyName}}"},"displayName":"{{GivenName}} {{FamilyName}}",
             "emails":[{"value":"{{Email}}","type":"work","primary":true}],"externalId":"{{ExternalId}}",
             "title":"{{Title}}","nickName":"{{NickName}}","active":true}
            """;

        public void Check(JsonElement stored, List<string> problems, bool ignorePatched = false)
        {
            var name = stored.TryGetProperty("name", out var n) ? n : default;
            var email = stored.TryGetProperty("emails", out var e) && e.GetArrayLength() == 1 ? e[0] : default;
            (string What, string? Actual, string Expected)[] fields =
            [
                ("userName", Text(stored, "userName"), UserName),
                ("name.givenName", Text(name, "givenName"), GivenName),
                ("name.familyName", Text(name, "familyName"), FamilyName),
                ("displayName", Text(stored, "displayName"), $"{GivenName} {FamilyName}"),
                ("emails[0].value", Text(email, "value"), Email),
                ("externalId", Text(stored, "externalId"), ExternalId),
                ("active", stored.TryGetProperty("active", out var a) ? a.GetRawText() : null, "true"),
            ];
            if (!ignorePatched)
            {
                fields = [.. fields, ("title", Text(stored, "title"), Title), ("nickName", Text(stored, "nickName"), NickName)];
            }

            foreach (var (what, actual, expected) in fields)
            {
                BulkCrashTests.Check(problems, actual == expected, $"user {UserName}: {what} is '{actual}', expected '{expected}'");
            }
        }

        private static string? Text(JsonElement element, string property) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value.GetString() : null;
    }

    private enum OperationKind
    {
        CreateUser,
        CreateGroup,
        AddToPreGroup,
        PatchUser,
        DeletePreUser,
        RemoveFromGroup,
    }

    /// <summary>One operation of the Bulk: its position, what it does, its block and (for users) its slot.</summary>
    private sealed record PlannedOperation(int Index, OperationKind Kind, int Block, int Slot);

    /// <summary>
    /// The Bulk: 100 blocks of ten operations, each block creating six users (bulkIds) and a group
    /// of four of them, adding the other two to the acknowledged group, patching two attributes of
    /// one new user, and then either deleting an acknowledged member of the acknowledged group
    /// (every tenth block) or removing one member from the block's new group.
    /// </summary>
    private sealed class BulkPlan
    {
        public const string CreatedTitle = "title-0";
        public const string CreatedNickName = "nick-0";
        public const string PatchedTitle = "title-1";
        public const string PatchedNickName = "nick-1";

        public BulkPlan(string tag, Acknowledged before)
        {
            Tag = tag;
            Before = before;
            for (var block = 0; block < Blocks; block++)
            {
                for (var slot = 0; slot < UsersPerBlock; slot++)
                {
                    Users.Add(UserData.Make($"{tag}-b{block:D3}u{slot}"));
                    Add(OperationKind.CreateUser, block, slot);
                }

                Add(OperationKind.CreateGroup, block);
                Add(OperationKind.AddToPreGroup, block);
                Add(OperationKind.PatchUser, block);
                Add(block % 10 == 4 ? OperationKind.DeletePreUser : OperationKind.RemoveFromGroup, block);
            }

            void Add(OperationKind kind, int block, int slot = 0) => Operations.Add(new PlannedOperation(Operations.Count, kind, block, slot));
        }

        public string Tag { get; }

        public Acknowledged Before { get; }

        public List<PlannedOperation> Operations { get; } = [];

        public List<UserData> Users { get; } = [];

        /// <summary>Acknowledged users 0 to 9 are deleted by the Bulk, one in every tenth block.</summary>
        public static bool DeletesPreUser(int preUser) => preUser < Blocks / 10;

        public static int DeletedPreUser(int block) => block / 10;

        public int IndexOfDeletion(int preUser) => IndexOf(preUser * 10 + 4, OperationKind.DeletePreUser)!.Value;

        /// <summary>Where the block's operation of this kind is, or null when the block has none.</summary>
        public int? IndexOf(int block, OperationKind kind) =>
            Operations.Skip(block * OperationsPerBlock).Take(OperationsPerBlock).FirstOrDefault(o => o.Kind == kind)?.Index;

        public UserData UserOf(int block, int slot) => Users[block * UsersPerBlock + slot];

        public string GroupName(int block) => $"{Tag}-b{block:D3}g";

        public IEnumerable<UserData> GroupMembers(int block) => Enumerable.Range(0, 4).Select(s => UserOf(block, s));

        public UserData RemovedFromGroup(int block) => UserOf(block, 3);

        public IEnumerable<UserData> AddedToPreGroup(int block) => [UserOf(block, 4), UserOf(block, 5)];

        public string ToJson()
        {
            var json = new StringBuilder();
            json.Append(CultureInfo.InvariantCulture, $$"""{"schemas":["{{BulkRequestUrn}}"],"Operations":[""");
            foreach (var operation in Operations)
            {
                var block = operation.Block;
                var bulkId = $"u{block}x{operation.Slot}";
                if (operation.Index > 0)
                {
                    json.Append(',');
                }

                json.Append(operation.Kind switch
                {
                    OperationKind.CreateUser =>
                        $$$"""{"method":"POST","path":"/Users","bulkId":"{{{bulkId}}}","data":{{{UserOf(block, operation.Slot).ToJson()}}}}""",
                    OperationKind.CreateGroup =>
                        $$$"""{"method":"POST","path":"/Groups","bulkId":"g{{{block}}}","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{{GroupName(block)}}}","members":[{{{string.Join(",", Enumerable.Range(0, 4).Select(s => $$"""{"type":"User","value":"bulkId:u{{block}}x{{s}}"}"""))}}}]}}""",
                    OperationKind.AddToPreGroup =>
                        $$$"""{"method":"PATCH","path":"/Groups/{{{Before.GroupId}}}","data":{"schemas":["{{{ScimResources.PatchOpUrn}}}"],"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u{{{block}}}x4"},{"value":"bulkId:u{{{block}}}x5"}]}]}}""",
                    OperationKind.PatchUser =>
                        $$$"""{"method":"PATCH","path":"/Users/bulkId:u{{{block}}}x0","data":{"schemas":["{{{ScimResources.PatchOpUrn}}}"],"Operations":[{"op":"replace","path":"title","value":"{{{PatchedTitle}}}"},{"op":"replace","path":"nickName","value":"{{{PatchedNickName}}}"}]}}""",
                    OperationKind.DeletePreUser =>
                        $$$"""{"method":"DELETE","path":"/Users/{{{Before.UserIds[DeletedPreUser(block)]}}}"}""",
                    OperationKind.RemoveFromGroup =>
                        $$$"""{"method":"PATCH","path":"/Groups/bulkId:g{{{block}}}","data":{"schemas":["{{{ScimResources.PatchOpUrn}}}"],"Operations":[{"op":"remove","path":"members","value":[{"value":"bulkId:u{{{block}}}x3"}]}]}}""",
                    _ => throw new InvalidOperationException(operation.Kind.ToString()),
                });
            }

            json.Append("]}");
            return json.ToString();
        }
    }
}
