using FastScim.Core.Resources;
using FastScim.Server.Handlers;
using FastScim.Storage;

namespace FastScim.Server.Tests.Handlers;

public sealed class BulkAdmissionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tenant_runs_at_most_its_places_at_once_and_a_place_given_back_lets_the_next_in()
    {
        var store = new NoStore("acme");
        var places = new List<IDisposable>();
        for (int i = 0; i < BulkAdmission.OperationsInFlight; i++)
        {
            Task<IDisposable> entering = BulkAdmission.EnterAsync(store, CancellationToken.None);
            Assert.True(entering.IsCompletedSuccessfully, $"place {i} was not free");
            places.Add(await entering);
        }

        Task<IDisposable> waiting = BulkAdmission.EnterAsync(store, CancellationToken.None);
        Task<IDisposable> waitingToo = BulkAdmission.EnterAsync(store, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        // Giving one place back twice frees one place, not two.
        places[0].Dispose();
        places[0].Dispose();
        using IDisposable next = await waiting.WaitAsync(Patience);
        Assert.False(waitingToo.IsCompleted);

        // Another tenant has places of its own.
        using IDisposable other = await BulkAdmission.EnterAsync(new NoStore("globex"), CancellationToken.None).WaitAsync(Patience);

        places[1].Dispose();
        (await waitingToo.WaitAsync(Patience)).Dispose();
        foreach (IDisposable place in places.Skip(2))
        {
            place.Dispose();
        }
    }

    [Fact]
    public async Task Waiting_for_a_place_ends_when_the_request_is_aborted()
    {
        var store = new NoStore("acme");
        var places = new List<IDisposable>();
        for (int i = 0; i < BulkAdmission.OperationsInFlight; i++)
        {
            places.Add(await BulkAdmission.EnterAsync(store, CancellationToken.None));
        }

        using var aborted = new CancellationTokenSource();
        Task<IDisposable> waiting = BulkAdmission.EnterAsync(store, aborted.Token);
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        places.ForEach(static place => place.Dispose());
    }

    /// <summary>A tenant store that only has an identity: admission never touches its resources.</summary>
    private sealed class NoStore(string tenant) : ITenantStore
    {
        public string Tenant { get; } = tenant;
        public IResourceCollection<User> Users => throw new NotSupportedException();
        public IGroupCollection Groups => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
