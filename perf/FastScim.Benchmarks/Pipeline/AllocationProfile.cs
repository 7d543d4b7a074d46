using System.Diagnostics.Tracing;
using System.Globalization;

namespace FastScim.Benchmarks.Pipeline;

/// <summary>
/// Where a request's allocations go, by type: the why behind a missed allocation budget (issue 7
/// item 6). Runs one of <see cref="PipelineBenchmarks"/>' requests many times under an
/// <see cref="EventListener"/> for the runtime's GCAllocationTick events (one per ≈100 KB
/// allocated, naming the type of the object that crossed the mark — a sample proportional to
/// bytes), and prints the types that took the most, with their share and the bytes per request
/// measured by <see cref="GC.GetTotalAllocatedBytes(bool)"/> over the same run; then the same split
/// by thread (the tenant's writer apart from the request threads), each with its largest types.
/// <code>dotnet run -c Release --project perf/FastScim.Benchmarks -- --allocations PostUser [requests]</code>
/// </summary>
internal static class AllocationProfile
{
    public static int Run(string[] args)
    {
        string benchmark = args.Length > 1 ? args[1] : "PostUser";
        int requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
        var pipeline = new PipelineBenchmarks();
        // Each benchmark with the requests one call makes (the concurrent POSTs run ConcurrentPosts at once).
        (Func<Task> request, int perCall) = benchmark switch
        {
            "GetUserById" => ((Func<Task>)pipeline.GetUserById, 1),
            "FilterUserNameEq" => (pipeline.FilterUserNameEq, 1),
            "PostUser" => (pipeline.PostUser, 1),
            "PostUsersConcurrently" => (pipeline.PostUsersConcurrently, PipelineBenchmarks.ConcurrentPosts),
            "PostBulkOfCreates" => (pipeline.PostBulkOfCreates, PipelineBenchmarks.BulkOperations),
            "PatchUsersConcurrently" => (pipeline.PatchUsersConcurrently, PipelineBenchmarks.ConcurrentPosts),
            _ => throw new ArgumentException($"No benchmark '{benchmark}' (GetUserById, FilterUserNameEq, PostUser, PostUsersConcurrently, PostBulkOfCreates, PatchUsersConcurrently)."),
        };

        pipeline.Setup();
        try
        {
            for (int i = 0; i < Math.Min(requests, 500); i++)
            {
                request().GetAwaiter().GetResult();
            }

            using var listener = new AllocationListener();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < requests; i++)
            {
                request().GetAwaiter().GetResult();
            }

            long perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / ((long)requests * perCall);
            listener.Dispose();
            long total = (long)requests * perCall;
            Console.WriteLine($"{benchmark}: {perRequest:N0} B allocated per request over {total:N0} requests; {listener.Samples:N0} samples by type:");
            // What outlives its first collection is what the GC copies (its cost), not what is allocated.
            Console.WriteLine($"collections: gen0 {listener.Collections[0]:N0}, gen1 {listener.Collections[1]:N0}, gen2 {listener.Collections[2]:N0}; promoted per request: out of gen0 {listener.PromotedFromGen0 / total:N0} B, out of gen1 {listener.PromotedFromGen1 / total:N0} B");
            foreach (var (type, samples) in listener.ByType.OrderByDescending(static t => t.Value).Take(30))
            {
                double share = (double)samples / listener.Samples;
                Console.WriteLine($"  {share,6:P1}  ≈{share * perRequest,9:N0} B  {type}");
            }

            // By thread: the tenant's writer (one per tenant) against the request threads.
            Console.WriteLine("by thread:");
            var byThread = listener.ByThreadAndType.GroupBy(static t => t.Key.Thread, static t => t.Value).Select(static g => (Thread: g.Key, Samples: g.Sum()));
            foreach (var (thread, samples) in byThread.OrderByDescending(static t => t.Samples))
            {
                double share = (double)samples / listener.Samples;
                Console.WriteLine($"  {share,6:P1}  ≈{share * perRequest,9:N0} B  {thread}");
                foreach (var ((_, type), typeSamples) in listener.ByThreadAndType.Where(t => t.Key.Thread == thread).OrderByDescending(static t => t.Value).Take(12))
                {
                    double typeShare = (double)typeSamples / listener.Samples;
                    Console.WriteLine($"      {typeShare,6:P1}  ≈{typeShare * perRequest,9:N0} B  {type}");
                }
            }
        }
        finally
        {
            pipeline.Cleanup();
        }

        return 0;
    }

    private sealed class AllocationListener : EventListener
    {
        private const EventKeywords GcKeyword = (EventKeywords)0x1;
        private readonly object _gate = new();
        private readonly Dictionary<long, string> _threadNames = []; // read once each: the listener's own allocations count too

        public Dictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Thread, string Type), long> ByThreadAndType { get; } = [];

        public long Samples { get; private set; }

        /// <summary>Collections by the generation they collected (GCStart's Depth).</summary>
        public long[] Collections { get; } = new long[3];

        /// <summary>Bytes that survived a collection of the first generation, summed over the run (GCHeapStats' TotalPromotedSize0).</summary>
        public long PromotedFromGen0 { get; private set; }

        /// <summary>Bytes that survived a collection of the second generation (TotalPromotedSize1).</summary>
        public long PromotedFromGen1 { get; private set; }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName is not { } name || eventData.PayloadNames is null)
            {
                return;
            }

            if (name.StartsWith("GCStart", StringComparison.Ordinal))
            {
                int depth = Convert.ToInt32(Payload(eventData, "Depth"), CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    Collections[Math.Min(depth, 2)]++;
                }

                return;
            }

            if (name.StartsWith("GCHeapStats", StringComparison.Ordinal))
            {
                long fromGen0 = Convert.ToInt64(Payload(eventData, "TotalPromotedSize0"), CultureInfo.InvariantCulture);
                long fromGen1 = Convert.ToInt64(Payload(eventData, "TotalPromotedSize1"), CultureInfo.InvariantCulture);
                lock (_gate)
                {
                    PromotedFromGen0 += fromGen0;
                    PromotedFromGen1 += fromGen1;
                }

                return;
            }

            if (!name.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            {
                return;
            }

            string type = Payload(eventData, "TypeName") as string ?? "?";
            string thread = ThreadName(eventData.OSThreadId);
            lock (_gate)
            {
                ByType[type] = ByType.GetValueOrDefault(type) + 1;
                ByThreadAndType[(thread, type)] = ByThreadAndType.GetValueOrDefault((thread, type)) + 1;
                Samples++;
            }
        }

        /// <summary>The event's payload value named <paramref name="name"/>, or null when it has none.</summary>
        private static object? Payload(EventWrittenEventArgs eventData, string name)
        {
            int at = eventData.PayloadNames?.IndexOf(name) ?? -1;
            return at >= 0 ? eventData.Payload?[at] : null;
        }

        /// <summary>The OS thread's name (Linux: /proc/self/task/ID/comm), its id elsewhere; names the writer apart from the pool.</summary>
        private string ThreadName(long osThreadId)
        {
            lock (_gate)
            {
                if (_threadNames.TryGetValue(osThreadId, out string? known))
                {
                    return known;
                }
            }

            string name = ReadThreadName(osThreadId);
            lock (_gate)
            {
                _threadNames[osThreadId] = name;
            }

            return name;
        }

        private static string ReadThreadName(long osThreadId)
        {
            try
            {
                return File.ReadAllText($"/proc/self/task/{osThreadId}/comm").Trim();
            }
            catch (IOException)
            {
                return osThreadId.ToString(CultureInfo.InvariantCulture);
            }
            catch (UnauthorizedAccessException)
            {
                return osThreadId.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
