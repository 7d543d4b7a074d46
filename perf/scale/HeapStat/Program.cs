using System.Globalization;
using Microsoft.Diagnostics.Runtime;

// HeapStat PID [TOP]: see HeapStat.csproj.
if (args.Length is < 1 or > 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int pid))
{
    Console.Error.WriteLine("usage: HeapStat PID [TOP]");
    return 2;
}

int top = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
using DataTarget target = DataTarget.AttachToProcess(pid, suspend: true);
ClrInfo clr = target.ClrVersions[0];
// The DAC beside the target's own libcoreclr.so, so it is the matching one. ClrMD does not find it
// by itself here, and reads the module's version as 0.0, hence ignoreMismatch.
string dac = Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? ".", "libmscordaccore.so");
using ClrRuntime runtime = clr.CreateRuntime(dac, ignoreMismatch: true);
ClrHeap heap = runtime.Heap;
if (!heap.CanWalkHeap)
{
    Console.Error.WriteLine("HeapStat: the heap cannot be walked now (a GC is in progress?); try again.");
    return 1;
}

var live = Mark(heap, heap.EnumerateRoots().Select(static r => r.Object.Address));

// Reachable from each group of owners: the read models, and LiteDB's engines (page cache, WAL index…).
var modelOwners = new List<ulong>();
var liteDbOwners = new List<ulong>();
long users = 0;
foreach (ClrObject obj in heap.EnumerateObjects())
{
    if (!obj.IsValid || !live.Contains(obj.Address) || obj.Type?.Name is not { } name)
    {
        continue;
    }

    if (name.StartsWith("FastScim.Storage.LiteDb.ResourceModel<", StringComparison.Ordinal)
        || name.StartsWith("FastScim.Storage.LiteDb.MembershipModel", StringComparison.Ordinal))
    {
        modelOwners.Add(obj.Address);
    }
    else if (name == "LiteDB.Engine.LiteEngine")
    {
        liteDbOwners.Add(obj.Address);
    }
    else if (name == "FastScim.Core.Resources.User")
    {
        users++;
    }
}

var byModels = Mark(heap, modelOwners);
var byLiteDb = Mark(heap, liteDbOwners);

var kinds = new SortedDictionary<string, (long Committed, long Live, long Dead, long Free)>(StringComparer.Ordinal);
var types = new Dictionary<string, (long LiveBytes, long LiveCount, long DeadBytes, long DeadCount)>(StringComparer.Ordinal);
var liveByteArrays = new Dictionary<long, long>(); // size → count: LiteDB's page cache segments show up here
long modelBytes = 0, liteDbBytes = 0, sharedBytes = 0;
foreach (ClrSegment segment in heap.Segments)
{
    string kind = segment.Kind.ToString();
    var k = kinds.GetValueOrDefault(kind);
    k.Committed += (long)segment.CommittedMemory.Length;
    foreach (ClrObject obj in segment.EnumerateObjects())
    {
        if (!obj.IsValid)
        {
            continue;
        }

        long size = (long)obj.Size;
        if (obj.IsFree)
        {
            k.Free += size;
            continue;
        }

        string name = obj.Type?.Name ?? "?";
        var t = types.GetValueOrDefault(name);
        if (live.Contains(obj.Address))
        {
            k.Live += size;
            t.LiveBytes += size;
            t.LiveCount++;
            if (name == "System.Byte[]")
            {
                liveByteArrays[size] = liveByteArrays.GetValueOrDefault(size) + 1;
            }

            bool model = byModels.Contains(obj.Address), liteDb = byLiteDb.Contains(obj.Address);
            modelBytes += model ? size : 0;
            liteDbBytes += liteDb ? size : 0;
            sharedBytes += model && liteDb ? size : 0;
        }
        else
        {
            k.Dead += size;
            t.DeadBytes += size;
            t.DeadCount++;
        }

        types[name] = t;
    }

    kinds[kind] = k;
}

static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

Console.WriteLine($"process {pid}: {users:N0} User objects live; {modelOwners.Count} read models, {liteDbOwners.Count} LiteDB engines");
Console.WriteLine();
Console.WriteLine("| segments | committed MB | live MB | dead MB | free MB |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (kind, k) in kinds)
{
    Console.WriteLine($"| {kind} | {Mb(k.Committed)} | {Mb(k.Live)} | {Mb(k.Dead)} | {Mb(k.Free)} |");
}

var all = kinds.Values.Aggregate((Committed: 0L, Live: 0L, Dead: 0L, Free: 0L), static (a, k) => (a.Committed + k.Committed, a.Live + k.Live, a.Dead + k.Dead, a.Free + k.Free));
Console.WriteLine($"| all | {Mb(all.Committed)} | {Mb(all.Live)} | {Mb(all.Dead)} | {Mb(all.Free)} |");
Console.WriteLine();
string perUser = users > 0 ? $" ({modelBytes / users:N0} B per user)" : string.Empty;
Console.WriteLine($"reachable from the read models: {Mb(modelBytes)} MB{perUser}; from LiteDB engines: {Mb(liteDbBytes)} MB; from both: {Mb(sharedBytes)} MB");
Console.WriteLine();
Console.WriteLine("live byte arrays by size (the largest totals): " + string.Join(", ", liveByteArrays
    .OrderByDescending(static p => p.Key * p.Value).Take(6)
    .Select(static p => $"{p.Value:N0} × {p.Key:N0} B = {Mb(p.Key * p.Value)} MB")));
Console.WriteLine();
Console.WriteLine("| type | live MB | live count | dead MB | dead count |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, t) in types.OrderByDescending(static p => p.Value.LiveBytes + p.Value.DeadBytes).Take(top))
{
    Console.WriteLine($"| {name} | {Mb(t.LiveBytes)} | {t.LiveCount:N0} | {Mb(t.DeadBytes)} | {t.DeadCount:N0} |");
}

return 0;

// Every object reachable from the given addresses.
static HashSet<ulong> Mark(ClrHeap heap, IEnumerable<ulong> roots)
{
    var marked = new HashSet<ulong>();
    var pending = new Stack<ulong>();
    foreach (ulong root in roots)
    {
        if (root != 0 && marked.Add(root))
        {
            pending.Push(root);
        }
    }

    while (pending.Count > 0)
    {
        ClrObject obj = heap.GetObject(pending.Pop());
        if (!obj.IsValid)
        {
            continue;
        }

        foreach (ulong reference in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
        {
            if (reference != 0 && marked.Add(reference))
            {
                pending.Push(reference);
            }
        }
    }

    return marked;
}
