using System.Buffers;
using System.Text;
using FastScim.Core.Protocol;

namespace FastScim.Core.Bulk;

/// <summary>
/// One BulkRequest of an import (RFC 7644 §3.7), built operation by operation within the limits
/// the service provider advertises (§3.7.4: maxOperations, maxPayloadSize), then sealed and sent.
/// </summary>
public sealed class ImportChunk
{
    private static readonly byte[] Start = Encoding.UTF8.GetBytes($"{{\"schemas\":[\"{SchemaUrns.BulkRequest}\"],\"Operations\":[");
    private static readonly byte[] End = "]}"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly List<Operation> _operations = [];
    private readonly int _maxOperations;
    private readonly int _maxPayloadSize;

    internal ImportChunk(int maxOperations, int maxPayloadSize)
    {
        _maxOperations = maxOperations;
        _maxPayloadSize = maxPayloadSize;
        _body.Write(Start);
    }

    /// <summary>The BulkRequest body, once sealed.</summary>
    public ReadOnlyMemory<byte> Body => IsSealed ? _body.WrittenMemory : throw new InvalidOperationException("The chunk is still being built.");

    /// <summary>How many operations it holds.</summary>
    public int Count => _operations.Count;

    public bool IsSealed { get; private set; }

    internal IReadOnlyList<Operation> Operations => _operations;

    /// <summary>The most bytes one more operation may take; negative when no operation fits any more.</summary>
    internal int Room => _operations.Count >= _maxOperations
        ? -1
        : _maxPayloadSize - _body.WrittenCount - End.Length - (_operations.Count > 0 ? 1 : 0);

    internal bool TryAppend(ReadOnlySpan<byte> operation, Operation what)
    {
        if (IsSealed || operation.Length > Room)
        {
            return false;
        }

        if (_operations.Count > 0)
        {
            _body.Write(","u8);
        }

        _body.Write(operation);
        _operations.Add(what);
        return true;
    }

    internal ImportChunk Seal()
    {
        _body.Write(End);
        IsSealed = true;
        return this;
    }

    /// <summary>What an operation does: create a resource, or add to one created before (members, manager).</summary>
    internal sealed record Operation(string BulkId, ImportPlan.Entry Subject, OperationKind Kind, int Members = 0);

    internal enum OperationKind
    {
        Create,
        AddMembers,
        SetManager,
    }
}
