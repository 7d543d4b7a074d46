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
        Widget[] widgets = [.. Enumerable.Range(0, 40).Select(i => Widget.Named($"w{i}"))];
        await using (var database = TenantDatabase.Open("acme", _data.File("acme.db")))
        {
            var collection = new LiteDbResourceCollection<Widget>(database, TestCodecs.Widget);
            await Task.WhenAll(widgets.Select(w => Task.Run(() => collection.CreateAsync(w))));

            Assert.True(database.File.LogLength > 0, "the writes are still only in the log: recovery is exercised");
            database.File.CopyFilesTo(_data.File("crashed.db"));
            Assert.True(
                new FileInfo(LiteDbFile.LogPathOf(_data.File("crashed.db"))).Length > database.File.LogLength,
                "the log left behind ends in the zeros written ahead of it: recovery reads past them");
        }

        await using var recovered = TenantDatabase.Open("acme", _data.File("crashed.db"));
        var widgetsAfterCrash = new LiteDbResourceCollection<Widget>(recovered, TestCodecs.Widget);
        ResourcePage<Widget> page = widgetsAfterCrash.List(0, 100);
        Assert.Equal(40, page.TotalResults);
        Assert.All(widgets, w => Assert.Equal(w.Name, widgetsAfterCrash.Find(w.Id!)?.Name));
    }
}
