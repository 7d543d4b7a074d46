using System.Text.Json;
using FastScim.Tests.Infrastructure;
using static FastScim.Tests.Infrastructure.RunningServer;

namespace FastScim.Tests.Paging;

/// <summary>A running server with 1,000 users u0000…u0999, created by parallel POSTs in batches of 50.</summary>
public sealed class ThousandUsers : IAsyncLifetime
{
    public const int Total = 1000;
    private const int Batch = 50;

    public RunningServer Server { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Every user's id, by userName.</summary>
    public Dictionary<string, string> Ids { get; } = [];

    /// <summary>The batch each user was created in: batches were created one after another.</summary>
    public Dictionary<string, int> BatchOf { get; } = [];

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Client = Server.Client(Server.DefaultToken);
        for (var batch = 0; batch < Total / Batch; batch++)
        {
            var names = Enumerable.Range(batch * Batch, Batch).Select(i => $"u{i:D4}").ToArray();
            var ids = await Task.WhenAll(names.Select(CreateAsync));
            for (var i = 0; i < names.Length; i++)
            {
                Ids[names[i]] = ids[i];
                BatchOf[ids[i]] = batch;
            }
        }
    }

    public async Task<string> CreateAsync(string userName)
    {
        using var response = await Client.PostAsync("Users", Json($$"""{"userName":"{{userName}}"}"""));
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    public Task DisposeAsync() => Server.DisposeAsync();

    public static IEnumerable<JsonElement> Resources(JsonElement page) => page.GetProperty("Resources").EnumerateArray();
}
