namespace FastScim.Core.Resources;

/// <summary>The "meta" complex attribute common to every resource (RFC 7643 §3.1).</summary>
public sealed class ResourceMeta
{
    public string? ResourceType { get; set; }
    public DateTimeOffset? Created { get; set; }
    public DateTimeOffset? LastModified { get; set; }

    /// <summary>The weak entity tag of the current version, e.g. <c>W/"3"</c> (RFC 7644 §3.14).</summary>
    public string? Version { get; set; }

    /// <summary>The resource's URI; computed per request from the tenant's base URL, never stored.</summary>
    public string? Location { get; set; }

    /// <summary>
    /// Where the resource's collection is (its URI without the id, ending in '/'): when
    /// <see cref="Location"/> is null the writer writes this followed by the id, so a response
    /// needs no location string of its own (the prefix is shared by every response of the tenant).
    /// </summary>
    public string? LocationBase { get; set; }

    /// <summary>
    /// The stored version's kept response JSON, shared by its copies; null for a resource that is
    /// not a stored version as it was read. Whoever changes a copy's content must drop it (set it
    /// to null); a new meta (every write makes one) has none.
    /// </summary>
    public ResourceRendering? Rendering { get; set; }

    /// <summary>A copy of <paramref name="meta"/>, or null.</summary>
    public static ResourceMeta? CopyOf(ResourceMeta? meta) => meta is null ? null : new ResourceMeta
    {
        ResourceType = meta.ResourceType,
        Created = meta.Created,
        LastModified = meta.LastModified,
        Version = meta.Version,
        Location = meta.Location,
        LocationBase = meta.LocationBase,
        Rendering = meta.Rendering,
    };
}
