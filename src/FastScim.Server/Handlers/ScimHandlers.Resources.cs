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
    /// the resource durably, and answers 201 with the resource, Location and ETag (§3.3; in a Bulk
    /// request without the resource, <see cref="ScimRequest.SuccessBodyUnused"/>).
    /// </summary>
    private static async Task CreateAsync<T>(ScimRequest request, T resource, IResourceCollection<T> collection, ResourceKind kind, bool reread = false)
        where T : class, IScimResource
    {
        var now = ResourceClock.Now();
        // RFC 7643 §3.1: unique, stable, never reassigned; time-ordered UUIDs (ResourceId).
        resource.Id = ResourceId.New(now);
        resource.Meta = new ResourceMeta
        {
            ResourceType = kind.Name,
            Created = now,
            LastModified = now,
            Version = EntityTag.First,
        };

        await WriteTurn.QueueAsync(request.WriteTurn, (collection, resource, request.Aborted), static s => s.collection.CreateAsync(s.resource, s.Aborted)).ConfigureAwait(false);

        // The store may have completed what was sent (a group's member types): answer what it holds
        // (unless no body is sent: a Bulk operation's success), a copy of its own. Otherwise the
        // store keeps resource itself as the version it stored (IResourceCollection.CreateAsync),
        // which readers share from now on: the response must not change it.
        if (reread && !request.SuccessBodyUnused)
        {
            await SendResourceAsync(request, collection.Find(resource.Id) ?? kind.Copy(resource), kind, 201, includeLocation: true).ConfigureAwait(false);
            return;
        }

        await SendResourceAsync(request, resource, kind, 201, includeLocation: true, shared: true).ConfigureAwait(false);
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

        var body = JsonResponseBuffer.Rent();
        WriteStored(request, body.Writer, resource, kind, ProjectionOf(request, kind));
        return ScimResponse.SendAsync(request.Features, 200, body, resource.Meta?.Version);
    }

    /// <summary>
    /// A query (RFC 7644 §3.4.2): filter, paging, projection; <paramref name="fetch"/> runs it
    /// against the store and may answer the store's shared resources (they are only read here).
    /// </summary>
    private static Task ListAsync<T>(ScimRequest request, ResourceKind kind, Func<SearchRequest, ResourcePage<T>> fetch)
        where T : class, IScimResource
    {
        var search = request.Search;
        var paging = search.Paging;
        var page = fetch(search);
        var body = JsonResponseBuffer.Rent();
        var projection = ProjectionOf(request, kind);
        if (page.Renderings is { } renderings && projection is null)
        {
            ListResponse.Write(body.Writer, new StoredPage<T>(page.Resources, renderings), page.TotalResults, paging.StartIndex, (request, kind), static (w, item, p) => WriteStored(p.request, w, item.Resource, item.Rendering, p.kind, projection: null));
        }
        else
        {
            ListResponse.Write(body.Writer, page.Resources, page.TotalResults, paging.StartIndex, (request, kind, projection), static (w, r, p) => WriteStored(p.request, w, r, p.kind, p.projection));
        }

        return ScimResponse.SendAsync(request.Features, 200, body);
    }

    /// <summary>A page's resources with their stored versions' renderings (<see cref="ResourcePage{T}.Renderings"/>), read pairwise.</summary>
    private sealed class StoredPage<T>(IReadOnlyList<T> resources, IReadOnlyList<ResourceRendering?> renderings) : IReadOnlyList<(T Resource, ResourceRendering? Rendering)>
    {
        public int Count => resources.Count;

        public (T Resource, ResourceRendering? Rendering) this[int index] => (resources[index], renderings[index]);

        public IEnumerator<(T Resource, ResourceRendering? Rendering)> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// Answers with <paramref name="resource"/>. The caller's own is completed in place
    /// (<see cref="Prepare"/>). One the store shares with its readers (<paramref name="shared"/>: a
    /// created resource, an updated one) is written as it is when nothing is derived for it (a user
    /// in no group; meta.location from the request), else from a completed copy: the store keeps
    /// the version without a copy of its own (issue 7: ≈330 B a POST or a PATCH).
    /// </summary>
    private static Task SendResourceAsync(ScimRequest request, IScimResource resource, ResourceKind kind, int status, bool includeLocation, bool shared = false)
    {
        var locationBase = request.CollectionUrl(kind.Endpoint);
        var location = includeLocation ? locationBase + resource.Id : null;
        // RFC 7644 §3.7.3: for a Bulk operation's normal completion the server MAY omit the response body.
        if (request.SuccessBodyUnused && status is >= 200 and < 300)
        {
            ScimResponse.SendEmpty(request.Features, status, resource.Meta?.Version, location);
            return Task.CompletedTask;
        }

        IScimResource shown;
        if (shared)
        {
            shown = Shown(request, resource, kind);
        }
        else
        {
            Prepare(request, resource, kind);
            shown = resource;
        }

        var body = JsonResponseBuffer.Rent();
        WriteProjected(body.Writer, shown, kind, ProjectionOf(request, kind), locationBase);
        return ScimResponse.SendAsync(request.Features, status, body, resource.Meta?.Version, location);
    }

    /// <summary>
    /// A resource the store shares as a response shows it, never changing it: itself when the
    /// response adds nothing to it but meta.location (a user in no group, whose "groups" it has none
    /// of; the writer takes the location from the request), else a copy completed for the request.
    /// </summary>
    private static IScimResource Shown(ScimRequest request, IScimResource resource, ResourceKind kind)
    {
        if (kind.DerivedVersion(request, resource) == IGroupCollection.NoGroups && kind.Agrees(resource, IGroupCollection.NoGroups))
        {
            return resource;
        }

        return Completed(request, resource, kind);
    }

    /// <summary>A copy of a resource the store shares, completed for <paramref name="request"/> (<see cref="Prepare"/>).</summary>
    private static IScimResource Completed(ScimRequest request, IScimResource resource, ResourceKind kind)
    {
        var completed = kind.Copy(resource);
        Prepare(request, completed, kind);
        return completed;
    }

    /// <summary>RFC 7644 §3.4.2.5 / §3.9: the attributes the client asked for, on every answer that carries resources.</summary>
    private static AttributeProjection? ProjectionOf(ScimRequest request, ResourceKind kind) => request.Projection(kind.Schema);

    /// <param name="locationBase">The collection's URI, for a meta.location the resource's meta does not say (a resource written as the store shares it).</param>
    private static void WriteProjected(Utf8JsonWriter writer, IScimResource resource, ResourceKind kind, AttributeProjection? projection, string? locationBase = null)
    {
        if (projection is null)
        {
            kind.Write(writer, resource, locationBase);
            return;
        }

        var full = JsonResponseBuffer.Rent();
        try
        {
            kind.Write(full.Writer, resource, locationBase);
            projection.Copy(full.WrittenMemory.Span, writer);
        }
        finally
        {
            full.Return();
        }
    }

    /// <summary>
    /// Writes one resource a read found (RFC 7644 §3.4): the stored version's kept JSON when it was
    /// rendered under this request's collection URI and the same derived values (a user's groups),
    /// else a copy completed for this request, rendered and kept for the next read when nothing
    /// derived changed while it was completed. Never with a projection. <paramref name="resource"/>
    /// may be the store's shared one: it is never changed.
    /// </summary>
    private static void WriteStored(ScimRequest request, Utf8JsonWriter writer, IScimResource resource, ResourceKind kind, AttributeProjection? projection) =>
        WriteStored(request, writer, resource, projection is null ? ResourceRendering.Of(resource) : null, kind, projection);

    /// <param name="rendering">The stored version's kept rendering, when it may stand in (no projection): read from the resource, or from the page (<see cref="ResourcePage{T}.Renderings"/>) without touching it.</param>
    private static void WriteStored(ScimRequest request, Utf8JsonWriter writer, IScimResource resource, ResourceRendering? rendering, ResourceKind kind, AttributeProjection? projection)
    {
        var locationBase = request.CollectionUrl(kind.Endpoint);

        // Nothing the derived values come from has changed since the rendering was kept: no need
        // to work out this resource's own derived number (for a user, a membership lookup).
        var state = rendering is null ? null : kind.DerivedState(request);
        if (state is { } unchanged && rendering!.TryGetAtState(locationBase, unchanged, out var json))
        {
            writer.WriteRawValue(json.Span, skipInputValidation: true);
            return;
        }

        var derived = rendering is null ? null : kind.DerivedVersion(request, resource);
        if (derived is { } version && rendering!.TryGet(locationBase, version, out json))
        {
            // The same state before and after the derived number was read: it holds at that state.
            if (state is { } before && kind.DerivedState(request) == before)
            {
                rendering.NoteState(json, before);
            }

            writer.WriteRawValue(json.Span, skipInputValidation: true);
            return;
        }

        if (derived is null)
        {
            // Nothing is kept (a projection, or a group: its members are completed per read): written
            // as a create's or an update's answer is.
            WriteProjected(writer, Shown(request, resource, kind), kind, projection, locationBase);
            return;
        }

        // Completed whatever the derived number says: a rendering is kept only for what completing
        // read (NoGroups twice does not prove that no membership came and went in between).
        var completed = Completed(request, resource, kind);
        var full = JsonResponseBuffer.Rent();
        try
        {
            kind.Write(full.Writer, completed);
            var rendered = full.WrittenMemory.Span;

            // The same number after completing as before, and what was completed agrees with it:
            // then it belongs to that number. (NoGroups twice does not prove that no membership
            // came and went in between; an empty "groups" does.)
            if (kind.DerivedVersion(request, resource) == derived && kind.Agrees(completed, derived.Value))
            {
                var after = kind.DerivedState(request);
                rendering!.TryKeep(locationBase, derived.Value, rendered, state is { } before && after == before ? before : ResourceRendering.UnknownState);
            }

            writer.WriteRawValue(rendered, skipInputValidation: true);
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
        Action<Utf8JsonWriter, IScimResource, string?> write,
        Action<ScimRequest, IScimResource> complete,
        Func<IScimResource, IScimResource> copy,
        Func<ScimRequest, IScimResource, long?> derivedVersion,
        Func<ScimRequest, long?> derivedState,
        Func<IScimResource, long, bool> agrees)
    {
        public string Name { get; } = name;

        private ResourceSchema? _schema;

        public ResourceSchema Schema => _schema ??= ResourceSchema.ForResourceType(Name);
        public string Endpoint { get; } = endpoint;

        /// <summary>Writes the resource; <paramref name="locationBase"/>: the collection's URI, for a meta.location its meta does not say.</summary>
        public void Write(Utf8JsonWriter writer, IScimResource resource, string? locationBase = null) => write(writer, resource, locationBase);

        /// <summary><see cref="Write"/> as a delegate made once (for ToJson).</summary>
        public Action<Utf8JsonWriter, IScimResource> Writer => _writer ??= (w, r) => write(w, r, null);

        private Action<Utf8JsonWriter, IScimResource>? _writer;

        public void Complete(ScimRequest request, IScimResource resource) => complete(request, resource);

        /// <summary>A copy of a resource the store shares, to complete for one response.</summary>
        public IScimResource Copy(IScimResource resource) => copy(resource);

        /// <summary>
        /// A number for the values the response derives per request (beyond meta.location) from
        /// other resources, equal while they are; null when a kept rendering cannot stand in.
        /// </summary>
        public long? DerivedVersion(ScimRequest request, IScimResource resource) => derivedVersion(request, resource);

        /// <summary>
        /// A number for all the derived values come from, equal while every resource's
        /// <see cref="DerivedVersion"/> is (ResourceRendering.TryGetAtState); null when there is none.
        /// </summary>
        public long? DerivedState(ScimRequest request) => derivedState(request);

        /// <summary>Whether a completed resource's derived values are what <paramref name="derived"/> says (none for a user in no group).</summary>
        public bool Agrees(IScimResource completed, long derived) => agrees(completed, derived);
    }

    // A user's "groups" are derived per request from the memberships (RFC 7643 §4.1.2); a group's
    // members are stored apart from it and completed per request, so a group is never kept.
    private static readonly ResourceKind UserKind = new(
        "User",
        "/Users",
        static (w, r, l) => UserJson.Write(w, (User)r, l),
        static (q, r) => CompleteUser(q, (User)r),
        static r => ((User)r).Copy(),
        static (q, r) => q.Store.Groups.GroupsVersionOf(r.Id!),
        static q => q.Store.Groups.GroupsState,
        static (c, derived) => derived != IGroupCollection.NoGroups || ((User)c).Groups is null);

    private static readonly ResourceKind GroupKind = new(
        "Group",
        "/Groups",
        static (w, r, l) => GroupJson.Write(w, (Group)r, l),
        static (q, r) => CompleteGroup(q, (Group)r),
        static r => ((Group)r).Copy(),
        static (_, _) => null,
        static _ => null,
        static (_, _) => false);

    /// <summary>The URI of a User or Group of this tenant, for "$ref" (RFC 7643 §2.3.7).</summary>
    private static string ReferenceTo(ScimRequest request, string? type, string? id) =>
        request.CollectionUrl(type == "Group" ? GroupKind.Endpoint : UserKind.Endpoint) + id;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
