using BenchmarkDotNet.Attributes;
using FastScim.Core.Filtering;
using FastScim.Core.Resources;

namespace FastScim.Benchmarks.Filtering;

/// <summary>A filter's one-off cost (parse and compile, what a cache miss pays) and its cost per resource.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const string Complex =
        "(userName sw \"user1\" or emails[type eq \"work\" and value ew \"@example.org\"]) and active eq true " +
        "and not (title eq \"Intern\") and meta.lastModified gt \"2020-01-01T00:00:00Z\" " +
        "and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr";

    private Func<User, bool> _compiled = null!;
    private User _user = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compiled = FilterCompiler.CompileUser(FilterParser.Parse(Complex));
        _user = UserData.Create(12345);
    }

    [Benchmark]
    public Func<User, bool> ParseAndCompile() => FilterCompiler.CompileUser(FilterParser.Parse(Complex));

    [Benchmark]
    public bool EvaluatePerResource() => _compiled(_user);
}
