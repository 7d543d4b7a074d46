using BenchmarkDotNet.Attributes;
using FastScim.Server.Routing;

namespace FastScim.Benchmarks.Routing;

/// <summary>Routing must not allocate: it works on offsets into the request path.</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const string UserPath = "/t/acme/api/v1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646";
    private const string SchemaPath = "/t/acme/api/v1/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User";

    [Benchmark(Baseline = true)]
    public bool MatchUserById() => Router.Match(UserPath).HasId;

    [Benchmark]
    public bool MatchSchemaByUrn() => Router.Match(SchemaPath).HasId;
}
