using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// The stream LiteDB's files are opened over: its length is what was written, and the log's file
/// keeps zeros written ahead of that, so that a commit lands in blocks already on disk and its
/// flush writes no metadata — while LiteDB, a reopened stream and a copy of the file taken at a
/// crash see only what was written.
/// </summary>
public sealed class DurableFileStreamTests : IDisposable
{
    private const int Page = 8192;
    private const int MinRoom = 64 * 1024;        // the least room written ahead
    private const int MaxRoom = 2 * 1024 * 1024;  // the most

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    /// <summary>A page whose bytes are <paramref name="seed"/> and what follows it (never a blank page).</summary>
    private static byte[] PageOf(int seed) => [.. Enumerable.Range(seed, Page).Select(i => (byte)(i % 251 + 1))];

    private static long OnDisk(string path) => new FileInfo(path).Length;

    [Fact]
    public void A_write_past_the_end_writes_zeros_ahead_and_the_length_stays_what_was_written()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, preallocated: true);

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
        using var log = new DurableFileStream(path, preallocated: true);

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
        using var log = new DurableFileStream(path, preallocated: true);
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
        using var log = new DurableFileStream(_data.File("acme-log.db"), preallocated: true);
        byte[] written = [.. PageOf(3), .. PageOf(4)];
        log.Write(written);

        log.Position = 0;
        using var read = new MemoryStream();
        log.CopyTo(read);

        Assert.Equal(written, read.ToArray());
        Assert.Equal(0, log.Read(new byte[Page], 0, Page));
    }

    /// <summary>A log of <paramref name="pages"/> pages copied as a crash leaves it (zeros ahead included), changed by <paramref name="damage"/>.</summary>
    private string CrashedLog(int pages, Action<byte[]>? damage = null)
    {
        using (var log = new DurableFileStream(_data.File("acme-log.db"), preallocated: true))
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

        using var reopened = new DurableFileStream(crashed, preallocated: true);

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

        using var reopened = new DurableFileStream(crashed, preallocated: true);

        Assert.Equal(Page, reopened.Length);
        Assert.Equal(Page, OnDisk(crashed)); // cut on disk: the next pages must not be followed by the old page 2
    }

    [Fact]
    public void A_page_whose_header_did_not_reach_the_disk_ends_the_log()
    {
        // Torn: the page's first 4 KB sector is zeros, its second was written.
        string crashed = CrashedLog(3, bytes => Array.Clear(bytes, Page, 4096));

        using var reopened = new DurableFileStream(crashed, preallocated: true);

        Assert.Equal(Page, reopened.Length);
    }

    [Fact]
    public void A_last_page_the_file_does_not_hold_whole_is_cut()
    {
        string crashed = CrashedLog(3);
        byte[] bytes = File.ReadAllBytes(crashed);
        File.WriteAllBytes(crashed, bytes.AsSpan(0, (2 * Page) + 4096).ToArray());

        using var reopened = new DurableFileStream(crashed, preallocated: true);

        Assert.Equal(2 * Page, reopened.Length);
        Assert.Equal(2 * Page, OnDisk(crashed));
    }

    [Fact]
    public void Cutting_the_log_makes_the_data_file_durable_first()
    {
        using var data = new DurableFileStream(_data.File("acme.db"));
        using var log = new DurableFileStream(_data.File("acme-log.db"), preallocated: true) { FlushBeforeOverwrite = data };
        log.Write(PageOf(1));
        Assert.Equal(0, data.FlushesToDisk);

        log.SetLength(0);

        Assert.Equal(1, data.FlushesToDisk);
    }

    [Fact]
    public void Cutting_the_file_drops_the_room_ahead_with_everything_after_the_cut()
    {
        string path = _data.File("acme-log.db");
        using var log = new DurableFileStream(path, preallocated: true);
        log.Write(PageOf(1));
        log.Write(PageOf(2));

        log.SetLength(0);

        Assert.Equal(0, log.Length);
        Assert.Equal(0, OnDisk(path));
        log.Position = 0;
        log.Write(PageOf(3));
        Assert.Equal(Page, log.Length);
        Assert.Equal(Page + MinRoom, OnDisk(path));
    }

    [Fact]
    public void Closing_trims_the_room_ahead()
    {
        string path = _data.File("acme-log.db");
        using (var log = new DurableFileStream(path, preallocated: true))
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
        using var log = new DurableFileStream(_data.File("acme-log.db"), preallocated: true) { FlushBeforeOverwrite = data };
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
        using var log = new DurableFileStream(_data.File("acme-log.db"), preallocated: true);
        log.Write(PageOf(1));

        log.FlushToDisk();
        log.Flush();

        Assert.Equal(2, log.FlushesToDisk);
    }
}
