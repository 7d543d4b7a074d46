using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// A file stream handed to LiteDB whose <see cref="Flush"/> goes to the disk, not only to the OS
/// cache.
/// </summary>
/// <remarks>
/// <para>
/// LiteDB 5.0.21 writes a commit's pages to the <c>-log</c> file synchronously on the committing
/// thread but never fsyncs them (LiteDB #2818; in stream mode it does not even call
/// <c>Flush()</c> at commit). The tenant writer therefore calls <see cref="FlushToDisk"/> on the
/// log after each batch's commit, before acknowledging it. A checkpoint copies log pages into
/// the data file and then truncates the log; for the log stream, <see cref="FlushBeforeOverwrite"/>
/// names the data stream, which is made durable before any byte of the log is discarded, so a
/// power cut can never lose pages that are in neither file. The file is opened with
/// <see cref="FileShare.None"/>, so no second process can open the same database (LiteDB #2163),
/// and its length is kept here rather than asked of the OS at every write.
/// </para>
/// <para>
/// Room ahead (the log's, opened <c>preallocated</c>): LiteDB appends every commit to the log, and
/// a flush that follows an append which grew the file must also write the file's size and its
/// newly allocated blocks, each a write of its own that the flush waits for (issue 7: under PATCH,
/// over 40% of the fsync's CPU was that metadata). So when a write reaches past the file's end,
/// the stream writes zeros beyond it, as many bytes as the file then holds (so a small tenant's
/// log stays small) between <see cref="MinRoomAhead"/> and <see cref="MaxRoomAhead"/>: the commits that follow land
/// in blocks that are already allocated and written, the size does not change, and the flush is an
/// <c>fdatasync</c>, which then writes the pages alone. LiteDB sees <see cref="Length"/>, the end of
/// what it wrote, and never reads the zeros. A log opened after a crash ends before its first page
/// that is blank or torn, and is cut there on disk (<see cref="CutAfterContent"/>); closing trims
/// the zeros. LiteDB's own appends are thread-safe through its <c>ConcurrentStream</c>, which
/// locks this stream for every read and write: the length kept here changes only inside it.
/// </para>
/// </remarks>
internal sealed partial class DurableFileStream : Stream
{
    /// <summary>LiteDB's page: the log is written, and scanned for its end, in whole pages.</summary>
    private const int PageSize = 8192;

    /// <summary>The least room a growth of a preallocated file writes ahead: 8 pages.</summary>
    private const long MinRoomAhead = 64 * 1024;

    /// <summary>The most room a growth writes ahead: 256 pages, some 30–40 commits of PATCH (6–8 pages each).</summary>
    private const long MaxRoomAhead = 2 * 1024 * 1024;

    private static readonly byte[] Zeros = new byte[256 * 1024];

    private readonly FileStream _file;

    // The file's handle, taken once: FileStream's getter seeks the OS file position to its own at
    // every call (one lseek before each fdatasync and write-back, strace), and nothing here uses
    // that position: every read and write through the handle names its offset.
    private readonly SafeFileHandle _handle;
    private readonly bool _preallocated; // keeps zeros written ahead of its content (the log)
    private long _length;    // what LiteDB wrote: the stream's length
    private long _allocated; // the file's length: _length, then zeros when preallocated
    private long _flushesToDisk;

    /// <param name="path">The file, created when missing.</param>
    /// <param name="preallocated">Whether to keep room written ahead of the end (see the remarks); for the log.</param>
    public DurableFileStream(string path, bool preallocated = false)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.RandomAccess);
        _handle = _file.SafeFileHandle;
        _preallocated = preallocated;
        _allocated = _file.Length;
        _length = _allocated;
        if (preallocated)
        {
            CutAfterContent();
        }
    }

    public string Path => _file.Name;

    /// <summary>How many times the stream was flushed to disk; lets tests see that durability happens.</summary>
    public long FlushesToDisk => Interlocked.Read(ref _flushesToDisk);

    /// <summary>The file's length on disk: <see cref="Length"/> and the zeros written ahead of it.</summary>
    internal long Allocated => _allocated;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    /// <summary>For a log file: the data file to make durable before log content is truncated or overwritten.</summary>
    public DurableFileStream? FlushBeforeOverwrite { get; set; }

    /// <summary>For tests: runs before each <see cref="FlushToDisk"/> (may throw, as a failing disk would).</summary>
    internal Action? BeforeFlushToDisk { get; set; }

    /// <summary>Everything written so far is on the disk when this returns (with what is needed to read it back).</summary>
    public void FlushToDisk()
    {
        BeforeFlushToDisk?.Invoke();
        SyncToDisk();
        Interlocked.Increment(ref _flushesToDisk);
    }

    private void SyncToDisk()
    {
        // The stream is unbuffered (bufferSize 1): what was written is in the OS already.
        if (OperatingSystem.IsLinux())
        {
            // fdatasync, not fsync: the size and blocks of a file that grew are written all the
            // same (POSIX), and a file that did not grow skips its times.
            SyncData(_file, _handle);
        }
        else
        {
            _file.Flush(flushToDisk: true);
        }
    }

    public override void Flush() => FlushToDisk();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // The zeros ahead are not content: a read stops at the end of what was written.
        long left = Math.Max(0, _length - _file.Position);
        return _file.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
    }

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.End => _file.Position = _length + offset,
        _ => _file.Seek(offset, origin),
    };

    public override void SetLength(long value)
    {
        if (value < _length)
        {
            FlushBeforeOverwrite?.FlushToDisk();
        }

        // Shorter: the file is cut (the log after a checkpoint), zeros ahead and all, so that
        // nothing LiteDB wrote before stays past the end to be read back. Longer: within the room
        // ahead it already is; beyond it, the file grows.
        if (value < _length || value > _allocated)
        {
            _file.SetLength(value);
            _allocated = value;
        }

        _length = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long position = _file.Position;

        // The log only grows between checkpoints; a write below its end reuses it after one.
        if (FlushBeforeOverwrite is { } data && position < _length)
        {
            data.FlushToDisk();
        }

        _file.Write(buffer);
        long end = position + buffer.Length;
        _length = Math.Max(_length, end);
        if (end > _allocated)
        {
            _allocated = end;
            if (_preallocated)
            {
                WriteZerosAhead();
            }
        }
    }

    /// <summary>Writes zeros after the end of the file, as many bytes as it holds within [<see cref="MinRoomAhead"/>, <see cref="MaxRoomAhead"/>] (see the remarks).</summary>
    private void WriteZerosAhead()
    {
        long end = _allocated + Math.Clamp(_allocated, MinRoomAhead, MaxRoomAhead);
        try
        {
            while (_allocated < end)
            {
                int chunk = (int)Math.Min(Zeros.Length, end - _allocated);
                RandomAccess.Write(_handle, Zeros.AsSpan(0, chunk), _allocated);
                _allocated += chunk;
            }
        }
        catch (IOException)
        {
            // The room is a saving, not a promise: a full disk leaves less of it (or none), and the
            // write it followed, already made, stands. Zeros written in part lie past _allocated,
            // where the next growth writes over them or a reopen cuts them.
        }
    }

    /// <summary>LiteDB's page header: never all zeros in a page it wrote (a page's id, type and transaction are in it).</summary>
    private const int PageHeaderSize = 32;

    /// <summary>
    /// On opening the log: it ends before its first page whose header is all zeros — a page of the
    /// room ahead, or one that a power cut kept from the disk — or before a last page the file does
    /// not hold whole. What lies from there on is cut off and the cut made durable.
    /// </summary>
    /// <remarks>
    /// Why the first such page and not the last: a batch's pages overwrite the room ahead, and until
    /// its flush nothing orders them, so a power cut can keep a transaction's last page (the one
    /// that confirms it) and lose an earlier one. LiteDB's recovery skips a blank page and would
    /// apply the rest as committed. Every acknowledged page was flushed before its acknowledgement,
    /// so a missing page can only be of a batch that was never acknowledged, and so can everything
    /// after it. The cut is made on disk, not only in <see cref="Length"/>: LiteDB's next pages
    /// overwrite from there, and the older pages after them would otherwise be read again after
    /// another crash.
    /// </remarks>
    private void CutAfterContent()
    {
        // Only the headers are read (the OS reads ahead), and only after a crash: a clean close
        // leaves the log empty.
        Span<byte> header = stackalloc byte[PageHeaderSize];
        long end = 0;
        while (end + PageSize <= _allocated
            && RandomAccess.Read(_handle, header, end) == PageHeaderSize
            && header.ContainsAnyExcept((byte)0))
        {
            end += PageSize;
        }

        bool cut = end < _allocated;
        SetLength(end); // in the constructor: no data file to flush first yet
        if (cut)
        {
            SyncToDisk();
        }
    }

    /// <summary>
    /// For crash-recovery tests: copies the file as it is on disk now, the zeros ahead of its
    /// content included, to <paramref name="target"/>. Call only while nothing writes to it.
    /// </summary>
    internal void CopyAsOnDisk(string target)
    {
        using var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[64 * 1024];
        for (long at = 0; at < _allocated;)
        {
            int read = RandomAccess.Read(_handle, buffer, at);
            if (read == 0)
            {
                break;
            }

            copy.Write(buffer, 0, read);
            at += read;
        }
    }

    private static void SyncData(FileStream file, SafeFileHandle handle)
    {
        while (FileDataSync(handle) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error != InterruptedCall)
            {
                throw new IOException($"fdatasync of '{file.Name}' failed (errno {error}).", error);
            }
        }
    }

    private const int InterruptedCall = 4; // EINTR

    /// <summary>
    /// Starts writing what was written so far to the disk, without waiting (Linux's
    /// <c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>; nothing elsewhere). A hint, not a
    /// promise: it makes nothing durable, and only <see cref="FlushToDisk"/> may be relied on, which
    /// then finds the pages written or on their way. A failure is ignored for the same reason.
    /// </summary>
    public void StartWriteBack()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(_handle, 0, 0, StartWritingDirtyPages);
        }
    }

    private const uint StartWritingDirtyPages = 2; // SYNC_FILE_RANGE_WRITE: the whole file when the count is 0

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle handle, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FileDataSync(SafeFileHandle handle);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                // A clean close leaves the file as long as its content: no blank pages to scan at the next open.
                if (_allocated > _length)
                {
                    _file.SetLength(_length);
                    _allocated = _length;
                }
            }
            finally
            {
                _file.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
