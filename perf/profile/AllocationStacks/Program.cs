using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// AllocationStacks TRACE.nettrace [DEPTH] [TOP] [TYPE]: see AllocationStacks.csproj.
if (args.Length is < 1 or > 4)
{
    Console.Error.WriteLine("usage: AllocationStacks TRACE.nettrace [DEPTH (frames, default 4)] [TOP (stacks, default 30)] [TYPE (a substring of the type name)]");
    return 2;
}

int depth = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
int top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
string type = args.Length > 3 ? args[3] : "";

// TraceLog resolves each event's stack against the method rundown dotnet-trace records at the end.
string etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);
var bytesByStack = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
foreach (var data in log.Events)
{
    if (data is not GCAllocationTickTraceData tick || !tick.TypeName.Contains(type, StringComparison.Ordinal))
    {
        continue;
    }

    var frames = new List<string>(depth) { tick.TypeName };
    for (TraceCallStack? frame = data.CallStack(); frame is not null && frames.Count <= depth; frame = frame.Caller)
    {
        // Frames of the runtime itself have no method name: their module says where they are.
        string name = frame.CodeAddress.FullMethodName;
        frames.Add(string.IsNullOrEmpty(name) ? frame.CodeAddress.ModuleName + "!?" : name);
    }

    string stack = string.Join("\n      ", frames);
    bytesByStack[stack] = bytesByStack.GetValueOrDefault(stack) + tick.AllocationAmount64;
    total += tick.AllocationAmount64;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total:N0} bytes sampled{(type.Length > 0 ? " of types containing '" + type + "'" : "")}; the {top} stacks (type, then {depth} frames) that took the most:"));
foreach (var (stack, bytes) in bytesByStack.OrderByDescending(static s => s.Value).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,5:F1}%  {stack}"));
}

return 0;
