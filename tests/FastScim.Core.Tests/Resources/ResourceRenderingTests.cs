using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Resources;

/// <summary>
/// The kept response JSON of a stored version: found only under the collection URI it was
/// rendered with, given back when released, never kept past the process-wide budget. The budget
/// and its count are process-wide, so these tests do not run beside each other.
/// </summary>
[Collection(nameof(ResourceRenderingTests))]
[CollectionDefinition(nameof(ResourceRenderingTests), DisableParallelization = true)]
public sealed class ResourceRenderingTests
{
    private const string Here = "https://scim.example.com/t/acme/api/v1/scim/v2/Users/";
    private const string There = "https://other.example.com/t/acme/api/v1/scim/v2/Users/";

    /// <summary>Nothing derived per request (as for a user in no group).</summary>
    private const long Plain = -1;

    [Fact]
    public void A_kept_rendering_is_found_under_its_collection_uri_only()
    {
        var rendering = new ResourceRendering();
        Assert.False(rendering.TryGet(Here, Plain, out _));

        Assert.True(rendering.TryKeep(Here, Plain, """{"id":"1"}"""u8));

        Assert.True(rendering.TryGet(Here, Plain, out var json));
        Assert.Equal("""{"id":"1"}"""u8.ToArray(), json.ToArray());
        Assert.False(rendering.TryGet(There, Plain, out _));
        rendering.Release();
    }

    [Fact]
    public void A_kept_rendering_is_found_only_with_the_derived_version_it_was_rendered_with()
    {
        var rendering = new ResourceRendering();
        Assert.True(rendering.TryKeep(Here, 7L << 32 | 3, """{"groups":[1]}"""u8));

        Assert.True(rendering.TryGet(Here, 7L << 32 | 3, out var json));
        Assert.Equal("""{"groups":[1]}"""u8.ToArray(), json.ToArray());
        Assert.False(rendering.TryGet(Here, 7L << 32 | 4, out _));
        Assert.False(rendering.TryGet(Here, Plain, out _));

        Assert.True(rendering.TryKeep(Here, Plain, "{}"u8));
        Assert.True(rendering.TryGet(Here, Plain, out _));
        Assert.False(rendering.TryGet(Here, 7L << 32 | 3, out _));
        rendering.Release();
    }

    [Fact]
    public void Keeping_it_under_another_uri_replaces_it_and_counts_only_the_new_bytes()
    {
        var rendering = new ResourceRendering();
        long before = ResourceRendering.Used;
        Assert.True(rendering.TryKeep(Here, Plain, new byte[1000]));
        long one = ResourceRendering.Used - before;

        Assert.True(rendering.TryKeep(There, Plain, new byte[1000]));

        Assert.Equal(one, ResourceRendering.Used - before);
        Assert.False(rendering.TryGet(Here, Plain, out _));
        Assert.True(rendering.TryGet(There, Plain, out _));
        rendering.Release();
        Assert.Equal(before, ResourceRendering.Used);
    }

    [Fact]
    public void A_released_rendering_gives_its_bytes_back_and_keeps_nothing_again()
    {
        var rendering = new ResourceRendering();
        long before = ResourceRendering.Used;
        Assert.True(rendering.TryKeep(Here, Plain, new byte[500]));
        Assert.True(ResourceRendering.Used >= before + 500);

        rendering.Release();

        Assert.Equal(before, ResourceRendering.Used);
        Assert.False(rendering.TryGet(Here, Plain, out _));
        Assert.False(rendering.TryKeep(Here, Plain, new byte[10]));
        Assert.Equal(before, ResourceRendering.Used);
    }

    [Fact]
    public void Past_the_budget_nothing_is_kept_and_nothing_is_counted()
    {
        long budget = ResourceRendering.Budget;
        var fits = new ResourceRendering();
        var over = new ResourceRendering();
        try
        {
            ResourceRendering.Budget = ResourceRendering.Used + 1200;
            Assert.True(fits.TryKeep(Here, Plain, new byte[1000]));
            long used = ResourceRendering.Used;

            Assert.False(over.TryKeep(Here, Plain, new byte[1000]));

            Assert.Equal(used, ResourceRendering.Used);
            Assert.False(over.TryGet(Here, Plain, out _));

            // Room comes back when a kept one is released.
            fits.Release();
            Assert.True(over.TryKeep(Here, Plain, new byte[1000]));
        }
        finally
        {
            ResourceRendering.Budget = budget;
            fits.Release();
            over.Release();
        }
    }

    [Fact]
    public async Task A_reader_racing_keeps_under_other_uris_never_gets_the_json_of_another_uri()
    {
        var rendering = new ResourceRendering();
        byte[] here = "{\"at\":\"here\"}"u8.ToArray(), there = "{\"at\":\"there\",\"longer\":true}"u8.ToArray();
        int found = 0, wrong = 0;
        using var stop = new CancellationTokenSource();
        using var started = new CountdownEvent(2);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            started.Signal();
            while (!stop.IsCancellationRequested)
            {
                if (rendering.TryGet(Here, Plain, out var json))
                {
                    Interlocked.Increment(ref found);
                    if (!json.Span.SequenceEqual(here))
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
        // At least 300,000 keeps, and on until a reader has found one (bounded: a loaded machine may start them late).
        for (int i = 0; i < 3_000_000 && (i < 300_000 || Volatile.Read(ref found) == 0); i++)
        {
            Assert.True(rendering.TryKeep(i % 2 == 0 ? Here : There, Plain, i % 2 == 0 ? here : there));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        rendering.Release();
        Assert.True(found > 0, "the readers never found the rendering kept under their URI");
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void A_copy_of_meta_shares_the_rendering_of_the_version_it_copies()
    {
        var meta = new ResourceMeta { Version = "W/\"1\"", Rendering = new ResourceRendering() };

        Assert.Same(meta.Rendering, ResourceMeta.CopyOf(meta)!.Rendering);
    }
}
