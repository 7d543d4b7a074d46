namespace FastScim.Storage.LiteDb;

/// <summary>
/// One queued write, run on a tenant's writer thread inside the batch's transaction and
/// completed only once that transaction is on disk.
/// </summary>
/// <remarks>
/// The body may refuse (throw) before it changes anything — e.g. a uniqueness or If-Match
/// check — and only that operation fails. If it throws after changing something, the writer
/// rolls the whole batch back and runs its operations again one transaction each, so that a
/// failed operation is never half-applied and never takes others down with it. A body may
/// therefore run more than once (its earlier run rolled back): it must only read and write
/// through the <see cref="WriteContext"/>, with no other side effects. Replace, Patch and Delete
/// (If-Match: read the stored version, refuse with 412 before changing anything) and Bulk
/// (one operation per Bulk operation, or one body for an all-or-nothing group) fit this shape.
/// </remarks>
internal abstract class WriteOperation
{
    protected WriteOperation(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    public CancellationToken CancellationToken { get; }

    /// <summary>Runs the body; called on the writer thread inside an open transaction.</summary>
    public abstract void Execute(WriteContext context);

    /// <summary>Completes the caller's task with the body's result; called after the commit is durable.</summary>
    public abstract void Succeed();

    public abstract void Fail(Exception exception);
}

/// <summary>A queued write whose body runs with <paramref name="state"/> (its captures, held here rather than in a closure).</summary>
internal sealed class WriteOperation<TState, TResult>(Func<WriteContext, TState, TResult> body, TState state, CancellationToken cancellationToken)
    : WriteOperation(cancellationToken)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The body runs on the writer thread in its caller's execution context, as it would inline:
    // what flows with the request (its compatibility profile) holds inside the write too.
    private readonly ExecutionContext? _callerContext = ExecutionContext.Capture();
    private WriteContext? _context;
    private TResult? _result;

    public Task<TResult> Task => _completion.Task;

    public override void Execute(WriteContext context)
    {
        if (_callerContext is null)
        {
            _result = body(context, state);
            return;
        }

        _context = context;
        ExecutionContext.Run(_callerContext, static operation => ((WriteOperation<TState, TResult>)operation!).RunBody(), this);
    }

    private void RunBody() => _result = body(_context!, state);

    public override void Succeed() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception)
    {
        if (exception is OperationCanceledException canceled)
        {
            _completion.TrySetCanceled(canceled.CancellationToken);
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }
}
