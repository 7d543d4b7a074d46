using System.Globalization;
using System.Text.Json;
using FastScim.Core.Patch;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;
using FastScim.Server.Hosting;
using FastScim.Server.Io;
using FastScim.Storage;

namespace FastScim.Server.Handlers;

/// <summary>The steps every resource type shares: create (RFC 7644 §3.3), read (§3.4.1), list (§3.4.2).</summary>
internal static partial class ScimHandlers
{
    /// <summary>
    /// Assigns the server's id and meta (RFC 7643 §3.1: both are the service provider's), stores
    /// the resource durably, and answers 201 with the resource, Location and ETag (§3.3).
    /// </summary>
    private static async Task CreateAsync<T>(ScimRequest request, T resource, IResourceCollection<T> collection, ResourceKind kind, bool reread = false)
        where T : class, IScimResource
    {
        var now = ResourceClock.Now();
        // RFC 7643 §3.1: unique, stable, never reassigned. Version 7 (RFC 9562 §5.7) leads with the
        // time, so new ids sort after older ones: LiteDB adds each to its _id index next to the
        // last, on pages the writer has at hand, instead of at a random place in the index.
        resource.Id = Guid.CreateVersion7().ToString("D");
        resource.Meta = new ResourceMeta
        {
            ResourceType = kind.Name,
            Created = now,
            LastModified = now,
            Version = EntityTag.First,
        };

        await WriteTurn.QueueAsync(request.WriteTurn, () => collection.CreateAsync(resource, request.Aborted)).ConfigureAwait(false);

        // The store may have completed what was sent (a group's member types): answer what it holds.
        var stored = reread ? collection.Find(resource.Id) ?? resource : resource;
        await SendResourceAsync(request, stored, kind, 201, includeLocation: true).ConfigureAwait(false);
    }

    private static Task GetAsync<T>(ScimRequest request, T? resource, ResourceKind kind)
        where T : class, IScimResource
    {
        if (resource is null)
        {
            throw NotFound(request, kind.Name);
        }

        // RFC 7644 §3.14: a GET whose If-None-Match names the current version is 304 Not Modified.
        var ifNoneMatch = request.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && EntityTag.Matches(ifNoneMatch, resource.Meta?.Version))
        {
            ScimResponse.SendEmpty(request.Features, 304, resource.Meta?.Version);
            return Task.CompletedTask;
        }

        return SendResourceAsync(request, resource, kind, 200, includeLocation: false);
    }

    /// <summary>A query (RFC 7644 §3.4.2): filter, paging, projection; <paramref name="fetch"/> runs it against the store.</summary>
    private static Task ListAsync<T>(ScimRequest request, ResourceKind kind, Func<SearchRequest, ResourcePage<T>> fetch)
        where T : class, IScimResource
    {
        var search = request.Search;
        var paging = search.Paging;
        var page = fetch(search);
        var body = JsonResponseBuffer.Rent();
        foreach (var resource in page.Resources)
        {
            Prepare(request, resource, kind);
        }

        var projection = ProjectionOf(request, kind);
        ListResponse.Write(body.Writer, page.Resources, page.TotalResults, paging.StartIndex, (kind, projection), static (w, r, p) => WriteProjected(w, r, p.kind, p.projection));
        return ScimResponse.SendAsync(request.Features, 200, body);
    }

    private static Task SendResourceAsync<T>(ScimRequest request, T resource, ResourceKind kind, int status, bool includeLocation)
        where T : class, IScimResource
    {
        Prepare(request, resource, kind);
        var body = JsonResponseBuffer.Rent();
        WriteProjected(body.Writer, resource, kind, ProjectionOf(request, kind));
        var location = includeLocation ? request.CollectionUrl(kind.Endpoint) + resource.Id : null;
        return ScimResponse.SendAsync(request.Features, status, body, resource.Meta?.Version, location);
    }

    /// <summary>RFC 7644 §3.4.2.5 / §3.9: the attributes the client asked for, on every answer that carries resources.</summary>
    private static AttributeProjection? ProjectionOf(ScimRequest request, ResourceKind kind) => request.Projection(kind.Schema);

    private static void WriteProjected(Utf8JsonWriter writer, IScimResource resource, ResourceKind kind, AttributeProjection? projection)
    {
        if (projection is null)
        {
            if (kind.IsDefaultRendering(resource) && resource.Meta is { Rendering: { } rendering, LocationBase: { } locationBase, Location: null })
            {
                WriteKept(writer, resource, kind, rendering, locationBase);
                return;
            }

            kind.Write(writer, resource);
            return;
        }

        var full = JsonResponseBuffer.Rent();
        try
        {
            kind.Write(full.Writer, resource);
            projection.Copy(full.WrittenMemory.Span, writer);
        }
        finally
        {
            full.Return();
        }
    }

    /// <summary>
    /// A stored version's response as it was rendered before (the bytes copied), else rendered now
    /// and kept for the next read of it (within <see cref="ResourceRendering.Budget"/>).
    /// </summary>
    private static void WriteKept(Utf8JsonWriter writer, IScimResource resource, ResourceKind kind, ResourceRendering rendering, string locationBase)
    {
        if (rendering.TryGet(locationBase, out var kept))
        {
            writer.WriteRawValue(kept.Span, skipInputValidation: true);
            return;
        }

        var full = JsonResponseBuffer.Rent();
        try
        {
            kind.Write(full.Writer, resource);
            var json = full.WrittenMemory.Span;
            rendering.TryKeep(locationBase, json);
            writer.WriteRawValue(json, skipInputValidation: true);
        }
        finally
        {
            full.Return();
        }
    }

    /// <summary>
    /// Completes a resource for its response: meta.location (written as the collection's URI and
    /// the id, RFC 7643 §3.1) and what is derived per request (references).
    /// </summary>
    private static void Prepare(ScimRequest request, IScimResource resource, ResourceKind kind)
    {
        (resource.Meta ??= new ResourceMeta { ResourceType = kind.Name }).LocationBase = request.CollectionUrl(kind.Endpoint);
        kind.Complete(request, resource);
    }

    /// <summary>What differs between resource types in the shared steps.</summary>
    private sealed class ResourceKind(
        string name,
        string endpoint,
        Action<Utf8JsonWriter, IScimResource> write,
        Action<ScimRequest, IScimResource> complete,
        Func<IScimResource, bool> isDefaultRendering)
    {
        public string Name { get; } = name;

        private ResourceSchema? _schema;

        public ResourceSchema Schema => _schema ??= ResourceSchema.ForResourceType(Name);
        public string Endpoint { get; } = endpoint;

        public void Write(Utf8JsonWriter writer, IScimResource resource) => write(writer, resource);

        public void Complete(ScimRequest request, IScimResource resource) => complete(request, resource);

        /// <summary>
        /// Whether the completed resource writes exactly as its stored version (nothing derived per
        /// request in it), so its kept rendering may stand in for it.
        /// </summary>
        public bool IsDefaultRendering(IScimResource resource) => isDefaultRendering(resource);
    }

    // A user's "groups" are derived per request (RFC 7643 §4.1.2); a group's members are stored
    // apart from it and completed per request, so a group is never its stored version alone.
    private static readonly ResourceKind UserKind = new(
        "User", "/Users", static (w, r) => UserJson.Write(w, (User)r), static (q, r) => CompleteUser(q, (User)r), static r => ((User)r).Groups is null);

    private static readonly ResourceKind GroupKind = new(
        "Group", "/Groups", static (w, r) => GroupJson.Write(w, (Group)r), static (q, r) => CompleteGroup(q, (Group)r), static _ => false);

    /// <summary>The URI of a User or Group of this tenant, for "$ref" (RFC 7643 §2.3.7).</summary>
    private static string ReferenceTo(ScimRequest request, string? type, string? id) =>
        request.CollectionUrl(type == "Group" ? GroupKind.Endpoint : UserKind.Endpoint) + id;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
