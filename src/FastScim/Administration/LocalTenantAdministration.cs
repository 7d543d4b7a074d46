using System.IO.Pipelines;
using FastScim.Server.Admin;
using FastScim.Server.Hosting;
using FastScim.Storage.Tenancy;

namespace FastScim.Administration;

/// <summary>Administration on the data files while no server runs (the lock is held meanwhile).</summary>
internal sealed class LocalTenantAdministration(FileStream dataLock, TenantRegistry registry, TextWriter errorLog) : ITenantAdministration
{
    private TenantStoreCache? _stores;
    private TenantTransfer? _transfer;

    public Task<IReadOnlyList<TenantInfo>> ListTenantsAsync() => Task.FromResult(registry.ListTenants());

    public Task<string> CreateTenantAsync(string name) => Task.FromResult(registry.CreateTenant(name));

    public Task DeleteTenantAsync(string name)
    {
        RequireTenant(name);
        registry.DeleteTenant(name);
        return Task.CompletedTask;
    }

    public Task<string> CreateTokenAsync(string tenant)
    {
        RequireTenant(tenant);
        return Task.FromResult(registry.CreateToken(tenant));
    }

    public Task<int> RevokeTokenAsync(string tenant, string prefix)
    {
        RequireTenant(tenant);
        return Task.FromResult(registry.RevokeToken(tenant, prefix));
    }

    public Task<IReadOnlyList<TokenInfo>> ListTokensAsync(string tenant)
    {
        RequireTenant(tenant);
        return Task.FromResult(registry.ListTokens(tenant));
    }

    public Task<(int Status, byte[] Body)> BulkAsync(string tenant, ReadOnlyMemory<byte> bulkRequest)
    {
        RequireTenant(tenant);
        return Transfer.BulkAsync(tenant, bulkRequest);
    }

    public async Task ExportAsync(string tenant, Stream output)
    {
        RequireTenant(tenant);
        var writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await Transfer.ExportAsync(tenant, writer).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }

    public Task<IReadOnlyDictionary<string, string>> SettingsAsync(string tenant, string? name, string? value)
    {
        RequireTenant(tenant);
        var settings = registry.SettingsOf(tenant);
        if (name is not null && value is not null)
        {
            settings = TenantSettingNames.With(settings, name, value);
            registry.UpdateSettings(tenant, settings);
        }

        return Task.FromResult(TenantSettingNames.Describe(settings));
    }

    public Task<IReadOnlyList<CompatibilityRecord>> CompatibilityReportAsync(string tenant)
    {
        RequireTenant(tenant);
        return Task.FromResult(CompatibilityRecord.InReportOrder(registry.CompatibilityRecords(tenant)));
    }

    public async ValueTask DisposeAsync()
    {
        // The stores first: their queued writes become durable before the files are let go.
        if (_stores is not null)
        {
            await _stores.DisposeAsync().ConfigureAwait(false);
        }

        registry.Dispose();
        await dataLock.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The tenant's stores opened in this process, as the server would open them. With no server
    /// to say where it serves, URLs in exported resources name the default address.
    /// </summary>
    private TenantTransfer Transfer => _transfer ??= new TenantTransfer(registry, _stores = registry.OpenStores(), new Uri(ScimServerOptions.DefaultUrl), errorLog);

    private void RequireTenant(string name)
    {
        if (!registry.Exists(name))
        {
            throw new AdministrationException($"There is no tenant '{name}'.");
        }
    }
}
