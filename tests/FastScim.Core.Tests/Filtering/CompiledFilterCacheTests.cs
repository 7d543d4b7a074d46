using FastScim.Core.Filtering;
using FastScim.Core.Protocol;
using FastScim.Core.Resources;

namespace FastScim.Core.Tests.Filtering;

public class CompiledFilterCacheTests
{
    [Fact]
    public void Same_text_returns_the_same_compiled_predicate()
    {
        var caches = new CompiledFilterCaches(capacity: 4);
        var first = caches.Users.GetOrCompile("userName eq \"bjensen\"");
        Assert.Same(first, caches.Users.GetOrCompile("userName eq \"bjensen\""));
        Assert.True(first(new User { UserName = "BJensen" }));
        Assert.False(first(new User { UserName = "jsmith" }));
        Assert.Equal(1, caches.Users.Count);
    }

    [Fact]
    public void The_cache_is_bounded_and_drops_the_least_recently_used()
    {
        var cache = new CompiledFilterCache<User, UserAccessors>(capacity: 2);
        var a = cache.GetOrCompile("userName eq \"a\"");
        cache.GetOrCompile("userName eq \"b\"");
        Assert.Same(a, cache.GetOrCompile("userName eq \"a\"")); // a is now the most recent
        cache.GetOrCompile("userName eq \"c\""); // evicts b
        Assert.Equal(2, cache.Count);
        Assert.Same(a, cache.GetOrCompile("userName eq \"a\""));
    }

    [Fact]
    public void Types_are_cached_apart_but_parse_once()
    {
        var caches = new CompiledFilterCaches();
        var users = caches.Users.GetOrCompile("displayName pr");
        var groups = caches.Groups.GetOrCompile("displayName pr");
        Assert.True(users(new User { DisplayName = "x" }));
        Assert.True(groups(new Group { DisplayName = "x" }));
        Assert.Same(caches.Users.Parsed, caches.Groups.Parsed);
        Assert.Equal(1, caches.Users.Parsed.Count);
    }

    [Fact]
    public void Invalid_filters_are_not_cached_and_fail_every_time()
    {
        var cache = new CompiledFilterCache<User, UserAccessors>();
        for (var i = 0; i < 2; i++)
        {
            var e = Assert.Throws<ScimException>(() => cache.GetOrCompile("active gt true"));
            Assert.Equal(ScimType.InvalidFilter, e.ScimType);
        }

        Assert.Equal(0, cache.Count);
    }
}
