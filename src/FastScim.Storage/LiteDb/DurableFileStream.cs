namespace FastScim.Storage.LiteDb;

/// <summary>
/// A file stream handed to LiteDB whose <see cref="Flush"/> goes to the disk
/// (<c>fsync</c>), not only to the OS cache.
/// </summary>
/// <remarks>
/// LiteDB 5.0.21 writes a commit's pages to the <c>-log</c> file synchronously on the committing
/// thread but never fsyncs them (LiteDB #2818; in stream mode it does not even call
/// <c>Flush()</c> at commit). The tenant writer therefore calls <see cref="FlushToDisk"/> on the
/// log after each batch's commit, before acknowledging it. A checkpoint copies log pages into
/// the data file and then truncates (or rewrites) the log; for the log stream,
/// <see cref="FlushBeforeOverwrite"/> names the data stream, which is fsynced before any byte of
/// the log is discarded, so a power cut can never lose pages that are in neither file. The file
/// is opened with <see cref="FileShare.None"/>, so no second process can open the same database
/// (LiteDB #2163). Writes are unbuffered here: what LiteDB writes reaches the OS at once.
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

    /// <summary>For a log file: the data file to make durable before log content is truncated or overwritten.</summary>
    public DurableFileStream? FlushBeforeOverwrite { get; set; }

    /// <summary>fsync: everything written so far is on the disk when this returns.</summary>
    public void FlushToDisk()
    {
        _file.Flush(flushToDisk: true);
        Interlocked.Increment(ref _flushesToDisk);
    }

    public override void Flush() => FlushToDisk();

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => _file.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value)
    {
        if (value < _file.Length)
        {
            FlushBeforeOverwrite?.FlushToDisk();
        }

        _file.SetLength(value);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        BeforeWrite();
        _file.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite();
        _file.Write(buffer);
    }

    private void BeforeWrite()
    {
        // The log only grows between checkpoints; a write below its end reuses it after one.
        if (FlushBeforeOverwrite is { } data && _file.Position < _file.Length)
        {
            data.FlushToDisk();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
