using BenchmarkDotNet.Attributes;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;
using FastScim.Storage;
using FastScim.Storage.LiteDb;

namespace FastScim.Benchmarks.Storage;

/// <summary>
/// Filtered queries end to end through a real <see cref="LiteDbTenantStore"/> (a LiteDB file in
/// the temp directory), as FetchUsers runs them: the filter already parsed and compiled (the
/// server caches both), first page of 100. The seeded file is kept between runs
/// (<c>{temp}/fastscim-bench/users-{n}.db</c>), because seeding 100,000 users takes minutes.
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private LiteDbTenantStore _store = null!;
    private Query _userNameEq = null!;
    private Query _displayNameCo = null!;
    private Query _compound = null!;

    [Params(10_000, 100_000)]
    public int Users { get; set; }

    private sealed record Query(FilterNode Filter, Func<User, bool> Predicate);

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fastscim-bench");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"users-{Users}.db");
        var seeded = file + ".seeded";
        if (!File.Exists(seeded))
        {
            File.Delete(file);
            _store = new LiteDbTenantStore("bench", file, ResourceCodecs.User, ResourceCodecs.Group);
            Seed(_store, Users).GetAwaiter().GetResult();
            File.WriteAllText(seeded, DateTime.UtcNow.ToString("O"));
        }
        else
        {
            _store = new LiteDbTenantStore("bench", file, ResourceCodecs.User, ResourceCodecs.Group);
        }

        // A user in the middle of the tenant, asked for in another case (userName is not caseExact).
        _userNameEq = Compile($"userName eq \"{UserData.UserName(Users / 2).ToUpperInvariant()}\"");
        _displayNameCo = Compile("displayName co \"Garcia 12\"");
        _compound = Compile("title eq \"Tour Guide\" and active eq true and (displayName co \"Chen\" or emails[type eq \"home\" and value sw \"wei.\"])");
    }

    [GlobalCleanup]
    public void Cleanup() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static Query Compile(string filter)
    {
        var node = FilterParser.Parse(filter);
        return new Query(node, FilterCompiler.CompileUser(node));
    }

    private static async Task Seed(LiteDbTenantStore store, int users)
    {
        // Many writes in flight, so the tenant's writer commits them in large batches.
        const int inFlight = 2000;
        for (int start = 0; start < users; start += inFlight)
        {
            var writes = new List<Task>(inFlight);
            for (int i = start; i < Math.Min(users, start + inFlight); i++)
            {
                writes.Add(store.Users.CreateAsync(UserData.Create(i)));
            }

            await Task.WhenAll(writes);
        }
    }

    [Benchmark]
    public int UserNameEq() => Run(_userNameEq);

    [Benchmark]
    public int DisplayNameCo() => Run(_displayNameCo);

    [Benchmark]
    public int Compound() => Run(_compound);

    private int Run(Query query) => _store.Users.Query(query.Filter, query.Predicate, 0, 100).TotalResults;
}
