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
}
