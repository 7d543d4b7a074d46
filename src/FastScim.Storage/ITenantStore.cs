using FastScim.Core.Resources;

namespace FastScim.Storage;

/// <summary>
/// One tenant's resources. The LiteDB implementation keeps one file per tenant; the interface
/// lets a server-based backend take its place for deployments that outgrow one machine.
/// </summary>
public interface ITenantStore : IAsyncDisposable
{
    string Tenant { get; }
    IResourceCollection<User> Users { get; }
    IGroupCollection Groups { get; }
}
