using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// One LiteDB database file (and its <c>-log</c> file) opened over <see cref="DurableFileStream"/>s,
/// so that every flush LiteDB makes reaches the disk.
/// </summary>
internal sealed class LiteDbFile : IDisposable
{
    private readonly DurableFileStream _data;
    private readonly DurableFileStream _log;

    private LiteDbFile(DurableFileStream data, DurableFileStream log, LiteDatabase database)
    {
        _data = data;
        _log = log;
        Database = database;
    }

    public LiteDatabase Database { get; }

    /// <summary>How many times the log has been flushed to disk (one per durable batch).</summary>
    public long LogFlushesToDisk => _log.FlushesToDisk;

    /// <summary>How many times the data file has been flushed to disk (checkpoints).</summary>
    public long DataFlushesToDisk => _data.FlushesToDisk;

    /// <summary>Bytes LiteDB has written to the log now (the zeros kept ahead of them not counted): committed pages not yet checkpointed into the data file.</summary>
    public long LogLength => _log.Length;

    /// <summary>What the files hold: the data file and what LiteDB has written to the log (<see cref="LogLength"/>).</summary>
    public long Length => _data.Length + _log.Length;

    /// <summary>
    /// Makes every committed transaction durable: flushes the log to disk (fdatasync), where LiteDB wrote the commit's
    /// pages synchronously during <c>Commit()</c>. Call after committing, before acknowledging.
    /// </summary>
    public void FlushLogToDisk()
    {
        BeforeFlushToDisk?.Invoke();
        _log.FlushToDisk();
    }

    /// <summary>Starts writing the log's new pages to the disk without waiting for them (<see cref="DurableFileStream.StartWriteBack"/>); <see cref="FlushLogToDisk"/> still makes them durable.</summary>
    public void StartLogWriteBack() => _log.StartWriteBack();

    /// <summary>For tests: runs before each flush of the log to disk (may throw, as a failing disk would).</summary>
    internal Action? BeforeFlushToDisk { get; set; }

    /// <summary>For tests: runs before each flush of the data file to disk, which a checkpoint makes inside LiteDB's <c>Commit()</c> (may throw).</summary>
    internal Action? BeforeDataFlushToDisk
    {
        get => _data.BeforeFlushToDisk;
        set => _data.BeforeFlushToDisk = value;
    }

    /// <summary>The log file LiteDB keeps next to <paramref name="path"/>: <c>name-log.ext</c>, as LiteDB 5 names it.</summary>
    public static string LogPathOf(string path) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(path) ?? string.Empty,
            System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>The files that make up the database at <paramref name="path"/>.</summary>
    public static IEnumerable<string> FilesOf(string path) => [path, LogPathOf(path)];

    /// <summary>The log length, in pages, at which LiteDB checkpoints: 16 MB.</summary>
    public const int CheckpointPages = 2_000;

    public static LiteDbFile Open(string path)
    {
        DurableFileStream? data = null;
        DurableFileStream? log = null;
        try
        {
            data = new DurableFileStream(path);
            log = new DurableFileStream(LogPathOf(path), log: true) { FlushBeforeOverwrite = data };
            // Dates come back as stored, in UTC. LiteDB's default reads them as the machine's local
            // time, rebuilt from its fields, which forgets which of a repeated autumn hour a date was.
            var database = new LiteDatabase(data, mapper: null, logStream: log) { UtcDate = true };

            // LiteDB copies the log into the data file (and we flush the data file to disk first) once the
            // log passes this many 8 KB pages; its default, 1,000, made that copy a sixth of the
            // writer's time under load when each commit wrote ≈12 pages. A checkpoint copies every
            // version of a page the log holds, in log order, then flushes the data file and empties
            // LiteDB's page cache, all on the writer: its length is the p99 of writes. Since
            // batches write over emptied log records (≈6–8 pages a commit), 2,000 pages was as fast
            // as 8,000 or faster and halved that p99 (issue 7, perf/RESULTS.md). The log is emptied
            // on a clean close, so only recovery after a crash reads a long one.
            if (Convert.ToInt32(database.Pragma("CHECKPOINT").RawValue, System.Globalization.CultureInfo.InvariantCulture) != CheckpointPages)
            {
                database.Pragma("CHECKPOINT", CheckpointPages);
            }

            return new LiteDbFile(data, log, database);
        }
        catch
        {
            log?.Dispose();
            data?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies the bytes of the data and log files as they are now to <paramref name="path"/> (and its
    /// log path): what a process killed at this moment leaves on disk. For crash-recovery tests;
    /// call only while no write is in progress.
    /// </summary>
    internal void CopyFilesTo(string path)
    {
        _data.CopyAsOnDisk(path);
        _log.CopyAsOnDisk(LogPathOf(path));
    }

    public void Dispose()
    {
        // LiteDB checkpoints the log into the data file on dispose (flushing both, to disk).
        Database.Dispose();
        _log.Dispose();
        _data.Dispose();
    }
}
