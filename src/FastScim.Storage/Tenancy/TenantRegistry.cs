using System.Buffers.Binary;
using System.Security.Cryptography;
using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tenancy;

/// <summary>A tenant as listed by <see cref="TenantRegistry.ListTenants"/>.</summary>
public sealed record TenantInfo(string Name, DateTimeOffset Created);

/// <summary>A token as listed by <see cref="TenantRegistry.ListTokens"/>: its display prefix, never its hash.</summary>
public sealed record TokenInfo(string Prefix, DateTimeOffset Created);

/// <summary>
/// The tenants and their tokens, in <c>{data}/registry.db</c>. Tokens are stored only as SHA-256
/// hashes. <see cref="Authenticate"/> runs on every request: it reads an immutable in-memory map
/// (hash → tenant) that is rebuilt and swapped whenever the registry changes through this object,
/// so readers never lock and a new token works at once.
/// </summary>
/// <remarks>
/// Every change is fsynced before the method returns. The registry file is opened exclusively: a second process (the CLI) cannot open it while the
/// server runs, and must ask the server instead (LiteDB #2163).
/// </remarks>
public sealed class TenantRegistry : IDisposable
{
    private const string Tenants = "tenants";
    private const string Tokens = "tokens";
    private const string Compatibility = "compatibility";

    private readonly LiteDbFile _file;

    // Every write begins and commits its transaction under this lock, one at a time: besides what it
    // guards here, that keeps LiteDB's transaction ids growing along its log, which the log's reuse
    // after a checkpoint relies on (DurableFileStream).
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot;

    private TenantRegistry(string dataDirectory, LiteDbFile file)
    {
        DataDirectory = dataDirectory;
        _file = file;
        Database.GetCollection(Tokens).EnsureIndex("tenant", "$.tenant", unique: false);
        _snapshot = LoadSnapshot();
    }

    public string DataDirectory { get; }

    /// <summary>The directory holding one LiteDB file per tenant.</summary>
    public string TenantsDirectory => Path.Combine(DataDirectory, "tenants");

    private LiteDatabase Database => _file.Database;

    /// <summary>Opens (creating if needed) the registry under <paramref name="dataDirectory"/>.</summary>
    public static TenantRegistry Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        string full = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(Path.Combine(full, "tenants"));
        LiteDbFile file = LiteDbFile.Open(Path.Combine(full, "registry.db"));
        try
        {
            return new TenantRegistry(full, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The LiteDB file of a tenant: <c>{data}/tenants/{name}.db</c>.</summary>
    public string TenantFilePath(string name)
    {
        TenantName.Validate(name);
        return Path.Combine(TenantsDirectory, name + ".db");
    }

    /// <summary>
    /// The stores of this registry's tenants, each opened on first use (one LiteDB file per
    /// tenant) and kept in a bounded LRU. The server opens them so, and so does the CLI when no
    /// server runs (under the data directory's lock). A tenant not in the registry is refused
    /// rather than opened, so that a deleted tenant is never recreated.
    /// </summary>
    public TenantStoreCache OpenStores(int capacity = TenantStoreCache.DefaultCapacity) => new(
        tenant => Exists(tenant)
            ? new LiteDbTenantStore(tenant, TenantFilePath(tenant), ResourceCodecs.User, ResourceCodecs.Group)
            : throw new InvalidOperationException($"The tenant '{tenant}' no longer exists."),
        capacity);

    public IReadOnlyList<TenantInfo> ListTenants()
    {
        lock (_writeLock)
        {
            return [.. Database.GetCollection(Tenants).FindAll()
                .Select(static d => new TenantInfo(d["_id"].AsString, ToOffset(d["created"])))
                .OrderBy(static t => t.Name, StringComparer.Ordinal)];
        }
    }

    public bool Exists(string name) => name is not null && _snapshot.Tenants.ContainsKey(name);

    /// <summary>The tenant's settings (read on every request: from the in-memory snapshot, no I/O).</summary>
    public TenantSettings SettingsOf(string tenant) =>
        tenant is not null && _snapshot.Tenants.TryGetValue(tenant, out var settings) ? settings : TenantSettings.Default;

    /// <summary>Stores a tenant's settings (durably) and serves them from the next request on.</summary>
    public void UpdateSettings(string tenant, TenantSettings settings)
    {
        TenantName.Validate(tenant);
        ArgumentNullException.ThrowIfNull(settings);
        lock (_writeLock)
        {
            var document = Database.GetCollection(Tenants).FindById(tenant)
                ?? throw new InvalidOperationException($"Tenant '{tenant}' does not exist.");
            document["settings"] = new BsonDocument { ["groupPatchNoContent"] = settings.GroupPatchNoContent, ["strictCompatibility"] = settings.StrictCompatibility };
            Database.GetCollection(Tenants).Update(document);
            _file.FlushLogToDisk();
            _snapshot = LoadSnapshot();
        }
    }

    /// <summary>What the compatibility rules did (every tenant, or one), as last saved.</summary>
    public IReadOnlyList<CompatibilityRecord> CompatibilityRecords(string? tenant = null)
    {
        var collection = Database.GetCollection(Compatibility);
        var documents = tenant is null ? collection.FindAll() : collection.Find(BsonExpression.Create("$.tenant = @0", tenant));
        return [.. documents.Select(static d => new CompatibilityRecord(
            d["tenant"].AsString,
            d["client"].AsString,
            d["rule"].AsString,
            d["count"].AsInt64,
            new DateTimeOffset(d["lastSeen"].AsDateTime.ToUniversalTime(), TimeSpan.Zero),
            d["example"].AsString))];
    }

    /// <summary>Stores the given records (their totals replace what was stored), durably; records of deleted tenants are dropped.</summary>
    public void SaveCompatibility(IReadOnlyCollection<CompatibilityRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_writeLock)
        {
            var collection = Database.GetCollection(Compatibility);
            foreach (var record in records)
            {
                if (!_snapshot.Tenants.ContainsKey(record.Tenant))
                {
                    continue;
                }

                collection.Upsert(new BsonDocument
                {
                    ["_id"] = string.Join('\n', record.Tenant, record.Client, record.Rule),
                    ["tenant"] = record.Tenant,
                    ["client"] = record.Client,
                    ["rule"] = record.Rule,
                    ["count"] = record.Count,
                    ["lastSeen"] = record.LastSeen.UtcDateTime,
                    ["example"] = record.Example,
                });
            }

            _file.FlushLogToDisk();
        }
    }

    /// <summary>
    /// Creates a tenant and its first token, returned in clear text: it is shown once and never
    /// stored. Throws <see cref="ArgumentException"/> for an invalid name and
    /// <see cref="InvalidOperationException"/> when the tenant exists.
    /// </summary>
    public string CreateTenant(string name)
    {
        TenantName.Validate(name);
        lock (_writeLock)
        {
            if (Database.GetCollection(Tenants).FindById(name) is not null)
            {
                throw new InvalidOperationException($"Tenant '{name}' already exists.");
            }

            string token = AccessToken.Create();
            DateTime now = DateTime.UtcNow;
            Database.BeginTrans();
            try
            {
                Database.GetCollection(Tenants).Insert(new BsonDocument { ["_id"] = name, ["created"] = now });
                Database.GetCollection(Tokens).Insert(TokenDocument(name, token, now));
                Database.Commit();
                _file.FlushLogToDisk();
            }
            catch
            {
                Database.Rollback();
                throw;
            }

            _snapshot = LoadSnapshot();
            return token;
        }
    }

    /// <summary>
    /// Deletes a tenant, its tokens and its files. Use only when no store of the tenant is open
    /// (the CLI with the server stopped); a running server uses <see cref="DeleteTenantAsync"/>.
    /// Returns false when there is no such tenant.
    /// </summary>
    public bool DeleteTenant(string name) =>
        DeleteTenantAsync(name, static _ => ValueTask.CompletedTask).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Deletes a tenant: first its registry entry and tokens (so no request authenticates for it
    /// any more), then awaits <paramref name="closeStore"/> (e.g. <see cref="TenantStoreCache.CloseAsync"/>)
    /// so its open store finishes its writes and closes, then deletes its files.
    /// </summary>
    public async ValueTask<bool> DeleteTenantAsync(string name, Func<string, ValueTask> closeStore)
    {
        TenantName.Validate(name);
        ArgumentNullException.ThrowIfNull(closeStore);
        lock (_writeLock)
        {
            if (Database.GetCollection(Tenants).FindById(name) is null)
            {
                return false;
            }

            Database.BeginTrans();
            try
            {
                Database.GetCollection(Tokens).DeleteMany(BsonExpression.Create("$.tenant = @0", name));
                Database.GetCollection(Compatibility).DeleteMany(BsonExpression.Create("$.tenant = @0", name));
                Database.GetCollection(Tenants).Delete(name);
                Database.Commit();
                _file.FlushLogToDisk();
            }
            catch
            {
                Database.Rollback();
                throw;
            }

            _snapshot = LoadSnapshot();
        }

        await closeStore(name).ConfigureAwait(false);
        foreach (string file in LiteDbFile.FilesOf(TenantFilePath(name)))
        {
            File.Delete(file);
        }

        return true;
    }

    /// <summary>A new token for an existing tenant, in clear text, shown once.</summary>
    public string CreateToken(string tenant)
    {
        TenantName.Validate(tenant);
        lock (_writeLock)
        {
            ThrowIfNoTenant(tenant);
            string token = AccessToken.Create();
            Database.GetCollection(Tokens).Insert(TokenDocument(tenant, token, DateTime.UtcNow));
            _file.FlushLogToDisk();
            _snapshot = LoadSnapshot();
            return token;
        }
    }

    /// <summary>
    /// Revokes the tenant's tokens whose display prefix (<see cref="AccessToken.DisplayPrefixLength"/>
    /// characters, as <see cref="ListTokens"/> shows it) equals <paramref name="prefix"/> exactly.
    /// Returns how many were revoked: normally 1, 0 when none matches. Two tokens sharing a
    /// prefix (42 random bits) is improbable; if it happens both are revoked, since the operator
    /// cannot tell them apart either. Shorter prefixes are not accepted, so one typo cannot
    /// revoke several tokens.
    /// </summary>
    public int RevokeToken(string tenant, string prefix)
    {
        TenantName.Validate(tenant);
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_writeLock)
        {
            ThrowIfNoTenant(tenant);
            int revoked = Database.GetCollection(Tokens).DeleteMany(
                BsonExpression.Create("$.tenant = @0 AND $.prefix = @1", tenant, prefix));
            if (revoked > 0)
            {
                _file.FlushLogToDisk();
                _snapshot = LoadSnapshot();
            }

            return revoked;
        }
    }

    public IReadOnlyList<TokenInfo> ListTokens(string tenant)
    {
        TenantName.Validate(tenant);
        lock (_writeLock)
        {
            ThrowIfNoTenant(tenant);
            return [.. Database.GetCollection(Tokens).Find(BsonExpression.Create("$.tenant = @0", tenant))
                .Select(static d => new TokenInfo(d["prefix"].AsString, ToOffset(d["created"])))
                .OrderBy(static t => t.Created)];
        }
    }

    /// <summary>
    /// The tenant a bearer token belongs to, or null. Allocation-free: hashes into stack buffers,
    /// looks its 128-bit key (<see cref="KeyOf"/>) up in the current snapshot and compares the stored hash in constant time.
    /// </summary>
    public string? Authenticate(ReadOnlySpan<char> bearerToken)
    {
        Span<byte> hash = stackalloc byte[AccessToken.HashLength];
        if (!AccessToken.TryHash(bearerToken, hash))
        {
            return null;
        }

        return _snapshot.Tokens.TryGetValue(KeyOf(hash), out TokenEntry? entry) && CryptographicOperations.FixedTimeEquals(entry.Hash, hash)
            ? entry.Tenant
            : null;
    }

    public void Dispose() => _file.Dispose();

    private void ThrowIfNoTenant(string tenant)
    {
        if (Database.GetCollection(Tenants).FindById(tenant) is null)
        {
            throw new InvalidOperationException($"Tenant '{tenant}' does not exist.");
        }
    }

    private static BsonDocument TokenDocument(string tenant, string token, DateTime created)
    {
        byte[] hash = AccessToken.Hash(token);
        return new BsonDocument
        {
            ["_id"] = Convert.ToHexStringLower(hash),
            ["hash"] = hash,
            ["tenant"] = tenant,
            ["prefix"] = AccessToken.DisplayPrefix(token),
            ["created"] = created,
        };
    }

    private Snapshot LoadSnapshot()
    {
        var tenants = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        foreach (BsonDocument tenant in Database.GetCollection(Tenants).FindAll())
        {
            var settings = tenant["settings"] is { IsDocument: true } stored
                ? new TenantSettings
                {
                    GroupPatchNoContent = stored.AsDocument["groupPatchNoContent"] is { IsBoolean: true, AsBoolean: true },
                    StrictCompatibility = stored.AsDocument["strictCompatibility"] is { IsBoolean: true, AsBoolean: true },
                }
                : TenantSettings.Default;
            tenants.Add(tenant["_id"].AsString, settings);
        }

        var tokens = new Dictionary<UInt128, TokenEntry>();
        foreach (BsonDocument token in Database.GetCollection(Tokens).FindAll())
        {
            byte[] hash = token["hash"].AsBinary;
            if (hash.Length != AccessToken.HashLength)
            {
                continue; // matches no bearer value (Authenticate compares whole hashes)
            }

            tokens[KeyOf(hash)] = new TokenEntry(hash, token["tenant"].AsString);
        }

        return new Snapshot(tenants, tokens);
    }

    private static DateTimeOffset ToOffset(BsonValue value) => new(value.AsDateTime.ToUniversalTime());

    /// <summary>
    /// A token's key in the snapshot: the first half of its SHA-256, read as a number, so that the
    /// lookup on every request neither formats the hash as hex nor hashes a string. The whole hash
    /// is still compared; two stored tokens agreeing in 128 bits is not a case to plan for.
    /// </summary>
    private static UInt128 KeyOf(ReadOnlySpan<byte> hash) => BinaryPrimitives.ReadUInt128LittleEndian(hash);

    private sealed record TokenEntry(byte[] Hash, string Tenant);

    private sealed record Snapshot(Dictionary<string, TenantSettings> Tenants, Dictionary<UInt128, TokenEntry> Tokens);
}
