using System.Buffers.Binary;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The stream LiteDB's files are opened over: its length is what was written, and the log's file
/// keeps zeros written ahead of that, so that a commit lands in blocks already on disk and its
/// flush writes no metadata, and keeps its blocks when LiteDB empties it, so that the next log is
/// written over the last — while LiteDB, a reopened stream and a copy of the file taken at a crash
/// see only what was written, and of an emptied log nothing.
/// </summary>
public sealed class DurableFileStreamTests : IDisposable
{
    private const int Page = 8192;
    private const int MinRoom = 64 * 1024;        // the least room written ahead
    private const int MaxRoom = 2 * 1024 * 1024;  // the most

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private const int TransactionId = 14; // where LiteDB's page header holds the page's transaction id

    /// <summary>
    /// A page whose bytes are <paramref name="seed"/> and what follows it (never a blank page), of
    /// LiteDB's transaction <paramref name="seed"/> + 1: pages written in the order of their seeds
    /// are in the order of their transactions, as LiteDB writes its log.
    /// </summary>
    private static byte[] PageOf(int seed)
    {
        byte[] page = [.. Enumerable.Range(seed, Page).Select(i => (byte)(i % 251 + 1))];
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(TransactionId), (uint)seed + 1);
        return page;
    }

    /// <summary><paramref name="page"/> with <paramref name="id"/> as its transaction id.</summary>
    private static byte[] WithId(byte[] page, uint id)
    {
        byte[] copy = [.. page];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(TransactionId), id);
        return copy;
    }

    /// <summary>The transaction id <paramref name="file"/> holds for its page at <paramref name="position"/>.</summary>
    private static uint IdOnDisk(byte[] file, long position) =>
        BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)position + TransactionId));

    /// <summary>The transaction id the file at <paramref name="path"/> (not open) holds for its page at <paramref name="position"/>.</summary>
    private static uint IdOnDisk(string path, long position) => IdOnDisk(File.ReadAllBytes(path), position);

    /// <summary>The bytes of <paramref name="log"/>'s file as they are on disk now (an open file is locked to others).</summary>
    private byte[] OnDiskBytes(DurableFileStream log)
    {
        string copy = _data.File($"copy-{Guid.NewGuid():N}.db");
        log.CopyAsOnDisk(copy);
        return File.ReadAllBytes(copy);
    }

    /// <summary>What <paramref name="log"/> reads back from its start: what LiteDB would see.</summary>
    private static byte[] ReadBack(DurableFileStream log)
    {
        log.Position = 0;
        using var read = new MemoryStream();
        log.CopyTo(read);
        return read.ToArray();
    }

    private static long OnDisk(string path) => new FileInfo(path).Length;

    [Fact]
    public void A_write_past_the_end_writes_zeros_ahead_and_the_length_stays_what_was_written()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, log: true);

        log.Write(PageOf(1));
        log.Write(PageOf(2)); // into the zeros the first wrote ahead

        Assert.Equal(2 * Page, log.Length);
        Assert.Equal(Page + MinRoom, log.Allocated);
        Assert.Equal(log.Allocated, OnDisk(path));
    }

    [Fact]
    public void The_room_ahead_grows_with_the_file_up_to_2_MB()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, log: true);

        log.Position = 255 * Page;
        log.Write(PageOf(1)); // the file holds 256 pages: as much again is written ahead
        Assert.Equal(2 * 256 * Page, OnDisk(path));

        log.Position = 1023 * Page;
        log.Write(PageOf(2)); // 1,024 pages, 8 MB: 2 MB ahead
        Assert.Equal(1024 * Page + MaxRoom, OnDisk(path));
        Assert.Equal(1024 * Page, log.Length);
    }

    [Fact]
    public void Writes_into_the_room_ahead_do_not_change_the_file_size()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, log: true);
        log.Write(PageOf(1));
        long size = OnDisk(path);

        Assert.Equal(Page + MinRoom, size);

        for (int i = 0; i < MinRoom / Page; i++)
        {
            log.Write(PageOf(i));
        }

        Assert.Equal(size, OnDisk(path));
        Assert.Equal(size, log.Length);

        // The next page is past the room: the file grows by another stretch of zeros, as long as it is then.
        log.Write(PageOf(7));
        Assert.Equal(2 * (size + Page), OnDisk(path));
    }

    [Fact]
    public void A_read_stops_at_the_end_of_what_was_written()
    {
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true);
        byte[] written = [.. PageOf(3), .. PageOf(4)];
        log.Write(written);

        Assert.Equal(written, ReadBack(log));
        Assert.Equal(0, log.Read(new byte[Page], 0, Page));
    }

    /// <summary>A log of <paramref name="pages"/> pages copied as a crash leaves it (zeros ahead included), changed by <paramref name="damage"/>.</summary>
    private string CrashedLog(int pages, Action<byte[]>? damage = null)
    {
        using (var log = new DurableFileStream(_data.File("acme-log.db"), log: true))
        {
            for (int i = 0; i < pages; i++)
            {
                log.Write(PageOf(i));
            }

            log.CopyAsOnDisk(_data.File("crashed-log.db"));
        }

        byte[] bytes = File.ReadAllBytes(_data.File("crashed-log.db"));
        damage?.Invoke(bytes);
        File.WriteAllBytes(_data.File("crashed-log.db"), bytes);
        return _data.File("crashed-log.db");
    }

    [Fact]
    public void A_log_reopened_after_a_crash_ends_where_the_zeros_ahead_begin()
    {
        string crashed = CrashedLog(2);
        Assert.Equal(Page + MinRoom, OnDisk(crashed));

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(2 * Page, reopened.Length);
        Assert.Equal(2 * Page, OnDisk(crashed));

        // Appending goes on at the end of the content.
        reopened.Position = reopened.Length;
        reopened.Write(PageOf(6));
        Assert.Equal(3 * Page, reopened.Length);
    }

    [Fact]
    public void A_log_reopened_after_a_crash_ends_before_its_first_missing_page()
    {
        // A power cut kept page 2 (it could confirm a transaction) and lost page 1 before the flush.
        string crashed = CrashedLog(3, bytes => Array.Clear(bytes, Page, Page));

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(Page, reopened.Length);
        Assert.Equal(Page, OnDisk(crashed)); // cut on disk: the next pages must not be followed by the old page 2
    }

    [Fact]
    public void A_page_whose_header_did_not_reach_the_disk_ends_the_log()
    {
        // Torn: the page's first 4 KB sector is zeros, its second was written.
        string crashed = CrashedLog(3, bytes => Array.Clear(bytes, Page, 4096));

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(Page, reopened.Length);
    }

    [Fact]
    public void A_last_page_the_file_does_not_hold_whole_is_cut()
    {
        string crashed = CrashedLog(3);
        byte[] bytes = File.ReadAllBytes(crashed);
        File.WriteAllBytes(crashed, bytes.AsSpan(0, (2 * Page) + 4096).ToArray());

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(2 * Page, reopened.Length);
        Assert.Equal(2 * Page, OnDisk(crashed));
    }

    [Fact]
    public void Emptying_the_log_makes_the_data_file_durable_before_the_log_s_first_page_is_overwritten()
    {
        string path = _data.File("acme-log.db");
        using var data = new DurableFileStream(_data.File("acme.db"));
        using var log = new DurableFileStream(path, log: true) { FlushBeforeOverwrite = data };
        log.Write(PageOf(1));
        List<string> flushes = [];
        data.BeforeFlushToDisk = () => flushes.Add(IdOnDisk(OnDiskBytes(log), 0) == 1 ? "data, the log's first page still there" : "data, too late");
        log.BeforeFlushToDisk = () => flushes.Add(OnDiskBytes(log).AsSpan(0, 32).ContainsAnyExcept((byte)0) ? "log, not yet blank" : "log, its first page blank");

        log.SetLength(0);

        Assert.Equal(["data, the log's first page still there", "log, its first page blank"], flushes);
    }

    [Fact]
    public void Emptying_the_log_keeps_its_file_and_makes_its_first_page_blank_on_disk()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, log: true);
        log.Write(PageOf(1));
        log.Write(PageOf(2));
        long size = OnDisk(path);
        long flushes = log.FlushesToDisk;

        log.SetLength(0); // LiteDB, after a checkpoint

        Assert.Equal(0, log.Length);
        Assert.Equal(size, OnDisk(path));
        byte[] onDisk = OnDiskBytes(log);
        Assert.Equal(new byte[32], onDisk.AsSpan(0, 32).ToArray()); // the header alone: a power cut leaves it blank or the old page whole
        Assert.Equal(PageOf(1).AsSpan(32).ToArray(), onDisk.AsSpan(32, Page - 32).ToArray());
        Assert.Equal(flushes + 1, log.FlushesToDisk); // the blank page is on disk before any page of the next log
        Assert.Empty(ReadBack(log));

        log.Position = 0;
        log.Write(PageOf(3));
        Assert.Equal(Page, log.Length);
        Assert.Equal(size, OnDisk(path)); // written over the last log: no growth
    }

    [Fact]
    public void Pages_written_after_the_log_was_emptied_store_ids_above_the_last_log_and_read_back_as_written()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, log: true);
        for (int i = 0; i < 5; i++)
        {
            log.Write(PageOf(i)); // transactions 1 to 5
        }

        log.SetLength(0);
        byte[] next = [.. PageOf(0), .. PageOf(1)]; // LiteDB numbers its transactions from 1 again
        log.Position = 0;
        log.Write(next);

        Assert.Equal(next, ReadBack(log));
        byte[] onDisk = OnDiskBytes(log);
        Assert.Equal(6u, IdOnDisk(onDisk, 0));
        Assert.Equal(7u, IdOnDisk(onDisk, Page));
    }

    /// <summary>
    /// A log of five pages (transactions 1 to 5), emptied, then <paramref name="pages"/> pages of
    /// the next log (transactions 1 onwards again), copied as a crash leaves the file: the old log's
    /// pages after them and all.
    /// </summary>
    private string CrashedAfterReuse(int pages, string copy = "crashed-log.db")
    {
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true);
        for (int i = 0; i < 5; i++)
        {
            log.Write(PageOf(i));
        }

        log.CopyAsOnDisk(_data.File("before-" + copy));
        log.SetLength(0);
        log.Position = 0;
        for (int i = 0; i < pages; i++)
        {
            log.Write(PageOf(i));
        }

        log.CopyAsOnDisk(_data.File(copy));
        return _data.File(copy);
    }

    [Fact]
    public void A_log_reopened_after_a_crash_ends_before_the_pages_of_the_log_before_it()
    {
        string crashed = CrashedAfterReuse(2);
        Assert.Equal(3u, IdOnDisk(crashed, 2 * Page)); // the old log's third page follows the new log's two

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(2 * Page, reopened.Length);
        Assert.Equal(2 * Page, OnDisk(crashed));
        Assert.Equal([.. WithId(PageOf(0), 6), .. WithId(PageOf(1), 7)], ReadBack(reopened)); // the file's numbers, as LiteDB's ids
    }

    [Fact]
    public void A_reopened_log_goes_on_storing_ids_above_the_ones_it_holds()
    {
        string crashed = CrashedAfterReuse(2);
        using (var reopened = new DurableFileStream(crashed, log: true))
        {
            reopened.Position = reopened.Length;
            byte[] next = WithId(PageOf(2), 9); // LiteDB goes on above the last id it read back, 7
            reopened.Write(next);
            Assert.Equal(next, ReadBack(reopened).AsSpan(2 * Page).ToArray());
            reopened.CopyAsOnDisk(_data.File("again-log.db"));
        }

        Assert.Equal(IdOnDisk(crashed, Page) + 1, IdOnDisk(_data.File("again-log.db"), 2 * Page));
        using var again = new DurableFileStream(_data.File("again-log.db"), log: true);
        Assert.Equal([.. WithId(PageOf(0), 6), .. WithId(PageOf(1), 7), .. WithId(PageOf(2), 8)], ReadBack(again));
    }

    [Fact]
    public void A_page_of_a_reused_log_that_a_power_cut_kept_from_the_disk_ends_the_log()
    {
        // The flush of the new log's three pages did not finish: the disk kept its first and third,
        // and the second is still the old log's (transaction 2 of that one), whose pages follow.
        string crashed = CrashedAfterReuse(3);
        byte[] before = File.ReadAllBytes(_data.File("before-crashed-log.db"));
        byte[] bytes = File.ReadAllBytes(crashed);
        before.AsSpan(Page, Page).CopyTo(bytes.AsSpan(Page));
        File.WriteAllBytes(crashed, bytes);

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(Page, reopened.Length);
        Assert.Equal(WithId(PageOf(0), 6), ReadBack(reopened));
    }

    [Fact]
    public void An_emptied_log_reopened_after_a_crash_is_empty()
    {
        string crashed = CrashedAfterReuse(0);
        Assert.Equal(2u, IdOnDisk(crashed, Page)); // the old log's pages are still there after the blank first page

        using var reopened = new DurableFileStream(crashed, log: true);

        Assert.Equal(0, reopened.Length);
        Assert.Equal(0, OnDisk(crashed));
    }

    [Fact]
    public void Ids_that_LiteDB_used_up_between_two_writes_do_not_end_the_log()
    {
        // LiteDB's reads take ids too: billions of them can pass between two writes of one log.
        string path = _data.File("acme-log.db");
        using (var log = new DurableFileStream(path, log: true))
        {
            log.Write(WithId(PageOf(0), 5));
            log.Write(WithId(PageOf(1), 5 + 3_000_000_000u));
            log.CopyAsOnDisk(_data.File("crashed-log.db"));
        }

        using var reopened = new DurableFileStream(_data.File("crashed-log.db"), log: true);

        Assert.Equal(2 * Page, reopened.Length);
        byte[] onDisk = OnDiskBytes(reopened);
        Assert.Equal([1u, 2u], new[] { IdOnDisk(onDisk, 0), IdOnDisk(onDisk, Page) });
    }

    [Fact]
    public void A_transaction_s_pages_store_one_number()
    {
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true);

        log.Write(PageOf(0));
        log.Write(PageOf(0)); // a second page of transaction 1
        log.Write(PageOf(4));

        byte[] onDisk = OnDiskBytes(log);
        Assert.Equal([1u, 1u, 2u], new[] { IdOnDisk(onDisk, 0), IdOnDisk(onDisk, Page), IdOnDisk(onDisk, 2 * Page) });
        Assert.Equal([.. PageOf(0), .. PageOf(0), .. PageOf(4)], ReadBack(log));
    }

    [Fact]
    public void An_emptied_log_whose_file_stored_a_billion_numbers_is_cut()
    {
        // A file whose numbers reached 2^30, reopened (its last number is read from its pages).
        using (var log = new DurableFileStream(_data.File("acme-log.db"), log: true))
        {
            log.Write(PageOf(0));
            log.CopyAsOnDisk(_data.File("old-log.db"));
        }

        byte[] bytes = File.ReadAllBytes(_data.File("old-log.db"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(TransactionId), 1u << 30);
        File.WriteAllBytes(_data.File("old-log.db"), bytes);
        using var reopened = new DurableFileStream(_data.File("old-log.db"), log: true);
        long flushes = reopened.FlushesToDisk;

        reopened.SetLength(0);

        Assert.Equal(0, OnDisk(_data.File("old-log.db")));
        Assert.Equal(flushes + 1, reopened.FlushesToDisk); // the cut is durable before numbers start afresh
        reopened.Position = 0;
        reopened.Write(PageOf(0));
        Assert.Equal(1u, IdOnDisk(OnDiskBytes(reopened), 0)); // nothing of the old log is left to tell apart
    }

    [Fact]
    public void The_log_is_written_in_whole_pages_only()
    {
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true);

        Assert.Throws<InvalidOperationException>(() => log.Write(new byte[100]));
        log.Position = 100;
        Assert.Throws<InvalidOperationException>(() => log.Write(PageOf(1)));
    }

    [Fact]
    public void Closing_trims_the_room_ahead()
    {
        string path = _data.File("acme-log.db");
        using (var log = new DurableFileStream(path, log: true))
        {
            log.Write(PageOf(1));
        }

        Assert.Equal(Page, OnDisk(path));
    }

    [Fact]
    public void A_data_file_grows_by_what_is_written_only()
    {
        string path = _data.File("acme.db");
        using var data = new DurableFileStream(path);

        data.Write(PageOf(1));

        Assert.Equal(Page, data.Length);
        Assert.Equal(Page, OnDisk(path));
    }

    [Fact]
    public void Only_a_write_over_content_makes_the_data_file_durable_first()
    {
        using var data = new DurableFileStream(_data.File("acme.db"));
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true) { FlushBeforeOverwrite = data };
        log.Write(PageOf(1));
        log.Write(PageOf(2)); // into the zeros ahead: not an overwrite
        Assert.Equal(0, data.FlushesToDisk);

        log.Position = 0;
        log.Write(PageOf(3));

        Assert.Equal(1, data.FlushesToDisk);
    }

    [Fact]
    public void A_flush_to_disk_is_counted()
    {
        using var log = new DurableFileStream(_data.File("acme-log.db"), log: true);
        log.Write(PageOf(1));

        log.FlushToDisk();
        log.Flush();

        Assert.Equal(2, log.FlushesToDisk);
    }
}
