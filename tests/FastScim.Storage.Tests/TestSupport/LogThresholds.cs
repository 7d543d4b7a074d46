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
    /// <remarks>A threshold not given stays as it is; <paramref name="emptiedKept"/> is how many emptied records are kept to be written over (<see cref="LogLedger.EmptiedToKeep"/>), <paramref name="deadPerLive"/> how many superseded entries per live one compaction waits for (<see cref="LogLedger.DeadPerLive"/>).</remarks>
    public static IDisposable Lower(int? minDeadEntries = null, int? entriesPerStep = null, int? emptiedKept = null, int? deadPerLive = null) =>
        new Lowered((minDeadEntries ?? LogLedger.MinDeadEntries, entriesPerStep ?? LogLedger.EntriesPerStep, emptiedKept ?? LogLedger.EmptiedToKeep, deadPerLive ?? LogLedger.DeadPerLive));

    private sealed class Lowered : IDisposable
    {
        private readonly (int MinDead, int PerStep, int Kept, int DeadPerLive) _before = Current;

        public Lowered((int MinDead, int PerStep, int Kept, int DeadPerLive) thresholds) => Current = thresholds;

        public void Dispose() => Current = _before;

        private static (int MinDead, int PerStep, int Kept, int DeadPerLive) Current
        {
            get => (LogLedger.MinDeadEntries, LogLedger.EntriesPerStep, LogLedger.EmptiedToKeep, LogLedger.DeadPerLive);
            set => (LogLedger.MinDeadEntries, LogLedger.EntriesPerStep, LogLedger.EmptiedToKeep, LogLedger.DeadPerLive) = value;
        }
    }
}
