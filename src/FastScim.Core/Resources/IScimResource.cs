namespace FastScim.Core.Resources;

/// <summary>The common attributes every resource has (RFC 7643 §3.1). Implemented by generated resource types.</summary>
public interface IScimResource
{
    string? Id { get; set; }
    string? ExternalId { get; set; }
    ResourceMeta? Meta { get; set; }

    /// <summary>
    /// Leaves, of the attributes a client writes, what writing the resource as JSON, dropping empty
    /// objects and arrays (RFC 7643 §2.5: unassigned), and reading it back would leave: empty values
    /// and the readOnly attributes a reader drops go. Id, meta and never-returned attributes (the
    /// password) stay: the store and the handlers own them. A PATCH applied to the typed resource
    /// ends with it (<see cref="Patch.SimplePatch"/>). The return value means nothing for a resource.
    /// </summary>
    bool RemoveUnassigned();

    /// <summary>
    /// Whether <see cref="RemoveUnassigned"/> would find anything to remove or clear (or the resource
    /// is empty), without changing anything: a resource that shares its lists and complex values with
    /// a stored version is made its own before it is cleaned (<see cref="Patch.SimplePatch"/>).
    /// </summary>
    bool HasUnassigned();
}
