using BenchmarkDotNet.Running;
using FastScim.Benchmarks.Pipeline;

// dotnet run -c Release --project perf/FastScim.Benchmarks -- --filter '*'
// dotnet run -c Release --project perf/FastScim.Benchmarks -- --allocations PostUser [requests]
if (args.Length > 0 && args[0] == "--allocations")
{
    return AllocationProfile.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
