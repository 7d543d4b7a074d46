namespace FastScim.Storage.Tenancy;

/// <summary>
/// How often one compatibility rule fired for one tenant and client (requests that needed it),
/// when it last did, and one example request with credentials and passwords redacted.
/// </summary>
public sealed record CompatibilityRecord(string Tenant, string Client, string Rule, long Count, DateTimeOffset LastSeen, string Example)
{
    /// <summary>The order a report shows rows in: most frequent first, then by rule and client.</summary>
    public static IReadOnlyList<CompatibilityRecord> InReportOrder(IEnumerable<CompatibilityRecord> records) =>
        [.. records.OrderByDescending(static r => r.Count).ThenBy(static r => r.Rule, StringComparer.Ordinal).ThenBy(static r => r.Client, StringComparer.Ordinal)];
}
