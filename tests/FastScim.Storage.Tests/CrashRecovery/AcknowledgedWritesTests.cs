using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.CrashRecovery;

/// <summary>
/// Acknowledged writes are in the files at the moment they are acknowledged, without a checkpoint
/// or an orderly close: a copy of the files taken then (what <c>kill -9</c> leaves) opens with
/// every acknowledged resource in it, recovered from the log (which ends in the blank pages
/// written ahead of it, <see cref="DurableFileStream"/>).
/// </summary>
public sealed class AcknowledgedWritesTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Files_left_at_acknowledgement_hold_every_acknowledged_write()
    {
        List<Widget> widgets = [.. Enumerable.Range(0, 40).Select(i => Widget.Named($"w{i}"))];
        string log = LiteDbFile.LogPathOf(_data.File("acme.db"));
        await using (var database = TenantDatabase.Open("acme", _data.File("acme.db")))
        {
            var collection = new LiteDbResourceCollection<Widget>(database, TestCodecs.Widget);
            await Task.WhenAll(widgets.Select(w => Task.Run(() => collection.CreateAsync(w))));

            // A process killed between a growth of the log and its close leaves zeros after the log's
            // content (DurableFileStream): write on until the log has them, as it does unless the
            // last commit filled its room exactly (a growth writes 64 KB at least, more than a create).
            for (int i = 0; i < 10 && new FileInfo(log).Length == database.File.LogLength; i++)
            {
                Widget more = Widget.Named($"more{i}");
                await collection.CreateAsync(more);
                widgets.Add(more);
            }

            Assert.True(database.File.LogLength > 0, "the writes are still only in the log: recovery is exercised");
            database.File.CopyFilesTo(_data.File("crashed.db"));
            Assert.True(
                new FileInfo(LiteDbFile.LogPathOf(_data.File("crashed.db"))).Length > database.File.LogLength,
                "the log left behind ends in the zeros written ahead of it: the reopened log ends before them");
        }

        await using var recovered = TenantDatabase.Open("acme", _data.File("crashed.db"));
        var widgetsAfterCrash = new LiteDbResourceCollection<Widget>(recovered, TestCodecs.Widget);
        ResourcePage<Widget> page = widgetsAfterCrash.List(0, 100);
        Assert.Equal(widgets.Count, page.TotalResults);
        Assert.All(widgets, w => Assert.Equal(w.Name, widgetsAfterCrash.Find(w.Id!)?.Name));
    }

    /// <summary>
    /// After a checkpoint LiteDB writes its next log over the last one (DurableFileStream keeps the
    /// file): files left at acknowledgement then hold the new log's pages followed by older ones,
    /// and recovery reads the new log alone — no older version of a renamed resource comes back,
    /// and none that was deleted.
    /// </summary>
    [Fact]
    public async Task Files_left_at_acknowledgement_after_a_checkpoint_hold_every_acknowledged_write_and_nothing_older()
    {
        List<Widget> widgets = [.. Enumerable.Range(0, 60).Select(i => Widget.Named($"w{i}"))];
        long oldLog, newLog;
        await using (var database = TenantDatabase.Open("acme", _data.File("acme.db")))
        {
            var collection = new LiteDbResourceCollection<Widget>(database, TestCodecs.Widget);
            foreach (Widget widget in widgets)
            {
                await collection.CreateAsync(widget); // one batch, one transaction each: a long log
            }

            oldLog = database.File.LogLength;
            database.Database.Checkpoint(); // the log copied into the data file, and emptied
            Assert.Equal(0, database.File.LogLength);

            await collection.UpdateAsync(widgets[0].Id!, null, w => { w.Name = "renamed"; return w; });
            await collection.DeleteAsync(widgets[1].Id!, null);
            Widget late = Widget.Named("late");
            await collection.CreateAsync(late);
            widgets.Add(late);

            newLog = database.File.LogLength;
            Assert.True(newLog < oldLog, "the new log is shorter than the old");
            database.File.CopyFilesTo(_data.File("crashed.db"));
        }

        byte[] leftBehind = File.ReadAllBytes(LiteDbFile.LogPathOf(_data.File("crashed.db")));
        Assert.Contains(leftBehind.AsSpan((int)newLog, 32).ToArray(), b => b != 0); // the old log's next page follows the new log

        await using var recovered = TenantDatabase.Open("acme", _data.File("crashed.db"));
        var widgetsAfterCrash = new LiteDbResourceCollection<Widget>(recovered, TestCodecs.Widget);
        Assert.Equal(widgets.Count - 1, widgetsAfterCrash.List(0, 100).TotalResults);
        Assert.Equal("renamed", widgetsAfterCrash.Find(widgets[0].Id!)?.Name);
        Assert.Null(widgetsAfterCrash.Find(widgets[1].Id!));
        Assert.All(widgets.Skip(2), w => Assert.Equal(w.Name, widgetsAfterCrash.Find(w.Id!)?.Name));
    }

    [Fact]
    public async Task A_batch_that_lost_a_page_to_a_power_cut_is_not_recovered_in_part()
    {
        Widget first = Widget.Named("kept");
        Widget second = Widget.Named("cut" + new string('x', 12_000)); // its record spans pages, whatever slot it is written in
        long before;
        await using (var database = TenantDatabase.Open("acme", _data.File("acme.db")))
        {
            var collection = new LiteDbResourceCollection<Widget>(database, TestCodecs.Widget);
            await collection.CreateAsync(first);
            before = database.File.LogLength;
            await collection.CreateAsync(second);
            Assert.True(database.File.LogLength - before >= 2 * 8192, $"the second batch's transaction spans pages enough to lose its first ({database.File.LogLength - before} bytes)");
            database.File.CopyFilesTo(_data.File("crashed.db"));
        }

        // As if the power failed before the second batch's flush, when the disk held its later
        // pages (the last one confirms the transaction) but not its first: zeros are left there.
        string log = LiteDbFile.LogPathOf(_data.File("crashed.db"));
        byte[] bytes = File.ReadAllBytes(log);
        Array.Clear(bytes, (int)before, 8192);
        File.WriteAllBytes(log, bytes);

        await using var recovered = TenantDatabase.Open("acme", _data.File("crashed.db"));
        var widgets = new LiteDbResourceCollection<Widget>(recovered, TestCodecs.Widget);
        Assert.Equal("kept", widgets.Find(first.Id!)?.Name);
        Assert.Null(widgets.Find(second.Id!));
        Assert.Equal(1, widgets.List(0, 10).TotalResults);
    }
}
