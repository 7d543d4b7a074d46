using BenchmarkDotNet.Running;

// dotnet run -c Release --project perf/FastScim.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
