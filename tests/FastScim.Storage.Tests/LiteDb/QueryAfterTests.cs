using FastScim.Core.Resources;
using FastScim.Storage.LiteDb;
using FastScim.Storage.Tests.TestSupport;

namespace FastScim.Storage.Tests.LiteDb;

/// <summary>IResourceCollection.QueryAfter: the keyset read behind cursor paging (RFC 9865).</summary>
public sealed class QueryAfterTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private TenantDatabase _database = null!;
    private LiteDbResourceCollection<Widget> _widgets = null!;

    public Task InitializeAsync()
    {
        _database = TenantDatabase.Open("acme", _data.File("acme.db"));
        _widgets = new LiteDbResourceCollection<Widget>(_database, TestCodecs.Widget);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private async Task<List<Widget>> CreateAsync(params string[] names)
    {
        var created = new List<Widget>();
        foreach (var name in names)
        {
            var widget = Widget.Named(name);
            await _widgets.CreateAsync(widget);
            created.Add(widget);
        }

        return created;
    }

    private List<string> PageThrough(Func<Widget, bool>? predicate, int count, List<CursorPage<Widget>> pages)
    {
        var names = new List<string>();
        long after = 0;
        while (true)
        {
            var page = _widgets.QueryAfter(after, predicate, count);
            pages.Add(page);
            Assert.True(page.Resources.Count <= count);
            names.AddRange(page.Resources.Select(w => w.Name!));
            if (!page.HasMore)
            {
                return names;
            }

            Assert.True(page.LastSequence > after);
            after = page.LastSequence;
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(50)]
    public async Task Pages_return_everything_once_in_creation_order(int count)
    {
        var names = Enumerable.Range(0, 9).Select(i => $"w{i}").ToArray();
        await CreateAsync(names);
        var pages = new List<CursorPage<Widget>>();

        var seen = PageThrough(null, count, pages);

        Assert.Equal(names, seen);
        Assert.Equal((9 + count - 1) / count, pages.Count);
        Assert.All(pages, p => Assert.Equal(9, p.TotalResults));
        Assert.False(pages[^1].HasMore);
    }

    [Fact]
    public async Task A_predicate_filters_and_totalResults_counts_every_match()
    {
        await CreateAsync(Enumerable.Range(0, 10).Select(i => $"w{i}").ToArray());
        var pages = new List<CursorPage<Widget>>();

        var seen = PageThrough(w => int.Parse(w.Name![1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0, 2, pages);

        Assert.Equal(["w0", "w2", "w4", "w6", "w8"], seen);
        Assert.Equal([2, 2, 1], pages.Select(p => p.Resources.Count));
        Assert.All(pages, p => Assert.Equal(5, p.TotalResults));
    }

    [Fact]
    public async Task Resources_added_appear_later_deleted_ones_vanish_and_none_is_skipped_or_repeated()
    {
        var widgets = await CreateAsync("a", "b", "c", "d", "e", "f");
        var first = _widgets.QueryAfter(0, null, 3);
        Assert.Equal(["a", "b", "c"], first.Resources.Select(w => w.Name));

        await _widgets.DeleteAsync(widgets[1].Id!, null); // seen already
        await _widgets.DeleteAsync(widgets[4].Id!, null); // not yet seen
        await CreateAsync("g");
        var updated = await _widgets.UpdateAsync(widgets[3].Id!, null, w => { w.Name = "d2"; return w; }); // keeps its place
        Assert.Equal("d2", updated.Name);

        var second = _widgets.QueryAfter(first.LastSequence, null, 3);

        Assert.Equal(["d2", "f", "g"], second.Resources.Select(w => w.Name));
        Assert.False(second.HasMore);
        Assert.Equal(5, second.TotalResults);
    }

    [Fact]
    public async Task An_empty_collection_and_a_page_past_the_end_are_empty_with_no_more()
    {
        var empty = _widgets.QueryAfter(0, null, 5);
        Assert.Empty(empty.Resources);
        Assert.False(empty.HasMore);
        Assert.Equal(0, empty.LastSequence);

        await CreateAsync("a");
        var all = _widgets.QueryAfter(0, null, 5);
        var past = _widgets.QueryAfter(all.LastSequence, w => true, 5);

        Assert.Single(all.Resources);
        Assert.Empty(past.Resources);
        Assert.False(past.HasMore);
        Assert.Equal(all.LastSequence, past.LastSequence);
        Assert.Equal(1, past.TotalResults);
    }

    [Fact]
    public async Task Count_zero_returns_nothing_but_says_whether_more_follow()
    {
        await CreateAsync("a");

        var page = _widgets.QueryAfter(0, null, 0);

        Assert.Empty(page.Resources);
        Assert.True(page.HasMore);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Groups_load_members_only_when_asked()
    {
        await using var store = new LiteDbTenantStore("acme", _data.File("groups.db"), TestCodecs.User, TestCodecs.Group);
        var user = TestCodecs.NewUser("bjensen");
        await store.Users.CreateAsync(user);
        var g2 = Guid.NewGuid().ToString("N");
        await store.Groups.CreateAsync(new Group { Id = Guid.NewGuid().ToString("N"), Members = [new Member { Value = user.Id, Type = "User" }] });
        await store.Groups.CreateAsync(new Group { Id = g2 });

        var without = store.Groups.QueryAfter(0, null, 1, includeMembers: false);
        var with = store.Groups.QueryAfter(0, null, 1, includeMembers: true);
        var rest = store.Groups.QueryAfter(with.LastSequence, g => g.Id == g2, 5, includeMembers: false);

        Assert.Null(Assert.Single(without.Resources).Members);
        Assert.True(without.HasMore);
        Assert.Equal(user.Id, Assert.Single(Assert.Single(with.Resources).Members!).Value);
        Assert.Equal(g2, Assert.Single(rest.Resources).Id);
        Assert.False(rest.HasMore);
        Assert.Equal(1, rest.TotalResults);
    }
}
