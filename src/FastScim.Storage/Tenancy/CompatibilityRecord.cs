namespace FastScim.Storage.Tenancy;

/// <summary>
/// How often one compatibility rule fired for one tenant and client (requests that needed it),
/// when it last did, and one example request with credentials and passwords redacted.
/// </summary>
public sealed record CompatibilityRecord(string Tenant, string Client, string Rule, long Count, DateTimeOffset LastSeen, string Example);
