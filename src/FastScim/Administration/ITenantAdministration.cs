using FastScim.Storage.Tenancy;

namespace FastScim.Administration;

/// <summary>Tenant and token administration, against a running server or, when none runs, the data files.</summary>
internal interface ITenantAdministration : IAsyncDisposable
{
    Task<IReadOnlyList<TenantInfo>> ListTenantsAsync();

    /// <summary>Creates the tenant and answers its first token.</summary>
    Task<string> CreateTenantAsync(string name);

    Task DeleteTenantAsync(string name);

    Task<string> CreateTokenAsync(string tenant);

    Task<int> RevokeTokenAsync(string tenant, string prefix);

    Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string tenant);

    /// <summary>
    /// Runs a BulkRequest (RFC 7644 §3.7) in the tenant, as <c>POST /Bulk</c> would. Answers its
    /// status and body: 200 with the BulkResponse, or a SCIM error (§3.12) refusing it whole.
    /// </summary>
    Task<(int Status, byte[] Body)> BulkAsync(string tenant, ReadOnlyMemory<byte> bulkRequest);

    /// <summary>Writes every User, then every Group, of the tenant to <paramref name="output"/> as one ListResponse (RFC 7644 §3.4.2).</summary>
    Task ExportAsync(string tenant, Stream output);

    /// <summary>Changes one setting (<see cref="TenantSettingNames"/>) and answers the tenant's settings; null name or value: only answers them.</summary>
    Task<IReadOnlyDictionary<string, string>> SettingsAsync(string tenant, string? name, string? value);

    /// <summary>What the compatibility rules did for the tenant, most frequent first.</summary>
    Task<IReadOnlyList<CompatibilityRecord>> CompatibilityReportAsync(string tenant);
}
