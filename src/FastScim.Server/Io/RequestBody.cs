using System.Buffers;
using System.IO.Pipelines;
using FastScim.Core.Protocol;

namespace FastScim.Server.Io;

/// <summary>
/// Reads a request body from the request <see cref="PipeReader"/> into one contiguous pooled
/// buffer, refusing it (413) as soon as it exceeds the limit: a body is never buffered past it.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The body, for slices kept while it is not disposed (a Bulk request's operations).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Returned to the pool: <see cref="Span"/> must not be read any more.</summary>
    public bool IsDisposed => _buffer.Length == 0 && Length > 0;

    public static async ValueTask<RequestBody> ReadAsync(PipeReader reader, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        if (contentLength > limit)
        {
            ThrowTooLarge(limit);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and var known ? (int)known : 4096);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var sequence = result.Buffer;
                if (length + sequence.Length > limit)
                {
                    reader.AdvanceTo(sequence.End);
                    ThrowTooLarge(limit);
                }

                if (length + sequence.Length > buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, Math.Max(buffer.Length * 2L, length + sequence.Length)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                sequence.CopyTo(buffer.AsSpan(length));
                length += (int)sequence.Length;
                reader.AdvanceTo(sequence.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ThrowTooLarge(int limit) =>
        throw new ScimException(413, ScimType.None, $"The request body exceeds maxPayloadSize, {limit} bytes (RFC 7644 §3.7.4).");
}
