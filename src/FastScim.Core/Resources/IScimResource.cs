namespace FastScim.Core.Resources;

/// <summary>The common attributes every resource has (RFC 7643 §3.1). Implemented by generated resource types.</summary>
public interface IScimResource
{
    string? Id { get; set; }
    string? ExternalId { get; set; }
    ResourceMeta? Meta { get; set; }
}
