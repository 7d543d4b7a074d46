using FastScim.Core.Filtering;
using FastScim.Core.Protocol;

namespace FastScim.Core.Tests.Filtering;

public class FilterCacheTests
{
    [Fact]
    public void A_repeated_filter_returns_the_same_instance()
    {
        var cache = new FilterCache();

        var first = cache.GetOrParse("userName eq \"bjensen\"");
        var second = cache.GetOrParse("userName eq \"bjensen\"");

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void The_cache_never_grows_past_its_capacity_and_drops_the_least_recently_used()
    {
        var cache = new FilterCache(capacity: 3);
        var a = cache.GetOrParse("a pr");
        cache.GetOrParse("b pr");
        cache.GetOrParse("c pr");
        Assert.Same(a, cache.GetOrParse("a pr"));

        var b = cache.GetOrParse("b pr");
        for (var i = 0; i < 50; i++)
        {
            cache.GetOrParse($"x{i} pr");
            Assert.True(cache.Count <= 3);
        }

        Assert.Equal(3, cache.Count);
        Assert.NotSame(b, cache.GetOrParse("b pr"));
    }

    [Fact]
    public void Least_recently_used_is_evicted_first()
    {
        var cache = new FilterCache(capacity: 2);
        var a = cache.GetOrParse("a pr");
        var b = cache.GetOrParse("b pr");
        cache.GetOrParse("a pr");
        cache.GetOrParse("c pr");

        Assert.Same(a, cache.GetOrParse("a pr"));
        Assert.NotSame(b, cache.GetOrParse("b pr"));
    }

    [Fact]
    public void Invalid_filters_throw_every_time_and_are_not_cached()
    {
        var cache = new FilterCache();

        Assert.Throws<ScimException>(() => cache.GetOrParse("a eqq 1"));
        Assert.Throws<ScimException>(() => cache.GetOrParse("a eqq 1"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_uses_its_options()
    {
        var cache = new FilterCache(options: FilterParserOptions.Strict);

        Assert.Throws<ScimException>(() => cache.GetOrParse("externalId eq jyoung"));
    }

    [Fact]
    public void Concurrent_use_stays_bounded_and_consistent()
    {
        var cache = new FilterCache(capacity: 16);

        Parallel.For(0, 4000, i =>
        {
            var text = $"a{i % 40} eq {i % 40}";
            var node = cache.GetOrParse(text);
            Assert.Equal(text, node.ToString());
        });

        Assert.True(cache.Count <= 16);
    }
}
