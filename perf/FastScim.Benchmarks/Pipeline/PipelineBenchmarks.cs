using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastScim.Server.Compatibility;
using FastScim.Server.Hosting;
using FastScim.Storage;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tenancy;
using Microsoft.AspNetCore.Http.Features;

namespace FastScim.Benchmarks.Pipeline;

/// <summary>
/// Issue 7 item 4, allocation budgets: a request pushed through the real pipeline in process —
/// request bytes in, response bytes out — and the bytes allocated per request after warm-up
/// (BenchmarkDotNet's Allocated column, which counts every thread of the process, so the tenant
/// writer's share of a POST is included). Budgets: GET /Users/{id} ≤ 1 KB, userName eq ≤ 2 KB,
/// POST /Users ≤ 8 KB.
/// <para>
/// The server is the one <c>fastscim serve</c> runs — <see cref="ScimApplication"/> over a
/// <see cref="TenantRegistry"/>, <see cref="TenantStoreCache"/> and a LiteDB file per tenant in a
/// temp directory, with fsync per commit — minus Kestrel: each benchmark hands the application
/// an <see cref="InMemoryExchange"/> (the features Kestrel would pass), built once and reset per
/// request. The tenant is seeded through the same pipeline with one POST /Bulk of 1,000 users and
/// one of a group of 100 of them; every answer is checked (the status of each run, and the
/// content once in setup), so a fast wrong answer fails the benchmark.
/// </para>
/// <para>
/// What the harness allocates per request: nothing that is counted — <see cref="HarnessOnly"/>
/// resets the same features and writes a 1.2 KB body the way the server does (status, headers,
/// one write), and measures 0 B. Not counted, because no Kestrel runs: Kestrel's own per-request
/// allocations (the path and query strings it decodes, header values), which a real request adds
/// on top of these figures.
/// </para>
/// <para>
/// <see cref="GetUserById"/> reads user 500, a member of no group; <see cref="FilterUserNameEq"/>
/// asks for the same user by <c>userName eq</c>, a filter text the server has cached (as on a
/// second lookup of the same name); <see cref="PostUser"/> creates a user with a new userName
/// each time (the digits are rewritten in place in the body), so the tenant grows while it runs.
/// <see cref="PostUsersConcurrently"/> does the same with 32 POSTs in flight at once, as the load
/// test's connections: a POST alone is a commit of its own, with all of LiteDB's work per
/// transaction; together they share commits, as under load. <see cref="PostBulkOfCreates"/> sends
/// the load test's Bulk request, 100 creates of new users, and is reported per create.
/// <see cref="PatchUsersConcurrently"/> sends 32 PATCHes of 32 users at once, as the load test's.
/// </para>
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private const string Tenant = "bench";
    private const string BasePath = "/t/" + Tenant + "/api/v1/scim/v2";
    private const string Counter = "#########";

    /// <summary>How many POSTs <see cref="PostUsersConcurrently"/> has in flight at once: the load test's connections.</summary>
    internal const int ConcurrentPosts = 32;

    /// <summary>How many creates one <see cref="PostBulkOfCreates"/> request holds: the load test's Bulk workload.</summary>
    internal const int BulkOperations = 100;

    private readonly InMemoryExchange _harness = new();
    private readonly InMemoryExchange _get = new();
    private readonly InMemoryExchange _eq = new();
    private readonly InMemoryExchange _post = new();
    private readonly InMemoryExchange[] _concurrentPosts = [.. Enumerable.Range(0, ConcurrentPosts).Select(static _ => new InMemoryExchange())];
    private readonly Task[] _inFlight = new Task[ConcurrentPosts];
    private readonly InMemoryExchange[] _concurrentPatches = [.. Enumerable.Range(0, ConcurrentPosts).Select(static _ => new InMemoryExchange())];
    private readonly InMemoryExchange _bulk = new();
    private readonly byte[] _fixedBody = Encoding.UTF8.GetBytes(new string('x', 1200));
    private string _directory = null!;
    private TenantRegistry _registry = null!;
    private TenantStoreCache _stores = null!;
    private CompatibilityLog _compatibility = null!;
    private ScimApplication _application = null!;
    private int[] _counterOffsets = [];
    private int[] _bulkCounterOffsets = [];
    private int[] _patchCounterOffsets = [];
    private int _posted;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "fastscim-pipeline-bench-" + Guid.NewGuid().ToString("N"));
        _registry = TenantRegistry.Open(_directory);
        var token = _registry.CreateTenant(Tenant);
        var registry = _registry;
        _stores = new TenantStoreCache(tenant => new LiteDbTenantStore(tenant, registry.TenantFilePath(tenant), ResourceCodecs.User, ResourceCodecs.Group));
        _compatibility = new CompatibilityLog(_registry, TextWriter.Null);
        _application = new ScimApplication(_registry, _stores, _compatibility, TextWriter.Null);

        var ids = Seed(token);
        var id = ids[499];
        const string UserName = "user500@example.com";

        _get.Request("GET", $"{BasePath}/Users/{id}", token);
        Check(_get, 200, root => root.GetProperty("id").GetString() == id && root.GetProperty("userName").GetString() == UserName);

        _eq.Request("GET", $"{BasePath}/Users?filter=userName%20eq%20%22{Uri.EscapeDataString(UserName)}%22", token);
        Check(_eq, 200, root => root.GetProperty("totalResults").GetInt32() == 1 && root.GetProperty("Resources")[0].GetProperty("id").GetString() == id);

        var body = Encoding.UTF8.GetBytes(UserJson("post-" + Counter));
        _counterOffsets = Offsets(body, Encoding.UTF8.GetBytes(Counter));
        _post.Request("POST", $"{BasePath}/Users", token, body);
        foreach (var exchange in _concurrentPosts)
        {
            exchange.Request("POST", $"{BasePath}/Users", token, [.. body]);
        }

        NextUserName(_post);
        Check(_post, 201, root => root.GetProperty("userName").GetString() == "post-000000001@example.com");

        // The load test's PATCH (perf/load/users-patch.lua): active and displayName, a new name each time.
        var patch = Encoding.UTF8.GetBytes($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false},{"op":"replace","path":"displayName","value":"Patched {{Counter}}"}]}""");
        _patchCounterOffsets = Offsets(patch, Encoding.UTF8.GetBytes(Counter));
        for (var i = 0; i < _concurrentPatches.Length; i++)
        {
            _concurrentPatches[i].Request("PATCH", $"{BasePath}/Users/{ids[200 + i]}", token, [.. patch]);
        }

        NextUserName(_concurrentPatches[0], _patchCounterOffsets);
        Check(_concurrentPatches[0], 200, root => root.GetProperty("active").GetBoolean() == false
            && root.GetProperty("displayName").GetString()!.StartsWith("Patched 0", StringComparison.Ordinal)
            && root.GetProperty("meta").GetProperty("version").GetString() == "W/\"2\"");

        // Each create's names end in its index, so the creates of one request differ and the counter keeps requests apart.
        var bulk = Bulk(string.Join(',', Enumerable.Range(0, BulkOperations).Select(i =>
            $$"""{"method":"POST","path":"/Users","bulkId":"b{{i}}","data":{{UserJson("bulk-" + Counter + "-" + i.ToString(CultureInfo.InvariantCulture))}}}""")));
        _bulkCounterOffsets = Offsets(bulk, Encoding.UTF8.GetBytes(Counter));
        _bulk.Request("POST", $"{BasePath}/Bulk", token, bulk);
        NextUserName(_bulk, _bulkCounterOffsets);
        Check(_bulk, 200, root => root.GetProperty("Operations").GetArrayLength() == BulkOperations
            && root.GetProperty("Operations").EnumerateArray().All(static o => o.GetProperty("status").GetString() == "201"));

        _harness.Request("GET", $"{BasePath}/Users/{id}", token);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _get.Verify(200);
        _eq.Verify(200);
        _post.Verify(201);
        _bulk.Verify(200);
        foreach (var exchange in _concurrentPosts)
        {
            exchange.Verify(201);
        }

        foreach (var exchange in _concurrentPatches)
        {
            exchange.Verify(200);
        }

        _stores.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _compatibility.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _registry.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The harness alone: reset the features, answer a fixed 1.2 KB body as the server answers (status, three headers, one write).</summary>
    [Benchmark]
    public Task HarnessOnly()
    {
        _harness.Begin(200);
        var response = _harness.Features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = "application/scim+json; charset=utf-8";
        response.Headers.ContentLength = _fixedBody.Length;
        response.Headers.ETag = "W/\"1\"";
        var write = _harness.Features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(_fixedBody);
        return write.IsCompletedSuccessfully ? Task.CompletedTask : write.AsTask();
    }

    [Benchmark]
    public Task GetUserById()
    {
        _get.Begin(200);
        return _application.ProcessRequestAsync(_get.Features);
    }

    [Benchmark]
    public Task FilterUserNameEq()
    {
        _eq.Begin(200);
        return _application.ProcessRequestAsync(_eq.Features);
    }

    [Benchmark]
    public Task PostUser()
    {
        _post.Begin(201);
        NextUserName(_post);
        return _application.ProcessRequestAsync(_post.Features);
    }

    /// <summary>
    /// <see cref="ConcurrentPosts"/> POSTs in flight at once, as the load test's connections send
    /// them: the tenant's writer commits what has queued together (group commit), so its
    /// per-commit work is shared. Reported per POST (OperationsPerInvoke).
    /// </summary>
    [Benchmark(OperationsPerInvoke = ConcurrentPosts)]
    public Task PostUsersConcurrently()
    {
        for (int i = 0; i < _concurrentPosts.Length; i++)
        {
            var exchange = _concurrentPosts[i];
            exchange.Begin(201);
            NextUserName(exchange);
            _inFlight[i] = _application.ProcessRequestAsync(exchange.Features);
        }

        return Task.WhenAll(_inFlight);
    }

    /// <summary>
    /// <see cref="ConcurrentPosts"/> PATCHes in flight at once, each of another user, each changing
    /// <c>active</c> and <c>displayName</c> (a new name every time, so every one commits a new
    /// version), as the load test's PATCH workload. Reported per PATCH.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ConcurrentPosts)]
    public Task PatchUsersConcurrently()
    {
        for (int i = 0; i < _concurrentPatches.Length; i++)
        {
            var exchange = _concurrentPatches[i];
            exchange.Begin(200);
            NextUserName(exchange, _patchCounterOffsets);
            _inFlight[i] = _application.ProcessRequestAsync(exchange.Features);
        }

        return Task.WhenAll(_inFlight);
    }

    /// <summary>
    /// A Bulk request of <see cref="BulkOperations"/> creates of new users, as the load test's Bulk
    /// workload sends (perf/load/bulk-post.lua). Reported per create (OperationsPerInvoke).
    /// </summary>
    [Benchmark(OperationsPerInvoke = BulkOperations)]
    public Task PostBulkOfCreates()
    {
        _bulk.Begin(200);
        NextUserName(_bulk, _bulkCounterOffsets);
        return _application.ProcessRequestAsync(_bulk.Features);
    }

    /// <summary>Writes the next counter's digits over the placeholder(s) in <paramref name="exchange"/>'s POST body, in place.</summary>
    private void NextUserName(InMemoryExchange exchange) => NextUserName(exchange, _counterOffsets);

    /// <summary>Writes the next counter's digits over the placeholders at <paramref name="offsets"/> of <paramref name="exchange"/>'s body, in place.</summary>
    private void NextUserName(InMemoryExchange exchange, int[] offsets)
    {
        var number = ++_posted;
        var body = exchange.RequestBody;
        foreach (var offset in offsets)
        {
            var value = number;
            for (var i = Counter.Length - 1; i >= 0; i--)
            {
                body[offset + i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    private void Check(InMemoryExchange exchange, int status, Func<JsonElement, bool> content)
    {
        exchange.Begin(status);
        _application.ProcessRequestAsync(exchange.Features).GetAwaiter().GetResult();
        exchange.Verify(status);
        using var document = JsonDocument.Parse(exchange.ResponseBody.ToArray());
        if (!content(document.RootElement))
        {
            throw new InvalidOperationException($"{exchange.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget} answered wrongly: {document.RootElement}");
        }
    }

    /// <summary>1,000 users (user1 … user1000) through one POST /Bulk, then a group of users 1–100; answers the users' ids in order.</summary>
    private List<string> Seed(string token)
    {
        var users = string.Join(',', Enumerable.Range(1, 1000).Select(i =>
            $$"""{"method":"POST","path":"/Users","bulkId":"u{{i}}","data":{{UserJson("user" + i.ToString(CultureInfo.InvariantCulture))}}}"""));
        var seed = new InMemoryExchange().Request("POST", BasePath + "/Bulk", token, Bulk(users));
        var ids = new List<string>(1000);
        Check(seed, 200, root =>
        {
            foreach (var operation in root.GetProperty("Operations").EnumerateArray())
            {
                if (operation.GetProperty("status").GetString() != "201")
                {
                    return false;
                }

                var location = operation.GetProperty("location").GetString()!;
                ids.Add(location[(location.LastIndexOf('/') + 1)..]);
            }

            return ids.Count == 1000;
        });

        var members = string.Join(',', ids.Take(100).Select(id => $$"""{"value":"{{id}}"}"""));
        var group = new InMemoryExchange().Request("POST", BasePath + "/Bulk", token,
            Bulk($$$"""{"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Bench group","members":[{{{members}}}]}}"""));
        Check(group, 200, root => root.GetProperty("Operations")[0].GetProperty("status").GetString() == "201");
        return ids;
    }

    private static byte[] Bulk(string operations) =>
        Encoding.UTF8.GetBytes($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{{operations}}]}""");

    /// <summary>The same user shape as the load test's (perf/load/users.lua), about 1 KB.</summary>
    private static string UserJson(string name) =>
        $$$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"{{{name}}}@example.com","externalId":"{{{name}}}","name":{"formatted":"Barbara Jensen","familyName":"Jensen","givenName":"Barbara"},"displayName":"Barbara Jensen {{{name}}}","title":"Tour Guide","preferredLanguage":"en-US","locale":"en-US","timezone":"America/Los_Angeles","emails":[{"value":"{{{name}}}@example.com","type":"work","primary":true},{"value":"{{{name}}}@example.org","type":"home"}],"phoneNumbers":[{"value":"+1 555 555 0100","type":"work"}],"addresses":[{"streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","type":"work","primary":true}],"active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"{{{name}}}","department":"Tour Operations","costCenter":"4130","organization":"Universal Studios"}}""";

    private static int[] Offsets(byte[] text, byte[] marker)
    {
        var offsets = new List<int>();
        for (var start = 0; ;)
        {
            var found = text.AsSpan(start).IndexOf(marker);
            if (found < 0)
            {
                return [.. offsets];
            }

            offsets.Add(start + found);
            start += found + marker.Length;
        }
    }
}
