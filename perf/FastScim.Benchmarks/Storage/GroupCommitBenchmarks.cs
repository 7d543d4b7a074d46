using BenchmarkDotNet.Attributes;
using FastScim.Core.Resources;
using FastScim.Storage;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Planning;

namespace FastScim.Benchmarks.Storage;

/// <summary>
/// Group commit under a disk that is slower to fsync than this machine's: 32 clients, each
/// creating users one after another (as 32 connections of an identity provider would), against
/// one tenant's store, with every fsync of the log made <see cref="ExtraFsyncMicroseconds"/>
/// longer (a sleep before it: a blocked fsync costs time, not CPU). The result per operation is
/// the time of one create at that concurrency, so its inverse is the creates per second.
/// </summary>
/// <remarks>
/// This machine's own fsync takes about 0.6 ms; network block devices (cloud volumes) take 1–3 ms
/// or more. The writer waits for each batch's fsync, and the writes that arrive meanwhile make up
/// the next batch, so a slower disk costs each write its share of one fsync, not a whole one. A
/// writer that ran writes while a second thread waited for the disk was tried (973663e, taken
/// back in 8480e76): it was no faster here, because the clients of one batch all wait for its
/// fsync and leave the writer little to run meanwhile.
/// </remarks>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Clients = 32;
    private const int CreatesPerClient = 8;

    private string _directory = null!;
    private TenantDatabase _database = null!;
    private LiteDbResourceCollection<User> _users = null!;
    private int _next;

    [Params(0, 2000)]
    public int ExtraFsyncMicroseconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "fastscim-bench-commit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _database = TenantDatabase.Open("bench", Path.Combine(_directory, "bench.db"));
        _users = new LiteDbResourceCollection<User>(_database, ResourceCodecs.User, planner: QueryPlanner.Users);
        var delay = TimeSpan.FromMicroseconds(ExtraFsyncMicroseconds);
        _database.File.BeforeFlushToDisk = ExtraFsyncMicroseconds == 0 ? null : () => Thread.Sleep(delay);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Clients * CreatesPerClient)]
    public Task CreateUsers()
    {
        var clients = new Task[Clients];
        for (int c = 0; c < Clients; c++)
        {
            clients[c] = Client();
        }

        return Task.WhenAll(clients);
    }

    private async Task Client()
    {
        for (int i = 0; i < CreatesPerClient; i++)
        {
            await _users.CreateAsync(UserData.Create(Interlocked.Increment(ref _next))).ConfigureAwait(false);
        }
    }
}
