namespace FastScim.Storage.Tests.TestSupport;

/// <summary>
/// The tests that lower <see cref="FastScim.Storage.LiteDb.LogLedger"/>'s process-wide thresholds
/// run one at a time, so none opens a tenant while another has them changed.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class LogThresholds
{
    public const string Collection = "Log compaction thresholds";
}
