using FastScim.Core.Resources;
using FastScim.Core.Protocol;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

[Collection(LogThresholds.Collection)]
public sealed class LiteDbResourceCollectionTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private TenantDatabase _database = null!;
    private LiteDbResourceCollection<Widget> _widgets = null!;

    private string FilePath => _data.File("acme.db");

    public Task InitializeAsync()
    {
        Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose() => _data.Dispose(); // after DisposeAsync closed the file

    private void Open()
    {
        _database = TenantDatabase.Open("acme", FilePath);
        _widgets = new LiteDbResourceCollection<Widget>(_database, TestCodecs.Widget);
    }

    private async Task ReopenAsync()
    {
        await _database.DisposeAsync();
        Open();
    }

    /// <summary>The records of the widgets' log, as (number, slot), in the order they were written (<see cref="ResourceLog"/>).</summary>
    private List<(long Number, long Slot)> LogRecords() =>
        [.. StoredResources.Records(_database.Database, "widgets").Select(r => (ResourceLog.NumberOf(r), ResourceLog.SlotOf(r)))];

    /// <summary>Renames the widget <paramref name="id"/> (a write of its own, or of the batch it joins).</summary>
    private Task<Widget> RenameAsync(string id, string name) => _widgets.UpdateAsync(id, null, w => { w.Name = name; return w; });

    /// <summary>The widgets' log as LiteDB holds it.</summary>
    private LiteDB.ILiteCollection<LiteDB.BsonDocument> Log() => _database.Database.GetCollection(ResourceLog.CollectionOf("widgets"));

    [Fact]
    public async Task Created_resource_is_found_by_id()
    {
        Widget widget = Widget.Named("sprocket");
        widget.ExternalId = "ext-1";

        await _widgets.CreateAsync(widget);

        Widget? found = _widgets.Find(widget.Id!);
        Assert.NotNull(found);
        Assert.Equal("sprocket", found.Name);
        Assert.Equal("ext-1", found.ExternalId);
        Assert.Null(_widgets.Find("no-such-id"));
    }

    [Fact]
    public async Task Shared_reads_answer_the_stored_resource_and_the_others_a_copy_of_it()
    {
        Widget widget = Widget.Named("shared");
        await _widgets.CreateAsync(widget);

        Widget shared = _widgets.FindShared(widget.Id!)!;

        // The created resource was handed over (IResourceCollection.CreateAsync): kept, not copied.
        Assert.Same(widget, shared);
        Assert.Same(shared, _widgets.FindShared(widget.Id!));
        Assert.Same(shared, _widgets.ListShared(0, 10).Resources.Single());
        Assert.NotSame(shared, _widgets.Find(widget.Id!));
        Assert.NotSame(shared, _widgets.List(0, 10).Resources.Single());
        Assert.Equal("shared", _widgets.List(0, 10).Resources.Single().Name);
        Assert.Null(_widgets.FindShared("no-such-id"));
        Assert.Equal(1, _widgets.ListShared(5, 10).TotalResults);
        Assert.Empty(_widgets.ListShared(5, 10).Resources);
    }

    /// <summary>
    /// An update completes with the stored version itself (IResourceCollection.UpdateAsync): the
    /// model keeps the change's result, not a copy of it; one that changes nothing answers a
    /// resource like the stored one, which stays as it was.
    /// </summary>
    [Fact]
    public async Task An_update_answers_the_version_it_stored_itself()
    {
        Widget widget = Widget.Named("before");
        await _widgets.CreateAsync(widget);

        Widget renamed = await RenameAsync(widget.Id!, "after");
        Widget stored = _widgets.FindShared(widget.Id!)!;
        Assert.Same(renamed, stored);
        Assert.Equal("after", stored.Name);
        string version = stored.Meta!.Version!;

        Widget same = await RenameAsync(widget.Id!, "after");
        Assert.NotSame(same, _widgets.FindShared(widget.Id!));
        Assert.Same(stored, _widgets.FindShared(widget.Id!));
        Assert.Equal(version, same.Meta!.Version);
    }

    /// <summary>A collection whose codec leaves an attribute out keeps a created resource as a copy without it (the caller's keeps it).</summary>
    [Fact]
    public async Task A_codec_that_leaves_an_attribute_out_keeps_a_created_resource_as_a_copy_without_it()
    {
        await using var database = TenantDatabase.Open("other", _data.File("other.db"));
        var codec = TestCodecs.Widget.Without("name", w => new Widget { Id = w.Id, ExternalId = w.ExternalId, Meta = ResourceMeta.CopyOf(w.Meta) });
        var widgets = new LiteDbResourceCollection<Widget>(database, codec);
        Widget widget = Widget.Named("left out");
        await widgets.CreateAsync(widget);

        Widget shared = widgets.FindShared(widget.Id!)!;
        Assert.NotSame(widget, shared);
        Assert.Null(shared.Name);
        Assert.Equal("left out", widget.Name);
    }

    [Fact]
    public async Task Create_completes_only_after_a_flush_to_disk()
    {
        long before = _database.DurableCommits;

        await _widgets.CreateAsync(Widget.Named("sprocket"));

        Assert.True(_database.DurableCommits > before);
    }

    [Fact]
    public async Task List_returns_creation_order_pages_and_the_total()
    {
        var created = new List<Widget>();
        for (int i = 0; i < 10; i++)
        {
            Widget widget = Widget.Named($"w{i}");
            created.Add(widget);
            await _widgets.CreateAsync(widget);
        }

        ResourcePage<Widget> all = _widgets.List(0, 100);
        ResourcePage<Widget> page = _widgets.List(3, 4);
        ResourcePage<Widget> tail = _widgets.List(8, 4);
        ResourcePage<Widget> none = _widgets.List(0, 0);
        ResourcePage<Widget> beyond = _widgets.List(20, 5);

        Assert.Equal(created.Select(w => w.Id), all.Resources.Select(w => w.Id));
        Assert.Equal(created.Skip(3).Take(4).Select(w => w.Id), page.Resources.Select(w => w.Id));
        Assert.Equal(created.Skip(8).Select(w => w.Id), tail.Resources.Select(w => w.Id));
        Assert.Empty(none.Resources);
        Assert.Empty(beyond.Resources);
        Assert.All([all, page, tail, none, beyond], p => Assert.Equal(10, p.TotalResults));
    }

    [Fact]
    public async Task Duplicate_unique_attribute_is_refused_case_insensitively_with_409_uniqueness()
    {
        await _widgets.CreateAsync(Widget.Named("Sprocket"));

        ScimException refusal = await Assert.ThrowsAsync<ScimException>(() => _widgets.CreateAsync(Widget.Named("sPROCKET")));

        Assert.Equal(409, refusal.Status);
        Assert.Equal(ScimType.Uniqueness, refusal.ScimType);
        Assert.Contains("name", refusal.Detail, StringComparison.Ordinal);
        Assert.Contains("already exists", refusal.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _widgets.List(0, 10).TotalResults);
    }

    [Fact]
    public async Task A_name_given_up_is_free_at_once_though_the_index_still_names_its_old_holder()
    {
        // The model's unique index keeps naming the renamed widget under its old name for a while
        // (ModelIndex: readers of older snapshots may look for it); the writer reads its keys.
        Widget renamed = Widget.Named("first-name");
        await _widgets.CreateAsync(renamed);
        await RenameAsync(renamed.Id!, "second-name");

        Widget taker = Widget.Named("FIRST-NAME");
        await _widgets.CreateAsync(taker);

        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => RenameAsync(renamed.Id!, "First-Name"))).ScimType);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => _widgets.CreateAsync(Widget.Named("Second-Name")))).ScimType);
        Assert.Equal(["second-name", "FIRST-NAME"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task Duplicate_id_is_refused()
    {
        Widget first = Widget.Named("a");
        await _widgets.CreateAsync(first);

        ScimException refusal = await Assert.ThrowsAsync<ScimException>(
            () => _widgets.CreateAsync(new Widget { Id = first.Id, Name = "b" }));

        Assert.Equal(409, refusal.Status);
        Assert.Equal("a", _widgets.Find(first.Id!)!.Name);
    }

    [Fact]
    public async Task A_conflict_inside_a_batch_fails_only_that_write()
    {
        await _widgets.CreateAsync(Widget.Named("existing"));
        using var hold = new WriterHold(_database);
        long commitsBefore = _database.DurableCommits;

        Widget a = Widget.Named("alpha");
        Widget dupOfA = Widget.Named("ALPHA");
        Widget dupOfExisting = Widget.Named("Existing");
        Widget b = Widget.Named("beta");
        Task createA = _widgets.CreateAsync(a);
        Task createDupOfA = _widgets.CreateAsync(dupOfA);
        Task createDupOfExisting = _widgets.CreateAsync(dupOfExisting);
        Task createB = _widgets.CreateAsync(b);
        await hold.ReleaseAsync();

        await createA;
        await createB;
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => createDupOfA)).ScimType);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => createDupOfExisting)).ScimType);
        Assert.NotNull(_widgets.Find(a.Id!));
        Assert.NotNull(_widgets.Find(b.Id!));
        Assert.Null(_widgets.Find(dupOfA.Id!));
        Assert.Null(_widgets.Find(dupOfExisting.Id!));

        // The held write and the four creates took at most two commits (group commit), not five.
        Assert.InRange(_database.DurableCommits - commitsBefore, 1, 2);

        await ReopenAsync();
        Assert.Equal(["existing", "alpha", "beta"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task Within_a_batch_a_name_freed_by_a_rename_or_a_delete_can_be_taken_and_a_taken_one_cannot()
    {
        Widget renamed = Widget.Named("old-name");
        Widget deleted = Widget.Named("gone");
        Widget holder = Widget.Named("held");
        await _widgets.CreateAsync(renamed);
        await _widgets.CreateAsync(deleted);
        await _widgets.CreateAsync(holder);
        using var hold = new WriterHold(_database);

        Task rename = RenameAsync(renamed.Id!, "new-name");
        Widget takesOldName = Widget.Named("OLD-NAME");
        Task createOld = _widgets.CreateAsync(takesOldName);
        Widget takesNewName = Widget.Named("New-Name");
        Task createNew = _widgets.CreateAsync(takesNewName);
        Task delete = _widgets.DeleteAsync(deleted.Id!, null);
        Widget takesDeletedName = Widget.Named("Gone");
        Task createDeleted = _widgets.CreateAsync(takesDeletedName);
        Task renameOntoHolder = RenameAsync(takesOldName.Id!, "HELD");
        Task keepOwnNameInAnotherCase = RenameAsync(holder.Id!, "Held");
        await hold.ReleaseAsync();

        await Task.WhenAll(rename, createOld, delete, createDeleted, keepOwnNameInAnotherCase);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => createNew)).ScimType);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => renameOntoHolder)).ScimType);

        await ReopenAsync();
        Assert.Equal(
            ["new-name", "Held", "OLD-NAME", "Gone"],
            _widgets.List(0, 10).Resources.Select(w => w.Name));
        Assert.Null(_widgets.Find(takesNewName.Id!));
        Assert.Null(_widgets.Find(deleted.Id!));

        // And after the batch, from the committed model alone.
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => _widgets.CreateAsync(Widget.Named("gone")))).ScimType);
        await _widgets.CreateAsync(Widget.Named("old-name-2"));
    }

    [Fact]
    public async Task Within_a_batch_a_name_held_only_by_an_earlier_change_of_a_resource_is_free_again()
    {
        using var hold = new WriterHold(_database);
        Widget created = Widget.Named("first");
        Widget brief = Widget.Named("brief");
        Task create = _widgets.CreateAsync(created);
        Task rename = RenameAsync(created.Id!, "second");
        Task createBrief = _widgets.CreateAsync(brief);
        Task delete = _widgets.DeleteAsync(brief.Id!, null);
        Widget takesFirst = Widget.Named("FIRST");
        Task createFirst = _widgets.CreateAsync(takesFirst);
        Widget takesBrief = Widget.Named("Brief");
        Task createBriefAgain = _widgets.CreateAsync(takesBrief);
        Task createSecond = _widgets.CreateAsync(Widget.Named("Second"));
        await hold.ReleaseAsync();

        await Task.WhenAll(create, rename, createBrief, delete, createFirst, createBriefAgain);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => createSecond)).ScimType);
        Assert.Equal(["second", "FIRST", "Brief"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task An_update_or_delete_of_a_resource_created_earlier_in_the_same_batch_sees_it()
    {
        using var hold = new WriterHold(_database);
        Widget created = Widget.Named("fresh");
        Widget createdThenDeleted = Widget.Named("brief");

        Task create = _widgets.CreateAsync(created);
        Task update = _widgets.UpdateAsync(created.Id!, null, w => { w.ExternalId = "x-1"; return w; });
        Task createBrief = _widgets.CreateAsync(createdThenDeleted);
        Task delete = _widgets.DeleteAsync(createdThenDeleted.Id!, null);
        Task deleteAgain = _widgets.DeleteAsync(createdThenDeleted.Id!, null);
        await hold.ReleaseAsync();

        await Task.WhenAll(create, update, createBrief, delete);
        Assert.Equal(404, (await Assert.ThrowsAsync<ScimException>(() => deleteAgain)).Status);
        Assert.Equal("x-1", _widgets.Find(created.Id!)!.ExternalId);
        Assert.Null(_widgets.Find(createdThenDeleted.Id!));
    }

    [Fact]
    public async Task After_a_commit_that_could_not_be_made_durable_the_tenant_refuses_writes_and_still_reads()
    {
        Widget kept = Widget.Named("kept");
        await _widgets.CreateAsync(kept);
        _database.File.BeforeFlushToDisk = static () => throw new IOException("the disk is gone");

        Widget inDoubt = Widget.Named("in-doubt");
        var failed = await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(inDoubt));
        _database.File.BeforeFlushToDisk = null;
        var refused = await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(Widget.Named("after")));

        Assert.Contains("restarts", failed.Message, StringComparison.Ordinal);
        Assert.Same(failed, refused);
        Assert.Null(_widgets.Find(inDoubt.Id!)); // never acknowledged, never published
        Assert.Equal(["kept"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task A_commit_that_throws_after_its_pages_reached_the_log_faults_the_tenant_and_the_file_reopens_with_every_acknowledged_write()
    {
        // LiteDB checkpoints inside Commit(), after the transaction's pages are in the log: with a
        // checkpoint once the log holds more than a page, a data file that cannot be flushed makes
        // Commit() throw then.
        // The tenant is faulted, because the ledger would otherwise still offer the slot the record
        // in doubt was written in.
        Widget kept = Widget.Named("kept");
        await _widgets.CreateAsync(kept); // record 1, in slot -1: the next create inserts record 2 in slot -2
        _database.Database.Pragma("CHECKPOINT", 1);
        _database.File.BeforeDataFlushToDisk = static () => throw new IOException("the data disk is gone");

        Widget inDoubt = Widget.Named("in-doubt" + new string('x', 12_000)); // pages enough to pass the checkpoint's mark
        var failed = await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(inDoubt));
        _database.File.BeforeDataFlushToDisk = null;
        var refused = await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(Widget.Named("after")));

        Assert.Contains("restarts", failed.Message, StringComparison.Ordinal);
        Assert.Same(failed, refused);
        Assert.Equal(["kept"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        // Reopened, whatever LiteDB's recovery kept of the commit in doubt, the acknowledged write
        // is there and the tenant takes writes again.
        await ReopenAsync();
        Assert.Equal("kept", _widgets.Find(kept.Id!)?.Name);
        await _widgets.CreateAsync(Widget.Named("later"));
        Assert.Contains("later", _widgets.List(0, 10).Resources.Select(w => w.Name));
        await ReopenAsync();
        Assert.Contains("later", _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task A_file_of_an_earlier_version_with_a_document_per_resource_and_its_indexes_opens_moved_into_the_log_in_its_order()
    {
        await _database.DisposeAsync();
        File.Delete(FilePath);
        using (var file = new LiteDB.LiteDatabase($"Filename={FilePath}"))
        {
            var widgets = file.GetCollection("widgets");
            widgets.EnsureIndex("_seq", "$._seq", unique: true);
            widgets.EnsureIndex("name", "LOWER($.name)", unique: true);

            // Stored out of creation order: the model must order them by _seq, not by storage.
            widgets.Insert(new LiteDB.BsonDocument { ["_id"] = "b", ["name"] = "second", ["_seq"] = 7L });
            widgets.Insert(new LiteDB.BsonDocument { ["_id"] = "c", ["name"] = "third", ["_seq"] = 9L });
            widgets.Insert(new LiteDB.BsonDocument { ["_id"] = "a", ["name"] = "first", ["_seq"] = 3L });
        }

        Open();
        Widget next = Widget.Named("fourth");
        await _widgets.CreateAsync(next);
        Assert.Equal(ScimType.Uniqueness, (await Assert.ThrowsAsync<ScimException>(() => _widgets.CreateAsync(Widget.Named("SECOND")))).ScimType);

        Assert.Equal(["first", "second", "third", "fourth"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        // The documents moved into the log, and their collection went with its indexes.
        Assert.False(_database.Database.CollectionExists("widgets"));
        Assert.Empty(_database.Database.GetCollection("$indexes").Find("$.collection = 'widgets'"));
        Assert.Equal(["first", "second", "third", "fourth"], StoredResources.Of(_database.Database, "widgets").Select(d => d["name"].AsString));
        Assert.Equal(10L, StoredResources.Find(_database.Database, "widgets", next.Id!)!["_seq"].AsInt64);
    }

    [Fact]
    public async Task The_log_drops_what_later_entries_superseded_and_reads_back_the_same_resources()
    {
        // No emptied record kept beyond the one written over; a step as soon as the superseded entries reach the live ones.
        using var thresholds = LogThresholds.Lower(minDeadEntries: 2, entriesPerStep: 3, emptiedKept: 0, deadPerLive: 1);
        await ReopenAsync(); // a ledger takes the thresholds when its tenant opens
        var (a, b, c, d, e) = (Widget.Named("a"), Widget.Named("b"), Widget.Named("c"), Widget.Named("d"), Widget.Named("e"));

        // One write per batch: records 1–3 create a, b, c; 4–6 rename a; 7 creates d. A new
        // record's slot is its number negated; a record whose every entry a later one superseded,
        // with no deletion in it, goes with the next batch, which is written in its slot: 5 over 1,
        // 6 over 4, 7 over 5 (in slot -1).
        foreach (Widget widget in new[] { a, b, c })
        {
            await _widgets.CreateAsync(widget);
        }

        for (int i = 1; i <= 3; i++)
        {
            string name = "a" + i;
            await RenameAsync(a.Id!, name);
        }

        await _widgets.CreateAsync(d);
        Assert.Equal([(2L, -2L), (3L, -3L), (6L, -4L), (7L, -1L)], LogRecords());

        // Deleting b (8) and c (9, over 2, which 8 emptied) leaves three superseded entries (c's in
        // 3, two deletions) against two live ones: after 9 a compaction step takes the oldest
        // records up to three entries (3, 6, 7), writes a3 and d again as 10 in 3's slot and
        // deletes 6 and 7. The two deletions, as many as the live entries, go in the step after
        // the next batch.
        await _widgets.DeleteAsync(b.Id!, null);
        await _widgets.DeleteAsync(c.Id!, null);
        // A step runs after its batch is answered: the first empty write lets the step after
        // deleting c run and is a batch after which the next step runs; the second waits for it.
        await _database.WriteAsync(static _ => true);
        await _database.WriteAsync(static _ => true);
        Assert.Equal([(10L, -3L)], LogRecords());
        Assert.Equal([a.Id, d.Id], ResourceLog.Entries(Log().FindById(-3L)).Select(entry => entry.Id));

        // Reopened, the ledger counts the same from the file: renaming d twice (11, 12) makes
        // two superseded entries against two live ones; the step takes 10 and 11 and writes a3
        // again as 13, in 10's slot.
        await ReopenAsync();
        foreach (string name in new[] { "d1", "d2" })
        {
            await RenameAsync(d.Id!, name);
        }

        await _widgets.CreateAsync(e); // 14, after the step
        Assert.Equal([(12L, -12L), (13L, -3L), (14L, -14L)], LogRecords());
        Assert.Equal([a.Id], ResourceLog.Entries(Log().FindById(-3L)).Select(entry => entry.Id));

        Assert.Equal(["a3", "d2", "e"], _widgets.List(0, 10).Resources.Select(w => w.Name));
        await ReopenAsync();
        Assert.Equal(["a3", "d2", "e"], _widgets.List(0, 10).Resources.Select(w => w.Name));
        Assert.Equal(["a3", "d2", "e"], StoredResources.Of(_database.Database, "widgets").Select(doc => doc["name"].AsString));

    }

    [Fact]
    public async Task A_record_written_over_an_emptied_one_wins_over_older_entries_in_later_slots_when_the_file_reopens()
    {
        using var thresholds = LogThresholds.Lower(emptiedKept: 0); // one emptied record at most, the one written over
        await ReopenAsync();
        var (a, b, x, y, z) = (Widget.Named("a"), Widget.Named("b"), Widget.Named("x"), Widget.Named("y"), Widget.Named("z"));
        await _widgets.CreateAsync(a); // 1
        await _widgets.CreateAsync(b); // 2
        using (var hold = new WriterHold(_database))
        {
            // One batch, record 3: z keeps it from being emptied when x and y change.
            Task created = Task.WhenAll(new[] { x, y, z }.Select(w => _widgets.CreateAsync(w)));
            await hold.ReleaseAsync();
            await created;
        }

        // 4 renames a, emptying 1; 5 renames x in 1's slot; 6 renames b, emptying 2; 7 deletes y
        // in 2's slot. Records are read in slot order: new ones (slots -6, -4) before record 3
        // (slot -3), while x's newer version and y's deletion, in slots -1 and -2, are read after
        // record 3's older entries of theirs. Newer entries come both before and after older ones.
        await RenameAsync(a.Id!, "a1");
        await RenameAsync(x.Id!, "x1");
        await RenameAsync(b.Id!, "b1");
        await _widgets.DeleteAsync(y.Id!, null);
        Assert.Equal([(3L, -3L), (4L, -4L), (5L, -1L), (6L, -6L), (7L, -2L)], LogRecords());

        await ReopenAsync();
        Assert.Equal(["a1", "b1", "x1", "z"], _widgets.List(0, 10).Resources.Select(w => w.Name));
        Assert.Null(_widgets.Find(y.Id!));

        // 8 renames x again in a new slot, emptying 5; 9 renames b in 5's slot (1), emptying 6,
        // which is still there when the file reopens: read after 9, its only entry is superseded
        // as it is read, and the reopened ledger finds the record emptied, so 10 goes in its slot.
        await RenameAsync(x.Id!, "x2");
        await RenameAsync(b.Id!, "b2");
        Assert.Equal([(3L, -3L), (4L, -4L), (6L, -6L), (7L, -2L), (8L, -8L), (9L, -1L)], LogRecords());
        await ReopenAsync();
        await _widgets.CreateAsync(Widget.Named("w"));
        Assert.Equal([(3L, -3L), (4L, -4L), (7L, -2L), (8L, -8L), (9L, -1L), (10L, -6L)], LogRecords());

        await ReopenAsync();
        Assert.Equal(["a1", "b2", "x2", "z", "w"], _widgets.List(0, 10).Resources.Select(w => w.Name));
        Assert.Equal(["a1", "b2", "x2", "z", "w"], StoredResources.Of(_database.Database, "widgets").Select(doc => doc["name"].AsString));

    }

    [Fact]
    public async Task A_batch_that_finds_no_emptied_record_inserts_its_own_at_the_head_and_emptied_records_beyond_the_one_written_over_wait_up_to_the_number_kept()
    {
        using var thresholds = LogThresholds.Lower(emptiedKept: 1);
        await ReopenAsync(); // a ledger takes the thresholds when its tenant opens
        var (a, b, c, d) = (Widget.Named("a"), Widget.Named("b"), Widget.Named("c"), Widget.Named("d"));

        // No emptied record to write over: each create inserts its record, in its number negated.
        foreach (Widget widget in new[] { a, b, c, d })
        {
            await _widgets.CreateAsync(widget);
        }

        Assert.Equal([(1L, -1L), (2L, -2L), (3L, -3L), (4L, -4L)], LogRecords());

        using (var hold = new WriterHold(_database))
        {
            // One batch: record 5 renames a, b and c, emptying 1, 2 and 3.
            Task renamed = Task.WhenAll(new[] { a, b, c }.Select(w => RenameAsync(w.Id!, w.Name + "1")));
            await hold.ReleaseAsync();
            await renamed;
        }

        // 6 is written over 1, the oldest emptied; 2 is kept (one); 3 is deleted.
        await _widgets.CreateAsync(Widget.Named("e"));
        Assert.Equal([(2L, -2L), (4L, -4L), (5L, -5L), (6L, -1L)], LogRecords());

        // Reopened, the kept record is found emptied again and 7 is written over it; 8 finds none.
        await ReopenAsync();
        await _widgets.CreateAsync(Widget.Named("f"));
        Assert.Equal([(4L, -4L), (5L, -5L), (6L, -1L), (7L, -2L)], LogRecords());
        await _widgets.CreateAsync(Widget.Named("g"));
        Assert.Equal([(4L, -4L), (5L, -5L), (6L, -1L), (7L, -2L), (8L, -8L)], LogRecords());

        // A batch of an earlier version that found no emptied record inserted spare records ahead
        // (no entries, their numbers negated: 9–11) and its own after them in its number (12, slot
        // 12). Opened, the spares are emptied records like any other: h (13) is written over 9, 10
        // is kept (one), 11 deleted; i (14) is written over 10; j (15) finds none and goes at the head.
        await _database.DisposeAsync();
        Widget old = Widget.Named("old");
        using (var file = new LiteDB.LiteDatabase($"Filename={FilePath}"))
        {
            var log = file.GetCollection(ResourceLog.CollectionOf("widgets"));
            log.Insert([ResourceLog.Record(-9, 9, []), ResourceLog.Record(-10, 10, []), ResourceLog.Record(-11, 11, [])]);
            var entries = new LiteDB.BsonArray();
            ResourceLog.AddPut(entries, old.Id!, 8, TestCodecs.Widget.ToBytes(old));
            log.Insert(ResourceLog.Record(12, 12, entries));
        }

        Open();
        await _widgets.CreateAsync(Widget.Named("h"));
        Assert.Equal([(4L, -4L), (5L, -5L), (6L, -1L), (7L, -2L), (8L, -8L), (10L, -10L), (12L, 12L), (13L, -9L)], LogRecords());
        await _widgets.CreateAsync(Widget.Named("i"));
        await _widgets.CreateAsync(Widget.Named("j"));
        Assert.Equal([(4L, -4L), (5L, -5L), (6L, -1L), (7L, -2L), (8L, -8L), (12L, 12L), (13L, -9L), (14L, -10L), (15L, -15L)], LogRecords());

        string[] names = ["a1", "b1", "c1", "d", "e", "f", "g", "old", "h", "i", "j"];
        await ReopenAsync();
        Assert.Equal(names, _widgets.List(0, 20).Resources.Select(w => w.Name));
        Assert.Equal(names, StoredResources.Of(_database.Database, "widgets").Select(doc => doc["name"].AsString));
    }

    [Fact]
    public async Task Compaction_keeps_the_later_of_two_entries_one_batch_wrote_for_a_resource()
    {
        using var thresholds = LogThresholds.Lower(minDeadEntries: 2, entriesPerStep: 3, emptiedKept: 0); // one record per batch
        await ReopenAsync();
        Widget x = Widget.Named("x");
        Widget y = Widget.Named("y");
        await _widgets.CreateAsync(x);
        using (var hold = new WriterHold(_database))
        {
            // One batch, one record (2) with two entries of x: the second is x's version.
            Task first = RenameAsync(x.Id!, "x1");
            Task second = RenameAsync(x.Id!, "x2");
            await hold.ReleaseAsync();
            await Task.WhenAll(first, second);
        }

        // y created, renamed and deleted: three superseded entries against x's one live one,
        // so a step takes record 2 and writes its live entry again.
        await _widgets.CreateAsync(y);
        await RenameAsync(y.Id!, "y1");
        await _widgets.DeleteAsync(y.Id!, null);
        await _database.WriteAsync(static _ => true);
        Assert.DoesNotContain(2L, LogRecords().Select(r => r.Number));

        await ReopenAsync();
        Assert.Equal(["x2"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task A_compaction_step_that_could_not_be_made_durable_refuses_later_writes_and_the_file_reopens_with_every_acknowledged_one()
    {
        using var thresholds = LogThresholds.Lower(minDeadEntries: 2, entriesPerStep: 3, deadPerLive: 1);
        await ReopenAsync();
        var (a, b, c) = (Widget.Named("a"), Widget.Named("b"), Widget.Named("c"));
        foreach (Widget widget in new[] { a, b, c })
        {
            await _widgets.CreateAsync(widget);
        }

        await _widgets.DeleteAsync(b.Id!, null);
        await _database.WriteAsync(static _ => true); // the step after deleting b (a and c written again) is done

        // Deleting c leaves three superseded entries against a's one: its batch is made durable,
        // then the compaction step after it is committed and its fsync fails.
        int flushes = 0;
        _database.File.BeforeFlushToDisk = () =>
        {
            if (++flushes > 1)
            {
                throw new IOException("the disk is gone");
            }
        };
        await _widgets.DeleteAsync(c.Id!, null);

        var refused = await Assert.ThrowsAsync<IOException>(() => _widgets.CreateAsync(Widget.Named("after")));
        Assert.Contains("restarts", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, flushes);
        Assert.Equal(["a"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        _database.File.BeforeFlushToDisk = null;
        await ReopenAsync();
        Assert.Equal(["a"], _widgets.List(0, 10).Resources.Select(w => w.Name));
        Assert.Equal(["a"], StoredResources.Of(_database.Database, "widgets").Select(doc => doc["name"].AsString));
        await _widgets.CreateAsync(Widget.Named("d"));
        Assert.Equal(["a", "d"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    /// <summary>
    /// Queues, while a <see cref="WriterHold"/> keeps the writer, one batch that it must redo one
    /// operation at a time: a create of the widget "before", a write that stores the widget
    /// "half-done" and then throws, and a create of the widget "after".
    /// </summary>
    private (Widget Before, Widget After, Task CreateBefore, Task<bool> Broken, Task CreateAfter) QueueBatchToRedo()
    {
        Widget before = Widget.Named("before");
        Widget after = Widget.Named("after");
        Task createBefore = _widgets.CreateAsync(before);
        Task<bool> broken = _database.WriteAsync<bool>(context =>
        {
            Widget half = Widget.Named("half");
            half.Id = "half-done";
            _widgets.Insert(context, half);
            throw new InvalidOperationException("failed halfway");
        });
        return (before, after, createBefore, broken, _widgets.CreateAsync(after));
    }

    [Fact]
    public async Task A_write_that_fails_after_changing_something_is_undone_and_the_rest_of_its_batch_kept()
    {
        using var hold = new WriterHold(_database);
        var (before, after, createBefore, broken, createAfter) = QueueBatchToRedo();
        await hold.ReleaseAsync();

        await createBefore;
        await createAfter;
        InvalidOperationException failure = await Assert.ThrowsAsync<InvalidOperationException>(() => broken);
        Assert.Equal("failed halfway", failure.Message);
        Assert.Null(_widgets.Find("half-done"));
        Assert.NotNull(_widgets.Find(before.Id!));
        Assert.NotNull(_widgets.Find(after.Id!));
        Assert.Equal(2, _widgets.List(0, 10).TotalResults);
    }

    /// <summary>
    /// A batch redone one operation at a time, whose first operation cannot be made durable: the
    /// models have built that operation's changes (they build while the flush runs), so no later
    /// commit may publish on top of them. The rest of the batch is refused with the same fault, and
    /// readers see none of it.
    /// </summary>
    [Fact]
    public async Task When_an_operation_redone_alone_cannot_be_made_durable_the_rest_of_its_batch_is_refused_and_none_of_it_seen()
    {
        using var hold = new WriterHold(_database);
        var (before, after, createBefore, broken, createAfter) = QueueBatchToRedo();

        // The hold's own batch is flushed first; the second flush is the redo's first operation's.
        int flushes = 0;
        _database.File.BeforeFlushToDisk = () =>
        {
            if (++flushes == 2)
            {
                throw new IOException("the disk is gone");
            }
        };
        await hold.ReleaseAsync();

        var fault = await Assert.ThrowsAsync<IOException>(() => createBefore);
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => broken));
        Assert.Same(fault, await Assert.ThrowsAsync<IOException>(() => createAfter));
        Assert.Equal(2, flushes);
        Assert.Null(_widgets.Find(before.Id!));
        Assert.Null(_widgets.Find("half-done"));
        Assert.Null(_widgets.Find(after.Id!));
        Assert.Equal(0, _widgets.List(0, 10).TotalResults);
        _database.File.BeforeFlushToDisk = null;
    }

    [Fact]
    public async Task Two_hundred_concurrent_creates_are_all_stored_durably_and_listed()
    {
        Widget[] widgets = [.. Enumerable.Range(0, 200).Select(i => Widget.Named($"w{i}"))];

        await Task.WhenAll(widgets.Select(w => Task.Run(() => _widgets.CreateAsync(w))));
        await ReopenAsync();

        ResourcePage<Widget> page = _widgets.List(0, 1000);
        Assert.Equal(200, page.TotalResults);
        Assert.Equal(widgets.Select(w => w.Id).Order(StringComparer.Ordinal), page.Resources.Select(w => w.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Creation_order_continues_after_reopening()
    {
        Widget first = Widget.Named("first");
        await _widgets.CreateAsync(first);
        await ReopenAsync();
        Widget second = Widget.Named("second");
        await _widgets.CreateAsync(second);
        await ReopenAsync();
        Widget third = Widget.Named("third");
        await _widgets.CreateAsync(third);

        Assert.Equal([first.Id, second.Id, third.Id], _widgets.List(0, 10).Resources.Select(w => w.Id));
    }

    [Fact]
    public async Task A_sequence_is_never_handed_out_again_even_after_the_newest_was_deleted_and_the_file_reopened()
    {
        Widget first = Widget.Named("first");
        Widget newest = Widget.Named("newest");
        await _widgets.CreateAsync(first);
        await _widgets.CreateAsync(newest);
        long deletedSequence = Sequence(newest);
        await _widgets.DeleteAsync(newest.Id!, null);
        await ReopenAsync();

        Widget next = Widget.Named("next");
        await _widgets.CreateAsync(next);

        Assert.True(Sequence(next) > deletedSequence, $"sequence {Sequence(next)} reused after {deletedSequence}");
        Assert.Equal(["first", "next"], _widgets.List(0, 10).Resources.Select(w => w.Name));

        long Sequence(Widget widget) => StoredResources.Find(_database.Database, "widgets", widget.Id!)!["_seq"].AsInt64;
    }

    [Fact]
    public async Task A_batch_that_creates_and_deletes_the_newest_saves_a_mark_above_everything_it_created()
    {
        await _widgets.CreateAsync(Widget.Named("first"));
        Assert.Equal(0, _database.Database.GetCollection(WriteContext.SequencesCollection).Count()); // creates alone save no mark

        Widget second = Widget.Named("second");
        Widget third = Widget.Named("third");
        using (var hold = new WriterHold(_database))
        {
            Task createSecond = _widgets.CreateAsync(second);
            Task createThird = _widgets.CreateAsync(third);
            Task deleteThird = _widgets.DeleteAsync(third.Id!, null);
            Task deleteSecond = _widgets.DeleteAsync(second.Id!, null);
            await hold.ReleaseAsync();
            await Task.WhenAll(createSecond, createThird, deleteThird, deleteSecond);
        }

        long mark = _database.Database.GetCollection(WriteContext.SequencesCollection).FindById("widgets")["last"].AsInt64;
        await ReopenAsync();
        Widget next = Widget.Named("next");
        await _widgets.CreateAsync(next);

        long nextSequence = StoredResources.Find(_database.Database, "widgets", next.Id!)!["_seq"].AsInt64;
        Assert.True(mark >= 3, $"the mark {mark} is below the sequences the batch created");
        Assert.True(nextSequence > mark, $"sequence {nextSequence} handed out again after the mark {mark}");
        Assert.Equal(["first", "next"], _widgets.List(0, 10).Resources.Select(w => w.Name));
    }

    [Fact]
    public async Task Writes_after_dispose_are_refused()
    {
        await _database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.WriteAsync(_ => true));

        Open();
    }

    [Fact]
    public async Task Cancelled_write_is_not_applied()
    {
        using var cancellation = new CancellationTokenSource();
        using var hold = new WriterHold(_database);
        Widget widget = Widget.Named("cancelled");

        Task create = _widgets.CreateAsync(widget, cancellation.Token);
        await cancellation.CancelAsync();
        await hold.ReleaseAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        Assert.Null(_widgets.Find(widget.Id!));
    }
}
