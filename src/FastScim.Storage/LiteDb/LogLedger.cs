using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// What a collection's log (<see cref="ResourceLog"/>) holds, record by record: how many entries,
/// how many of them are live (the current version of a resource) and how many are deletions.
/// Kept by the writer alone; it says which records can simply go, when compaction pays and which
/// records it takes.
/// </summary>
internal sealed class LogLedger
{
    /// <summary>
    /// Compaction waits for this many superseded entries at least (a small log is not worth
    /// rewriting). Tests lower it, and <see cref="EntriesPerStep"/>, to compact often: a ledger
    /// takes them when made (when its tenant opens); the state read back is the same whenever
    /// compaction runs, so other tests running meanwhile are unaffected.
    /// </summary>
    internal static int MinDeadEntries { get; set; } = 4_096;

    /// <summary>One compaction step takes the oldest records up to about this many entries, so a step stays short (≈10 ms).</summary>
    internal static int EntriesPerStep { get; set; } = 2_048;

    /// <summary>
    /// How many emptied records beyond the one a batch writes over stay in the log for later
    /// batches to write over, rather than being deleted (issue 7: a batch that finds none inserts
    /// its record, and deleting one is as much work, each a change to the <c>_id</c> index). Their
    /// entries are all superseded, so reading them when the tenant opens changes nothing, and
    /// compaction takes them like any other record. Tests lower it as they do the others.
    /// </summary>
    internal static int EmptiedToKeep { get; set; } = 16;

    // Each record's counts, changed for every entry a batch writes; and the records in order,
    // changed only as records come and go (a sorted map for both cost a tree walk per entry).
    private readonly Dictionary<long, Counts> _records = [];
    private readonly SortedSet<long> _order = [];
    private readonly HashSet<long> _superseded = []; // records that lost a live entry since the last TakeEmptied
    private readonly int _minDeadEntries;
    private readonly int _entriesPerStep;
    private readonly int _deadPerLive;

    /// <summary>A ledger of an empty log, with the thresholds in force now (or those given).</summary>
    public LogLedger(int? minDeadEntries = null, int? entriesPerStep = null, int? deadPerLive = null)
    {
        _minDeadEntries = minDeadEntries ?? MinDeadEntries;
        _entriesPerStep = entriesPerStep ?? EntriesPerStep;
        _deadPerLive = deadPerLive ?? DeadPerLive;
        EmptiedKept = EmptiedToKeep;
    }

    /// <summary>This ledger's <see cref="EmptiedToKeep"/>.</summary>
    public int EmptiedKept { get; }

    /// <summary>The greatest record number in the log (0 for none); the next record takes the one after.</summary>
    public long Last { get; private set; }

    public long Entries { get; private set; }

    public long LiveEntries { get; private set; }

    public long DeadEntries => Entries - LiveEntries;

    /// <summary>How many records the log holds.</summary>
    public int Records => _records.Count;

    /// <summary>
    /// Record <paramref name="record"/> was added with <paramref name="entries"/> entries (none live
    /// yet), <paramref name="deletions"/> of them deletions, in the log's slot <paramref name="slot"/>
    /// (its own number when none is given; a new record's is its number negated, and a record
    /// written over an emptied one takes that one's, <see cref="ResourceLog"/>).
    /// </summary>
    public void Added(long record, int entries, int deletions, long? slot = null)
    {
        _records.Add(record, new Counts(entries, 0, deletions, slot ?? record));
        _order.Add(record);
        if (entries == 0)
        {
            _superseded.Add(record); // a record without entries (a spare one, in a file written before): emptied from the start
        }
        Last = Math.Max(Last, record);
        Entries += entries;
    }

    /// <summary>The slot (the LiteDB <c>_id</c>) record <paramref name="record"/> is kept in.</summary>
    public long SlotOf(long record) => _records[record].Slot;

    /// <summary>An entry of <paramref name="record"/> became a resource's current version.</summary>
    public void Live(long record) => Change(record, +1);

    /// <summary>An entry of <paramref name="record"/> was superseded (its resource changed again, or went).</summary>
    public void Dead(long record)
    {
        Change(record, -1);
        _superseded.Add(record);
    }

    /// <summary>
    /// The records that lost their last live entry since the last call and hold no deletion: they
    /// can leave the log as they are, wherever they are in it, since a later entry of each of
    /// their ids says more. (A deletion must stay while an older entry of its id may: those records
    /// go by compaction, oldest first.)
    /// </summary>
    public List<long> TakeEmptied()
    {
        var emptied = new List<long>();
        foreach (long record in _superseded)
        {
            if (_records.TryGetValue(record, out Counts counts) && counts is { Live: 0, Deletions: 0 })
            {
                emptied.Add(record);
            }
        }

        _superseded.Clear();
        emptied.Sort();
        return emptied;
    }

    private void Change(long record, int by)
    {
        ref Counts counts = ref CollectionsMarshal.GetValueRefOrNullRef(_records, record);
        if (Unsafe.IsNullRef(ref counts))
        {
            throw new KeyNotFoundException($"The log has no record {record}.");
        }

        counts = counts with { Live = counts.Live + by };
        LiveEntries += by;
    }

    /// <summary>
    /// Compaction waits for this many superseded entries per live one: the log may grow to three
    /// times its live entries. Under updates spread over every resource, an entry of the oldest
    /// records is still live with a chance of about e^-(1 + this), so a step writes again about
    /// 0.16 live entries per superseded one it drops at 1, and 0.05 at 2 (issue 7: under PATCH of
    /// 10,000 users compaction was 7.5% of the samples; at 2, PATCH was 3–6% faster, alternated).
    /// Tests lower it as they do the others.
    /// </summary>
    internal static int DeadPerLive { get; set; } = DefaultDeadPerLive;

    /// <summary>What <see cref="DeadPerLive"/> is unless a test lowers it.</summary>
    public const int DefaultDeadPerLive = 2;

    /// <summary>Whether the log holds <see cref="DeadPerLive"/> superseded entries per live one, and enough of them to be worth a step.</summary>
    public bool WantsCompaction => DeadEntries >= Math.Max(_deadPerLive * LiveEntries, _minDeadEntries);

    /// <summary>The oldest records, up to about <see cref="EntriesPerStep"/> entries (one at least): what a compaction step takes.</summary>
    public List<long> OldestForStep()
    {
        var taken = new List<long>();
        long entries = 0;
        foreach (long record in _order)
        {
            Counts counts = _records[record];
            if (taken.Count > 0 && entries + counts.Entries > _entriesPerStep)
            {
                break;
            }

            taken.Add(record);
            entries += counts.Entries;
        }

        return taken;
    }

    /// <summary><paramref name="records"/> left the log (their live entries were written again elsewhere, and counted there); one already gone is skipped.</summary>
    public void Removed(IEnumerable<long> records)
    {
        foreach (long record in records)
        {
            if (_records.Remove(record, out Counts counts))
            {
                _order.Remove(record);
                Entries -= counts.Entries;
                LiveEntries -= counts.Live;
            }
        }
    }

    private readonly record struct Counts(int Entries, int Live, int Deletions, long Slot);
}
