using System.Text;

namespace FastScim.Transfer;

/// <summary>
/// A write-only stream of UTF-8 into a <see cref="TextWriter"/> (standard output, as the command
/// line is given it). The decoder keeps a character split across two writes whole.
/// </summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer) => writer.Write(_chars, 0, Decode(buffer));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await writer.WriteAsync(_chars.AsMemory(0, Decode(buffer.Span)), cancellationToken).ConfigureAwait(false);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => writer.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Decodes into <c>_chars</c>; answers how many characters it holds.</summary>
    private int Decode(ReadOnlySpan<byte> bytes)
    {
        var count = _decoder.GetCharCount(bytes, flush: false);
        if (count > _chars.Length)
        {
            _chars = new char[Math.Max(count, _chars.Length * 2)];
        }

        return _decoder.GetChars(bytes, _chars, flush: false);
    }
}
