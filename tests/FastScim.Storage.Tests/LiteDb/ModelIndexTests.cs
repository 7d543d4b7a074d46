using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using LiteDB;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>The in-memory model's indexes, read directly: what a key names after each version of a resource.</summary>
public sealed class ModelIndexTests
{
    private const string EmailsUpper = "MAP($.emails[*] => UPPER(@.value))";

    [Fact]
    public void An_index_names_a_resource_once_however_many_of_its_values_share_a_key_and_forgets_it_with_them()
    {
        using var file = new LiteDatabase(new MemoryStream());
        var model = EmailsModel(file);
        var user = Bjensen(new Email { Value = "a@example.com" }, new Email { Value = "A@EXAMPLE.COM", Type = "work" }, new Email { Value = "b@example.com" });

        Apply(model, user);
        Assert.Equal(["u1"], Holders(model, "A@EXAMPLE.COM"));
        Assert.Equal(["u1"], Holders(model, "B@EXAMPLE.COM"));

        // A version without those values: the key names nobody once the readers of older
        // snapshots have had their time (ModelIndex.PurgeLag versions), the other still names it.
        User next = user.DeepCopy();
        next.Emails = [new Email { Value = "b@example.com" }];
        Apply(model, next);
        Assert.Equal(["u1"], Holders(model, "A@EXAMPLE.COM")); // a reader of the version before may look for it
        for (int i = 0; i < ModelIndex.PurgeLag; i++)
        {
            Apply(model, Other(i), sequence: 2);
        }

        Assert.False(model.Current.Indexes[0].TryGetValue("A@EXAMPLE.COM", out _));
        Assert.Equal(["u1"], Holders(model, "B@EXAMPLE.COM"));
        Assert.True(model.Current.Indexes[0].Covers(model.Version));
    }

    /// <summary>
    /// Random batches of creates, changes and deletions over a few users and keys, a user changed
    /// up to three times in one batch (one version may lose a key, hold it again and lose it again).
    /// For every snapshot a reader may still hold, every id holding a key in it is under the key in
    /// the index, or the index tells that reader to look otherwise (only once the writer is
    /// <see cref="ModelIndex.PurgeLag"/> versions ahead); once the writer stops changing keys, the
    /// index names exactly the holders of the latest version: what ids gave up is taken out. A model
    /// opened again from the same log (its whole log read as one version) has exactly those too.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_holder_of_a_key_in_a_snapshot_is_found_or_its_reader_is_told_to_scan(int seed)
    {
        using var file = new LiteDatabase(new MemoryStream());
        var model = new ResourceModel<User>(file.GetCollection(ResourceLog.CollectionOf("users")), ResourceCodecs.User, [EmailsUpper], ["LOWER($.userName)"]);
        var random = new Random(seed);
        string[] ids = ["u1", "u2", "u3", "u4", "u5", "u6"];
        string[] values = ["a", "b", "c", "d"];
        var current = new Dictionary<string, User>();
        var snapshots = new List<ModelSnapshot<User>>();
        long sequence = 0;
        int told = 0;
        for (int batch = 0; batch < 400; batch++)
        {
            var changes = new List<ResourceChange>();
            var sequences = new Dictionary<string, long>(); // this batch's: a user put twice keeps its sequence
            int picks = random.Next(1, 5);
            for (int pick = 0; pick < picks; pick++)
            {
                string id = ids[random.Next(random.Next(3) == 0 ? 2 : ids.Length)]; // u1 and u2 often: repeats in a batch
                if (current.ContainsKey(id) && random.Next(4) == 0)
                {
                    current.Remove(id);
                    sequences.Remove(id);
                    changes.Add(new ResourceChange("users", id, Document: null));
                    continue;
                }

                // userNames from a small pool too: unique in the model's eyes is the writer's business, not the index's.
                var user = new User
                {
                    Id = id,
                    UserName = values[random.Next(values.Length)] + "-name",
                    Emails = [.. values.Where(_ => random.Next(3) == 0).Select(v => new Email { Value = v + "@example.com" })],
                    Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"" + batch + "\"" },
                };
                bool existed = current.ContainsKey(id);
                current[id] = user;
                if (!sequences.TryGetValue(id, out long kept))
                {
                    // An update keeps its creation sequence; a create (or a create again) takes a new one.
                    kept = existed && model.Current.ById.TryGetValue(id, out ModelEntry<User>? stored) ? stored.Sequence : ++sequence;
                    sequences[id] = kept;
                }

                changes.Add(new ResourceChange("users", id, Document: null, model.Prepare(user), kept));
            }

            model.WriteLog(changes);
            model.Apply(changes);
            model.Publish();
            snapshots.Add(model.Current);
            if (snapshots.Count > 3 * ModelIndex.PurgeLag)
            {
                snapshots.RemoveAt(0);
            }

            foreach (ModelSnapshot<User> snapshot in snapshots)
            {
                for (int index = 0; index < 2; index++)
                {
                    ModelIndex modelIndex = snapshot.Indexes[index];
                    var missed = new List<string>();
                    foreach (ModelEntry<User> entry in snapshot.BySequence)
                    {
                        foreach (string key in entry.Keys[index])
                        {
                            if (!modelIndex.TryGetValue(key, out CompactStrings holders) || !holders.Contains(entry.Id))
                            {
                                missed.Add(entry.Id + " " + key);
                            }
                        }
                    }

                    bool covers = modelIndex.Covers(snapshot.Version);
                    Assert.True(covers || model.Version - snapshot.Version > ModelIndex.PurgeLag, $"a reader {model.Version - snapshot.Version} versions behind is told to scan");
                    Assert.True(!covers || missed.Count == 0, $"missed in version {snapshot.Version} of {model.Version}: {string.Join(", ", missed)}");
                    told += covers ? 0 : 1;
                }
            }
        }

        Assert.True(told > 0, "no reader was ever old enough to be told to scan: the check above tested nothing of it");

        // Writes that change no key, until every loss has had its lag: the index is the latest holders, exactly.
        string keep = ids.First(current.ContainsKey);
        for (int i = 0; i <= ModelIndex.PurgeLag; i++)
        {
            var changes = new List<ResourceChange> { new("users", keep, Document: null, model.Prepare(current[keep]), model.Current.ById.TryGetValue(keep, out var e) ? e.Sequence : 0) };
            model.WriteLog(changes);
            model.Apply(changes);
            model.Publish();
        }

        var reopened = new ResourceModel<User>(file.GetCollection(ResourceLog.CollectionOf("users")), ResourceCodecs.User, [EmailsUpper], ["LOWER($.userName)"]);
        Assert.Equal(model.Current.BySequence.Select(static e => e.Id), reopened.Current.BySequence.Select(static e => e.Id));
        foreach (var (opened, index) in new[] { model, reopened }.SelectMany(static m => new[] { (m, 0), (m, 1) }))
        {
            ModelIndex modelIndex = opened.Current.Indexes[index];
            var expected = new Dictionary<string, SortedSet<string>>(modelIndex.Comparer);
            foreach (ModelEntry<User> entry in opened.Current.BySequence)
            {
                foreach (string key in entry.Keys[index])
                {
                    (expected.TryGetValue(key, out var set) ? set : expected[key] = new SortedSet<string>(StringComparer.Ordinal)).Add(entry.Id);
                }
            }

            Assert.Equal(expected.Count, modelIndex.Count);
            foreach (var (key, holders) in expected)
            {
                Assert.True(modelIndex.TryGetValue(key, out CompactStrings found));
                Assert.Equal(holders, found.Order(StringComparer.Ordinal));
            }

            Assert.Equal(0, modelIndex.Waiting);
        }
    }

    [Fact]
    public void A_version_with_the_same_keys_keeps_the_old_versions_keys_and_one_with_other_keys_takes_its_own()
    {
        // Unchanged keys are the old version's objects (the new ones die young); changed ones are
        // the new version's, and the index follows them.
        using var file = new LiteDatabase(new MemoryStream());
        var model = EmailsModel(file);
        var user = Bjensen(new Email { Value = "a@example.com" });
        Apply(model, user);
        CompactStrings[] first = Entry(model, "u1").Keys;

        User renamed = user.DeepCopy();
        renamed.DisplayName = "Barbara";
        Apply(model, renamed);
        Assert.Same(first, Entry(model, "u1").Keys);
        Assert.Equal("Barbara", Entry(model, "u1").Resource.DisplayName);

        User moved = renamed.DeepCopy();
        moved.Emails = [new Email { Value = "b@example.com" }];
        Apply(model, moved);
        CompactStrings[] second = Entry(model, "u1").Keys;
        Assert.NotSame(first, second);
        Assert.Equal(["B@EXAMPLE.COM"], [.. second[0]]);
        Assert.Equal(["u1"], Holders(model, "B@EXAMPLE.COM"));
    }

    /// <summary>
    /// Readers look keys up without a lock while the writer changes the index (ModelIndex): while
    /// it adds and takes out thousands of other keys (the table growing several times over and
    /// losing entries), every reader finds every key held throughout, with its holder alone.
    /// </summary>
    [Fact]
    public async Task Readers_find_every_key_held_throughout_while_the_writer_adds_and_takes_out_others()
    {
        var index = new ModelIndex(StringComparer.OrdinalIgnoreCase);
        string[] held = [.. Enumerable.Range(0, 64).Select(static i => "held-" + i)];
        foreach (string key in held)
        {
            index.Gain(key, "id-" + key);
        }

        using var writing = new CancellationTokenSource();
        using var reading = new CountdownEvent(3);
        long lookups = 0;
        Task[] readers = [.. Enumerable.Range(0, 3).Select(r => Task.Factory.StartNew(() =>
        {
            reading.Signal();
            for (int i = r; !writing.IsCancellationRequested || i < r + held.Length; i++)
            {
                string key = held[i % held.Length];
                Assert.True(index.TryGetValue(key.ToUpperInvariant(), out CompactStrings ids), key);
                Assert.Equal("id-" + key, Assert.Single(ids));
                Interlocked.Increment(ref lookups);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        Assert.True(reading.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");

        // The writer: 200,000 keys gained, each lost in the next version, taken out once it is
        // PurgeLag versions old, so the table grows past 100,000 keys and sheds them again.
        const int Versions = 200_000;
        for (int version = 1; version <= Versions; version++)
        {
            string key = "churn-" + version;
            index.Gain(key, "c");
            index.Lose(version, key, "c");
            if (version % 2 == 0)
            {
                index.Gain("churn-" + (version / 2) + "-b", "c");
            }

            index.Purge(version, static (_, _) => false);
        }

        writing.Cancel();
        await Task.WhenAll(readers);
        Assert.True(Interlocked.Read(ref lookups) >= 3 * held.Length);
        Assert.Equal(held.Length + Versions / 2 + ModelIndex.PurgeLag, index.Count);
    }

    /// <summary>A user of its own for a version that changes nothing under test.</summary>
    private static User Other(int i) => new()
    {
        Id = "other",
        UserName = "other",
        Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"" + i + "\"" },
    };

    /// <summary>A model of users with one index, on their emails' values.</summary>
    private static ResourceModel<User> EmailsModel(LiteDatabase file) =>
        new(file.GetCollection(ResourceLog.CollectionOf("users")), ResourceCodecs.User, [EmailsUpper], []);

    /// <summary>User u1, bjensen, with <paramref name="emails"/>.</summary>
    private static User Bjensen(params Email[] emails) => new()
    {
        Id = "u1",
        UserName = "bjensen",
        Emails = [.. emails],
        Meta = new ResourceMeta { ResourceType = "User", Version = "W/\"1\"" },
    };

    private static ModelEntry<User> Entry(ResourceModel<User> model, string id) =>
        model.Current.ById.TryGetValue(id, out ModelEntry<User>? entry) ? entry : throw new KeyNotFoundException(id);

    private static string[] Holders(ResourceModel<User> model, string key) =>
        model.Current.Indexes[0].TryGetValue(key, out var holders) ? [.. holders] : [];

    private static void Apply(ResourceModel<User> model, User version, long sequence = 1)
    {
        ResourceChange[] changes = [new("users", version.Id!, Document: null, model.Prepare(version), sequence)];
        model.WriteLog(changes);
        model.Apply(changes);
        model.Publish();
    }
}
