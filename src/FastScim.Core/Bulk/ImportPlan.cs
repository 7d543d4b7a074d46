using System.Globalization;
using FastScim.Core.Discovery;

namespace FastScim.Core.Bulk;

/// <summary>
/// Plans <c>fastscim import</c>: turns the resources of an import file into BulkRequests (RFC 7644
/// §3.7) that stay within the advertised maxOperations and maxPayloadSize (§3.7.4), one POST per
/// resource, and keeps a map from each resource's old id to the id the server gave it, so that
/// the references between them (group <c>members</c>, the enterprise <c>manager</c>) name the new
/// ids: the new id when the target was created by an earlier chunk, <c>bulkId:</c> (§3.7.2) when
/// it is earlier in the same chunk, and a PATCH in a later chunk when the target comes later in
/// the file. No I/O: the caller reads the file and sends the chunks.
/// <list type="number">
/// <item>Declare every resource of the file (a first pass), so that references to resources later in the file are known.</item>
/// <item>Add the Users, Flush until it answers null; then the same for the Groups; then Finish.</item>
/// <item>Whenever Add or Flush answers a chunk, send it and Record the answer before the next call.</item>
/// </list>
/// Users go first so that every member of a group is created, or known to have failed, by the
/// time the groups are planned.
/// </summary>
public sealed partial class ImportPlan
{
    private readonly int _maxOperations;
    private readonly int _maxPayloadSize;

    // old id → Position of the resource that declared it first; ids are unique in a file (RFC 7643 §3.1)
    private readonly Dictionary<string, string> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _queue = new();
    private readonly List<FollowUp> _followUps = [];
    private readonly List<ImportProblem> _failures = [];
    private readonly List<ImportProblem> _skipped = [];
    private readonly int[] _declaredCount = new int[3];
    private readonly int[] _created = new int[3];
    private readonly int[] _failed = new int[3];
    private ImportChunk _chunk;
    private ImportChunk? _outstanding;
    private int _operations;

    public ImportPlan(int maxOperations = ServiceProviderConfig.BulkMaxOperations, int maxPayloadSize = ServiceProviderConfig.BulkMaxPayloadSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOperations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadSize, 256);
        _maxOperations = maxOperations;
        _maxPayloadSize = maxPayloadSize;
        _chunk = new ImportChunk(maxOperations, maxPayloadSize);
    }

    /// <summary>What was not imported as the file has it: failed resources, references not kept.</summary>
    public IReadOnlyList<ImportProblem> Failures => _failures;

    /// <summary>Resources that are neither Users nor Groups.</summary>
    public IReadOnlyList<ImportProblem> Skipped => _skipped;

    /// <summary>How many resources of this kind the file holds.</summary>
    public int Declared(ImportKind kind) => _declaredCount[(int)kind];

    public int Created(ImportKind kind) => _created[(int)kind];

    /// <summary>Resources of this kind that were not created.</summary>
    public int Failed(ImportKind kind) => _failed[(int)kind];

    /// <summary>The id the server gave the resource whose id in the file was <paramref name="oldId"/>, once created.</summary>
    public string? NewId(string oldId) => _entries.TryGetValue(oldId, out var entry) ? entry.NewId : null;

    /// <summary>First pass: registers a resource of the file, in file order. Reports the ones that cannot be imported.</summary>
    public void Declare(ImportResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Problem is not null)
        {
            (resource.Body is null ? _failures : _skipped)
                .Add(new ImportProblem(resource.ToString(), null, null, resource.Problem));
            return;
        }

        _declaredCount[(int)resource.Kind]++;
        if (resource.Id is { } id && !_declared.TryAdd(id, resource.Position))
        {
            _failed[(int)resource.Kind]++;
            _failures.Add(new ImportProblem(resource.ToString(), null, null, $"its id is also the id of the resource at {_declared[id]}; an id names one resource (RFC 7643 §3.1)."));
        }
    }

    /// <summary>
    /// Plans a declared User or Group (others were reported by <see cref="Declare"/> and are
    /// ignored). Answers a chunk to send when the resource does not fit into the one being built;
    /// it then waits for the next chunk.
    /// </summary>
    public ImportChunk? Add(ImportResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        RequireNothingOutstanding();
        if (resource.Problem is not null)
        {
            return null;
        }

        var entry = new Entry(resource, "r" + (++_operations).ToString(CultureInfo.InvariantCulture));
        if (resource.Id is { } id)
        {
            if (!_declared.TryGetValue(id, out var first))
            {
                throw new InvalidOperationException($"{resource} was not declared: declare every resource of the file before adding any.");
            }

            if (first != resource.Position)
            {
                return null; // a second resource with this id, reported by Declare
            }

            _entries[id] = entry;
        }

        _queue.Enqueue(entry);
        return Fill(flush: false);
    }

    /// <summary>Answers the chunk being built with what is waiting, or null when nothing waits (then the phase is done).</summary>
    public ImportChunk? Flush()
    {
        RequireNothingOutstanding();
        return Fill(flush: true);
    }

    /// <summary>Records the BulkResponse (RFC 7644 §3.7.3) a chunk was answered with.</summary>
    public void Record(ImportChunk chunk, ReadOnlySpan<byte> bulkResponse)
    {
        RequireOutstanding(chunk);
        IReadOnlyList<BulkResponseOperation> results;
        try
        {
            results = BulkResponse.Parse(bulkResponse);
        }
        catch (FormatException error)
        {
            Fail(chunk, null, null, error.Message);
            return;
        }

        var byBulkId = new Dictionary<string, BulkResponseOperation>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.BulkId is { } bulkId)
            {
                byBulkId.TryAdd(bulkId, result);
            }
        }

        foreach (var operation in chunk.Operations)
        {
            if (!byBulkId.TryGetValue(operation.BulkId, out var result))
            {
                Failed(operation, null, null, "the BulkResponse does not report this operation.");
            }
            else if (!result.Succeeded)
            {
                Failed(operation, result.Status, result.ScimType, result.Detail ?? "no detail given.");
            }
            else if (operation.Kind == ImportChunk.OperationKind.Create)
            {
                if (result.CreatedId is { Length: > 0 } id)
                {
                    operation.Subject.State = EntryState.Created;
                    operation.Subject.NewId = id;
                    _created[(int)operation.Subject.Resource.Kind]++;
                }
                else
                {
                    Failed(operation, result.Status, null, "the BulkResponse gives no location for the created resource.");
                }
            }
        }

        _outstanding = null;
    }

    /// <summary>Records that a chunk was refused as a whole (<paramref name="status"/> null: it could not be sent).</summary>
    public void Fail(ImportChunk chunk, int? status, string? scimType, string detail)
    {
        RequireOutstanding(chunk);
        foreach (var operation in chunk.Operations)
        {
            Failed(operation, status, scimType, detail);
        }

        _outstanding = null;
    }

    /// <summary>Ends the import: references still waiting for a resource that was never created are reported.</summary>
    public void Finish()
    {
        RequireNothingOutstanding();
        if (_queue.Count > 0 || _chunk.Count > 0)
        {
            throw new InvalidOperationException("Flush until it answers null before finishing.");
        }

        foreach (var followUp in _followUps)
        {
            if (followUp.Subject.State != EntryState.Created)
            {
                continue;
            }

            foreach (var member in followUp.Members)
            {
                _failures.Add(NotKept(followUp.Subject, "member", IdOf(member) ?? "?", "that resource was never imported."));
            }

            if (followUp.Manager is { } manager)
            {
                _failures.Add(NotKept(followUp.Subject, "manager", manager, "that resource was never imported."));
            }
        }

        _followUps.Clear();
    }

    /// <summary>Places what is ready: PATCHes whose targets now exist, then waiting resources; seals the chunk when the next does not fit.</summary>
    private ImportChunk? Fill(bool flush)
    {
        for (var i = 0; i < _followUps.Count; i++)
        {
            var followUp = _followUps[i];
            var placement = followUp.Subject.State switch
            {
                EntryState.Failed => Placement.Done, // the subject's own failure is reported
                EntryState.Created => Place(followUp),
                _ => Placement.Waiting,
            };
            if (placement == Placement.Full)
            {
                return Seal();
            }

            if (placement == Placement.Done)
            {
                _followUps.RemoveAt(i--);
            }
        }

        while (_queue.TryPeek(out var entry))
        {
            if (!PlaceCreate(entry))
            {
                return Seal();
            }

            _queue.Dequeue();
        }

        return flush && _chunk.Count > 0 ? Seal() : null;
    }

    private ImportChunk Seal()
    {
        _outstanding = _chunk.Seal();
        _chunk = new ImportChunk(_maxOperations, _maxPayloadSize);
        return _outstanding;
    }

    private void Failed(ImportChunk.Operation operation, int? status, string? scimType, string detail)
    {
        var subject = operation.Subject;
        switch (operation.Kind)
        {
            case ImportChunk.OperationKind.Create:
                subject.State = EntryState.Failed;
                _failed[(int)subject.Resource.Kind]++;
                _failures.Add(new ImportProblem(subject.Resource.ToString(), status, scimType, detail));
                break;
            case ImportChunk.OperationKind.AddMembers:
                _failures.Add(new ImportProblem(string.Create(CultureInfo.InvariantCulture, $"{subject.Resource}: adding {operation.Members} member(s)"), status, scimType, detail));
                break;
            default:
                _failures.Add(new ImportProblem($"{subject.Resource}: setting the manager", status, scimType, detail));
                break;
        }
    }

    /// <summary>Where the resource an old id names stands now.</summary>
    private (Target Target, Entry? Entry) Resolve(string oldId)
    {
        if (_entries.TryGetValue(oldId, out var entry))
        {
            return (entry.State switch
            {
                EntryState.Created => Target.Created,
                EntryState.InChunk => Target.InChunk,
                EntryState.Failed => Target.Failed,
                _ => Target.Pending,
            }, entry);
        }

        return (_declared.ContainsKey(oldId) ? Target.Pending : Target.Unknown, null);
    }

    private static ImportProblem NotKept(Entry subject, string reference, string oldId, string why) =>
        new(subject.Resource.ToString(), null, null, $"{reference} '{oldId}' not kept: {why}");

    private static ImportProblem NotKept(Entry subject, string reference, string oldId, Target target, Entry? entry) =>
        NotKept(subject, reference, oldId, target == Target.Failed
            ? $"{entry!.Resource} was not imported."
            : "no User or Group of the file has this id.");

    private void RequireNothingOutstanding()
    {
        if (_outstanding is not null)
        {
            throw new InvalidOperationException("Record the answer to the last chunk first.");
        }
    }

    private void RequireOutstanding(ImportChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (!ReferenceEquals(chunk, _outstanding))
        {
            throw new InvalidOperationException("This chunk is not the one waiting for its answer.");
        }
    }

    /// <summary>A User or Group of the file as the plan follows it.</summary>
    internal sealed class Entry(ImportResource resource, string bulkId)
    {
        public ImportResource Resource { get; } = resource;

        /// <summary>The bulkId of its POST (RFC 7644 §3.7).</summary>
        public string BulkId { get; } = bulkId;

        public EntryState State { get; set; }

        public string? NewId { get; set; }
    }

    internal enum EntryState
    {
        Waiting,
        InChunk,
        Created,
        Failed,
    }

    private enum Target
    {
        Created,
        InChunk,
        Pending,
        Failed,
        Unknown,
    }

    private enum Placement
    {
        Done,
        Waiting,
        Full,
    }
}
