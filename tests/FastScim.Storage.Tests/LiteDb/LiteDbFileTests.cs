using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>
/// What LiteDB 5.0.21 does with its files, which the durability design relies on: a commit's
/// pages are in the log file when Commit() returns, and a checkpoint makes the data file durable
/// before it discards the log.
/// </summary>
public sealed class LiteDbFileTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Log_file_is_named_like_LiteDB_names_it()
    {
        Assert.Equal(Path.Combine("dir", "acme-log.db"), LiteDbFile.LogPathOf(Path.Combine("dir", "acme.db")));
    }

    [Fact]
    public void A_commit_is_in_the_log_file_when_Commit_returns()
    {
        using var file = LiteDbFile.Open(_data.File("acme.db"));
        long before = file.LogLength;

        file.Database.BeginTrans();
        file.Database.GetCollection("things").Insert(new BsonDocument { ["_id"] = 1, ["name"] = "one" });
        file.Database.Commit();

        Assert.True(file.LogLength > before, "LiteDB wrote the commit to the log synchronously");
    }

    [Fact]
    public void A_checkpoint_fsyncs_the_data_file_before_discarding_the_log()
    {
        using var file = LiteDbFile.Open(_data.File("acme.db"));
        file.Database.GetCollection("things").Insert(new BsonDocument { ["_id"] = 1, ["name"] = "one" });
        Assert.True(file.LogLength > 0);
        long dataFlushes = file.DataFlushesToDisk;

        file.Database.Checkpoint();

        Assert.Equal(0, file.LogLength);
        Assert.True(file.DataFlushesToDisk > dataFlushes);
    }

    [Fact]
    public void Data_written_before_dispose_is_there_after_reopening()
    {
        using (var file = LiteDbFile.Open(_data.File("acme.db")))
        {
            file.Database.GetCollection("things").Insert(new BsonDocument { ["_id"] = 1, ["name"] = "one" });
        }

        using var reopened = LiteDbFile.Open(_data.File("acme.db"));
        Assert.Equal("one", reopened.Database.GetCollection("things").FindById(1)["name"].AsString);
    }
}
