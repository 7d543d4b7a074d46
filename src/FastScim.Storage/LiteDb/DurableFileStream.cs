namespace FastScim.Storage.LiteDb;

/// <summary>
/// A file stream handed to LiteDB whose <see cref="Flush"/> goes to the disk
/// (<c>fsync</c>), not only to the OS cache.
/// </summary>
/// <remarks>
/// LiteDB 5.0.21 writes a commit's pages to the <c>-log</c> file synchronously on the committing
/// thread and then calls <c>Flush()</c> on the log stream — a plain flush, never
/// <c>Flush(true)</c> (LiteDB #2818). A checkpoint copies log pages into the data file, flushes
/// the data stream and then truncates the log. Routing every flush to the disk therefore makes
/// (a) each commit durable before <c>Commit()</c> returns and (b) a checkpoint's data pages durable
/// before the log that covers them is truncated. The file is opened with
/// <see cref="FileShare.None"/>, so a second process cannot open the same database (LiteDB #2163).
/// </remarks>
internal sealed class DurableFileStream : Stream
{
    private readonly FileStream _file;
    private long _flushesToDisk;

    public DurableFileStream(string path)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.RandomAccess);
    }

    public string Path => _file.Name;

    /// <summary>How many times the stream was flushed to disk; lets tests see that durability happens.</summary>
    public long FlushesToDisk => Interlocked.Read(ref _flushesToDisk);

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    public override void Flush()
    {
        _file.Flush(flushToDisk: true);
        Interlocked.Increment(ref _flushesToDisk);
    }

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => _file.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);
    public override void SetLength(long value) => _file.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
