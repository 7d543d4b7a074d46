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

    /// <summary>Changes one setting (<see cref="TenantSettingNames"/>) and answers the tenant's settings; null name or value: only answers them.</summary>
    Task<IReadOnlyDictionary<string, string>> SettingsAsync(string tenant, string? name, string? value);

    /// <summary>What the compatibility rules did for the tenant, most frequent first.</summary>
    Task<IReadOnlyList<CompatibilityRecord>> CompatibilityReportAsync(string tenant);
}
