using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Resources;

/// <summary>sortBy / sortOrder (RFC 7644 §3.4.2.3) with paging.</summary>
public class SortTests : IAsyncLifetime
{
    private readonly RunningServer _server = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _client = _server.Client(_server.DefaultToken);
        foreach (var (userName, displayName, email) in new[] { ("carol", "C", "z@x"), ("Alice", null, "b@x"), ("bob", "B", "a@x"), ("dave", "A", null) })
        {
            var extra = (displayName is null ? "" : $",\"displayName\":\"{displayName}\"") + (email is null ? "" : $",\"emails\":[{{\"value\":\"{email}\",\"primary\":true}}]");
            using var created = await _client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"{{extra}}}"""));
            Assert.Equal(201, (int)created.StatusCode);
        }
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("userName", "ascending", new[] { "Alice", "bob", "carol", "dave" })]
    [InlineData("userName", "descending", new[] { "dave", "carol", "bob", "Alice" })]
    [InlineData("displayName", "ascending", new[] { "dave", "bob", "carol", "Alice" })]
    [InlineData("emails", "ascending", new[] { "bob", "Alice", "carol", "dave" })]
    public async Task Users_sort_by_any_attribute_with_missing_values_last(string sortBy, string order, string[] expected)
    {
        var body = await (await _client.GetAsync($"Users?sortBy={sortBy}&sortOrder={order}")).JsonAsync();

        Assert.Equal(expected, body.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
    }

    [Fact]
    public async Task Sorted_pages_follow_each_other()
    {
        var first = await (await _client.GetAsync("Users?sortBy=userName&startIndex=1&count=2")).JsonAsync();
        var second = await (await _client.GetAsync("Users?sortBy=userName&startIndex=3&count=2")).JsonAsync();

        Assert.Equal(["Alice", "bob"], first.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
        Assert.Equal(["carol", "dave"], second.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("userName").GetString()));
        Assert.Equal(4, second.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task An_unknown_sort_attribute_is_a_400()
    {
        using var response = await _client.GetAsync("Users?sortBy=shoeSize");

        Assert.Equal(400, (int)response.StatusCode);
    }
}
