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
/// the data file and then empties the log; for the log stream, <see cref="FlushBeforeOverwrite"/>
/// names the data stream, which is made durable before any byte of the log is discarded or
/// written over, so a power cut can never lose pages that are in neither file. The file is opened with
/// <see cref="FileShare.None"/>, so no second process can open the same database (LiteDB #2163),
/// and its length is kept here rather than asked of the OS at every write.
/// </para>
/// <para>
/// Room ahead (the log's, opened with <c>log: true</c>): LiteDB appends every commit to the log, and
/// a flush that follows an append which grew the file must also write the file's size and its
/// newly allocated blocks, each a write of its own that the flush waits for (issue 7: under PATCH,
/// over 40% of the fsync's CPU was that metadata). So when a write reaches past the file's end,
/// the stream writes zeros beyond it, as many bytes as the file then holds (so a small tenant's
/// log stays small) between <see cref="MinRoomAhead"/> and <see cref="MaxRoomAhead"/>: the commits that follow land
/// in blocks that are already allocated and written, the size does not change, and the flush is an
/// <c>fdatasync</c>, which then writes the pages alone. LiteDB sees <see cref="Length"/>, the end of
/// what it wrote, and never reads the zeros. A log opened after a crash ends before its first page
/// whose header is blank (a page never written, or whose first half a power cut kept from the
/// disk), and is cut there on disk (<see cref="CutAfterContent"/>); closing trims the zeros. A
/// page whose header reached the disk but not the rest is not told apart: LiteDB 5's pages carry
/// no checksum, so that is left to a disk that writes a flushed 8 KB whole or not at all. LiteDB's own appends are thread-safe through its <c>ConcurrentStream</c>, which
/// locks this stream for every read and write: the length kept here changes only inside it.
/// </para>
/// <para>
/// Reused after a checkpoint (the log's): LiteDB empties its log after every checkpoint
/// (<c>SetLength(0)</c>). Cutting the file freed its blocks and grew it again behind new zeros, a
/// file-system change the next flushes had to write, and the cut itself took milliseconds on the
/// writer (issue 7: reusing it, POST +12%, PATCH +7%, alternated both ways). So the file keeps its length
/// and LiteDB writes its next pages over the previous ones. What must then be told apart after a
/// crash is a page of the current log from a page of an earlier one that lies after it or in the
/// place of a page the crash lost. Two rules do it. Every page written stores, in LiteDB's
/// transaction-id field, a number of the file's own instead of LiteDB's id: one more than the last
/// for each transaction that writes, so numbers only grow along the file, log after log (LiteDB
/// numbers its transactions from 1 again after each checkpoint, and its reads use up ids too, by
/// the billion over a long log); reads give LiteDB its own id back. And before LiteDB writes the first page of a reused log,
/// the file's first page is made blank and durable (after the data file, see
/// <see cref="FlushBeforeOverwrite"/>): so a first page that is not blank is the current log's,
/// and every page of an earlier log stores a smaller number than it does. A reopened log therefore
/// ends before its first page whose number is below the first page's (<see cref="CutAfterContent"/>),
/// and LiteDB reads its pages with their numbers as ids. A transaction's pages are together in
/// the log because the tenant's one writer commits one transaction at a time
/// (<see cref="TenantDatabase"/>). Only the first page's header is blanked: a power cut while it
/// is written leaves either the blank header (an empty log) or the old page whole (the old log,
/// already in the durable data file, read again), never the old header over a half-blank page.
/// </para>
/// </remarks>
internal sealed partial class DurableFileStream : Stream
{
    /// <summary>LiteDB's page: the log is written, and scanned for its end, in whole pages.</summary>
    private const int PageSize = 8192;

    /// <summary>The least room a growth of the log's file writes ahead: 8 pages.</summary>
    private const long MinRoomAhead = 64 * 1024;

    /// <summary>The most room a growth writes ahead: 256 pages, some 30–40 commits of PATCH (6–8 pages each).</summary>
    private const long MaxRoomAhead = 2 * 1024 * 1024;

    private static readonly byte[] Zeros = new byte[256 * 1024];

    private readonly FileStream _file;

    // The file's handle, taken once: FileStream's getter seeks the OS file position to its own at
    // every call (one lseek before each fdatasync and write-back, strace), and nothing here uses
    // that position: every read and write through the handle names its offset.
    private readonly SafeFileHandle _handle;
    private readonly bool _log; // LiteDB's log: room ahead, reused after a checkpoint, ids stamped (see the remarks)
    private long _length;    // what LiteDB wrote: the stream's length
    private long _allocated; // the file's length: _length, then (the log's) zeros ahead and pages of earlier logs
    private long _flushesToDisk;
    private uint _lastNumber; // the log's: the last transaction number stored in the file since it was last cut
    private readonly Dictionary<uint, uint> _numberOfId = [];  // the log's: LiteDB's id → the number stored, this log
    private readonly Dictionary<uint, uint> _idOfNumber = [];  // and back (a number not in it is read as the id)
    private byte[]? _stamped; // the log's: pages as they are written, with their ids stamped

    /// <param name="path">The file, created when missing.</param>
    /// <param name="log">Whether this is LiteDB's log: room written ahead of its end, its file reused after a checkpoint (see the remarks).</param>
    public DurableFileStream(string path, bool log = false)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.RandomAccess);
        _handle = _file.SafeFileHandle;
        _log = log;
        _allocated = _file.Length;
        _length = _allocated;
        if (log)
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
        long position = _file.Position;
        long left = Math.Max(0, _length - position);
        int read = _file.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        if (_log && _idOfNumber.Count != 0)
        {
            MapIds(buffer[..read], position, _idOfNumber);
        }

        return read;
    }

    /// <summary>The offset of LiteDB's transaction id in its page header (<c>BasePage.P_TRANSACTION_ID</c>).</summary>
    private const int TransactionIdOffset = 14;

    /// <summary>Replaces the transaction id of every page in <paramref name="pages"/> (read at <paramref name="position"/> of the file) found in <paramref name="map"/>.</summary>
    private static void MapIds(Span<byte> pages, long position, Dictionary<uint, uint> map)
    {
        RequireWholePages(position, pages.Length, "read");
        for (int at = TransactionIdOffset; at < pages.Length; at += PageSize)
        {
            if (map.TryGetValue(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(pages[at..]), out uint mapped))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(pages[at..], mapped);
            }
        }
    }

    /// <summary>LiteDB reads and writes its log in whole pages, which is what lets this stream find each page's transaction id.</summary>
    private static void RequireWholePages(long position, int length, string access)
    {
        if (position % PageSize != 0 || length % PageSize != 0)
        {
            throw new InvalidOperationException($"A {access} of {length} bytes of LiteDB's log at {position}: the log is read and written in whole pages.");
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.End => _file.Position = _length + offset,
        _ => _file.Seek(offset, origin),
    };

    public override void SetLength(long value)
    {
        lock (this) // as LiteDB's ConcurrentStream locks this stream for its reads and writes
        {
            if (value < _length)
            {
                FlushBeforeOverwrite?.FlushToDisk();
                if (_log && value == 0 && _lastNumber < MaxNumbersBeforeCut && _allocated >= PageSize)
                {
                    Reuse();
                    _length = 0;
                    return;
                }
            }

            // Shorter: the file is cut, room ahead and all, so that nothing LiteDB wrote before stays
            // past the end to be read back. Longer: within the room ahead it already is; beyond it,
            // the file grows.
            if (value < _length || value > _allocated)
            {
                bool cut = value < _length;
                _file.SetLength(value);
                _allocated = value;
                if (cut && _log)
                {
                    // The cut is on disk before any page after it is written: ids start afresh
                    // from here, and an older page must not survive to follow them.
                    FlushToDisk();
                }

                if (value == 0)
                {
                    _lastNumber = 0;
                    ForgetIds();
                }
            }

            _length = value;
        }
    }

    /// <summary>
    /// The transaction numbers a file may store before an emptied log is cut rather than reused:
    /// 2^30, far from where a number would wrap round, after a billion writing transactions —
    /// weeks of the heaviest load.
    /// </summary>
    private const uint MaxNumbersBeforeCut = 1u << 30;

    private void ForgetIds()
    {
        _numberOfId.Clear();
        _idOfNumber.Clear();
    }

    /// <summary>
    /// Empties the log but keeps its file (see the remarks): the first page's header is made blank
    /// on disk before LiteDB writes any page of the new log, and the pages LiteDB writes from now on
    /// store numbers above every number the file holds. The data file was made durable first (by the caller).
    /// </summary>
    private void Reuse()
    {
        // The header alone, within the disk's first sector: written or not, never in part.
        RandomAccess.Write(_handle, Zeros.AsSpan(0, PageHeaderSize), 0);
        FlushToDisk();
        ForgetIds(); // LiteDB's ids start again from 1; the numbers go on
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long position = _file.Position;

        // LiteDB only appends to its log (and writes over an earlier log after emptying this one);
        // were it ever to write below its own end, that content may be a checkpoint's only copy.
        if (FlushBeforeOverwrite is { } data && position < _length)
        {
            data.FlushToDisk();
        }

        _file.Write(_log ? Stamped(buffer, position) : buffer);
        long end = position + buffer.Length;
        _length = Math.Max(_length, end);
        if (end > _allocated)
        {
            _allocated = end;
            if (_log)
            {
                WriteZerosAhead();
            }
        }
    }

    /// <summary>
    /// The log's pages as they go to disk: each one's transaction id replaced by the file's number
    /// for it, the next number for a transaction not seen before in this log (a copy; LiteDB's
    /// buffer is its cached page).
    /// </summary>
    private ReadOnlySpan<byte> Stamped(ReadOnlySpan<byte> pages, long position)
    {
        RequireWholePages(position, pages.Length, "write");
        if (_stamped is null || _stamped.Length < pages.Length)
        {
            _stamped = new byte[pages.Length]; // one page: LiteDB writes its pages one at a time
        }

        Span<byte> stamped = _stamped.AsSpan(0, pages.Length);
        pages.CopyTo(stamped);
        for (int at = TransactionIdOffset; at < stamped.Length; at += PageSize)
        {
            uint id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(stamped[at..]);
            if (!_numberOfId.TryGetValue(id, out uint number))
            {
                number = ++_lastNumber;
                _numberOfId[id] = number;
                _idOfNumber[number] = id;
            }

            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(stamped[at..], number);
        }

        return stamped;
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
    /// room ahead, or one that a power cut kept from the disk — or whose transaction number is below
    /// the first page's — a page of an earlier log (see the remarks), after the current one or in the
    /// place of one of its pages that a power cut kept from the disk — or before a last page the file
    /// does not hold whole. What lies from there on is cut off and the cut made durable.
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
        uint first = 0;
        while (end + PageSize <= _allocated
            && RandomAccess.Read(_handle, header, end) == PageHeaderSize
            && header.ContainsAnyExcept((byte)0))
        {
            uint id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[TransactionIdOffset..]);
            first = end == 0 ? id : first;
            if (id < first)
            {
                break;
            }

            _lastNumber = Math.Max(_lastNumber, id);
            end += PageSize;
        }

        if (end < _allocated)
        {
            _file.SetLength(end); // in the constructor: no data file to flush first yet
            _allocated = end;
            SyncToDisk();
        }

        // LiteDB reads this log's numbers as its ids (none is in the map) and goes on from the last;
        // its next ids are numbered from there (_lastNumber, the highest kept).
        _length = end;
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
