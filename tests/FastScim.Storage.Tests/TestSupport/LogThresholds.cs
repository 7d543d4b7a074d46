using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.TestSupport;

/// <summary>
/// The tests that lower <see cref="LogLedger"/>'s process-wide thresholds run one at a time (this
/// collection), so none opens a tenant while another has them changed.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class LogThresholds
{
    public const string Collection = "Log compaction thresholds";

    /// <summary>
    /// Lowers the thresholds so that the log compacts after a few writes, until disposed. A ledger
    /// takes them when its tenant opens: open (or reopen) the tenant after this.
    /// </summary>
    /// <remarks>A threshold not given stays as it is; <paramref name="emptiedKept"/> is how many emptied records are kept to be written over (<see cref="LogLedger.EmptiedToKeep"/>).</remarks>
    public static IDisposable Lower(int? minDeadEntries = null, int? entriesPerStep = null, int? emptiedKept = null) =>
        new Lowered(minDeadEntries ?? LogLedger.MinDeadEntries, entriesPerStep ?? LogLedger.EntriesPerStep, emptiedKept ?? LogLedger.EmptiedToKeep);

    private sealed class Lowered : IDisposable
    {
        private readonly (int MinDead, int PerStep, int Kept) _before = (LogLedger.MinDeadEntries, LogLedger.EntriesPerStep, LogLedger.EmptiedToKeep);

        public Lowered(int minDeadEntries, int entriesPerStep, int emptiedKept) =>
            (LogLedger.MinDeadEntries, LogLedger.EntriesPerStep, LogLedger.EmptiedToKeep) = (minDeadEntries, entriesPerStep, emptiedKept);

        public void Dispose() => (LogLedger.MinDeadEntries, LogLedger.EntriesPerStep, LogLedger.EmptiedToKeep) = _before;
    }
}
