namespace FastScim.Server.Handlers;

/// <summary>
/// The place of one Bulk operation in the queue of the tenant's writer. The operations of a
/// batch run concurrently — parsing, validation and password hashing use every core — but each
/// queues its write only after the operation before it has queued its own (or finished without
/// one), so the writer applies them in request order (RFC 7644 §3.7) and commits them together.
/// </summary>
internal sealed class WriteTurn
{
    private readonly Task _previous;
    private readonly TaskCompletionSource _passed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteTurn(WriteTurn? previous) => _previous = previous?._passed.Task ?? Task.CompletedTask;

    /// <summary>Runs <paramref name="write"/> (which queues a write and answers its task) in the turn, if there is one.</summary>
    public static Task<T> QueueAsync<T>(WriteTurn? turn, Func<Task<T>> write) =>
        turn is null ? write() : turn.InTurnAsync(write);

    /// <summary>
    /// Runs <paramref name="write"/> on <paramref name="state"/> (it queues a write and answers its
    /// task) in the turn, if there is one. The state is passed rather than captured so that a
    /// request outside Bulk, which has no turn, makes no closure (issue 7: bytes per request).
    /// </summary>
    public static Task QueueAsync<TState>(WriteTurn? turn, TState state, Func<TState, Task> write) =>
        turn is null ? write(state) : turn.InTurnAsync(state, write);

    /// <summary>Lets the next operation queue its write; idempotent (an operation that fails before writing passes when it ends).</summary>
    public void Pass() => _passed.TrySetResult();

    // Apart from QueueAsync: a lambda there would capture its parameters in a closure made on
    // every call, with a turn or without.
    private Task<bool> InTurnAsync<TState>(TState state, Func<TState, Task> write) => InTurnAsync(async () =>
    {
        await write(state).ConfigureAwait(false);
        return true;
    });

    private async Task<T> InTurnAsync<T>(Func<Task<T>> write)
    {
        await _previous.ConfigureAwait(false);
        Task<T> writing;
        try
        {
            writing = write();
        }
        finally
        {
            // The write is in the writer's queue (its task returned): the next one may follow it.
            Pass();
        }

        return await writing.ConfigureAwait(false);
    }
}
