using System.Collections.Concurrent;
using FastScim.Core.Protocol;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// One tenant's open LiteDB file, its single writer and its durability thread — group commit.
/// The writer runs each queued <see cref="WriteOperation"/> as it arrives in an open transaction
/// and commits it (up to <see cref="MaxBatchSize"/> operations) as soon as the disk is free; the
/// durability thread then fsyncs the log once for every commit made since its last fsync, and only
/// after that publishes them to the in-memory models and completes their tasks. While the disk
/// works, the writer keeps running what arrives, its checks seeing the commits that wait for the
/// disk (<see cref="IResourceModel.Stage"/>): the disk's latency is not part of the writer's time
/// per batch, and the batch grows with it. Reads use the models, or <see cref="Database"/>
/// directly, on the caller's thread.
/// </summary>
/// <remarks>
/// Dedicated OS threads, not async loops: LiteDB's explicit transactions belong to the thread
/// that began them (LiteDB #2822), so a transaction must never span an await; and an fsync blocks
/// its thread for the disk's latency, which on the thread pool would stall requests.
/// </remarks>
internal sealed class TenantDatabase : IAsyncDisposable
{
    public const int MaxBatchSize = 256;

    private readonly LiteDbFile _file;
    private readonly BlockingCollection<WriteOperation> _queue = new(new ConcurrentQueue<WriteOperation>());
    private readonly BlockingCollection<CommittedBatch> _committed = new(new ConcurrentQueue<CommittedBatch>());
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WriteContext _context;
    // Read by the writer (its checks, every write) without a lock; registered before any write.
    private readonly ConcurrentDictionary<string, IResourceModel> _models = new(StringComparer.Ordinal);
    // Set by the durability thread when a commit could not be made durable; the writer refuses every write after it.
    private volatile Exception? _fault;

    // Writer thread only: the operations run in the transaction still open, with their refusals.
    private readonly List<WriteOperation> _open = new(MaxBatchSize);
    private readonly List<Exception?> _openRefused = new(MaxBatchSize);
    private bool _transactionOpen;
    private long _handedOff; // commits handed to the durability thread

    // Commits the durability thread is done with; when it equals _handedOff, the disk is idle.
    private long _durableCommits;
    private readonly ManualResetEventSlim _diskIdle = new(initialState: true);
    private int _disposed;

    private TenantDatabase(string name, LiteDbFile file)
    {
        Name = name;
        _file = file;
        _context = new WriteContext(file.Database, ModelOf);
        var writer = new Thread(RunWriter)
        {
            IsBackground = true,
            Name = "FastScim writer " + name,
        };
        var durability = new Thread(RunDurability)
        {
            IsBackground = true,
            Name = "FastScim durability " + name,
        };
        writer.Start();
        durability.Start();
    }

    public string Name { get; }

    public LiteDatabase Database => _file.Database;

    /// <summary>Commits made durable so far (for tests: one per batch, not one per write).</summary>
    public long DurableCommits => _file.LogFlushesToDisk;

    internal LiteDbFile File => _file;

    public static TenantDatabase Open(string name, string path)
    {
        LiteDbFile file = LiteDbFile.Open(path);
        return new TenantDatabase(name, file);
    }

    /// <summary>Creates an index if it does not exist yet; run on the caller's thread before any write.</summary>
    public void EnsureIndex(string collection, string name, string expression, bool unique) =>
        Database.GetCollection(collection).EnsureIndex(name, BsonExpression.Create(expression), unique);

    /// <summary>The names of the indexes <paramref name="collection"/> has in the file (LiteDB's <c>$indexes</c>).</summary>
    public List<string> IndexesOf(string collection) =>
        [.. Database.GetCollection("$indexes").Find(Query.EQ("collection", collection)).Select(static index => index["name"].AsString)];

    /// <summary>Drops an index a file written by an earlier version has; before any write.</summary>
    public void DropIndex(string collection, string name) => Database.GetCollection(collection).DropIndex(name);

    /// <summary>
    /// Registers the in-memory model of a collection: from now on the writer publishes to it every
    /// durable change to that collection. Call before any write (while the store is being built).
    /// </summary>
    internal void Register(string collection, IResourceModel model)
    {
        if (!_models.TryAdd(collection, model))
        {
            throw new InvalidOperationException($"The collection '{collection}' already has a model.");
        }
    }

    private IResourceIndex? ModelOf(string collection) =>
        _models.TryGetValue(collection, out IResourceModel? model) ? model as IResourceIndex : null;

    /// <summary>
    /// Hands the changes of the commit just made to the collections' models, on the writer thread
    /// (each collection gets all of its changes at once), and queues the commit's operations, with
    /// what publishes it, for the durability thread.
    /// </summary>
    private void Committed(WriteOperation[] operations, Exception?[] refused)
    {
        var publish = new List<Action>();
        if (_context.HasChanges)
        {
            List<ResourceChange> changes = _context.TakeChanges();
            foreach (var (collection, model) in _models)
            {
                List<ResourceChange>? mine = null;
                foreach (ResourceChange change in changes)
                {
                    if (change.Collection == collection)
                    {
                        (mine ??= []).Add(change);
                    }
                }

                if (mine is not null)
                {
                    publish.Add(model.Stage(mine));
                }
            }
        }

        _handedOff++;
        _committed.Add(new CommittedBatch(operations, refused, [.. publish]));
    }

    /// <summary>
    /// Queues <paramref name="body"/> for the writer thread. The task completes after the batch
    /// holding it is committed and on disk, with the body's result or its exception.
    /// </summary>
    public Task<TResult> WriteAsync<TResult>(Func<WriteContext, TResult> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var operation = new WriteOperation<TResult>(body, cancellationToken);
        try
        {
            _queue.Add(operation, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // CompleteAdding was called: the store is closing.
            return Task.FromException<TResult>(new ObjectDisposedException(nameof(TenantDatabase), $"The store of tenant '{Name}' is closed."));
        }

        return operation.Task;
    }

    /// <summary>
    /// The writer thread. It runs each operation as it arrives, in an open transaction, and commits
    /// that transaction as soon as the log is on disk up to the previous commit (or the batch is
    /// full): while the disk works the writer keeps running what arrives, so a batch holds what
    /// came during one fsync, and no commit writes to the log while it is being fsynced (which
    /// made each fsync slower and each batch smaller).
    /// </summary>
    private void RunWriter()
    {
        try
        {
            while (_queue.TryTake(out WriteOperation? operation, Timeout.Infinite))
            {
                Take(operation);
                while (_open.Count < MaxBatchSize && _queue.TryTake(out WriteOperation? next))
                {
                    Take(next);
                }

                if (_open.Count > 0 && (DiskIdle || _open.Count >= MaxBatchSize))
                {
                    CommitOpen();
                }
            }

            if (_open.Count > 0)
            {
                CommitOpen();
            }
        }
        finally
        {
            // The durability thread finishes what was committed, then stops.
            _committed.CompleteAdding();
        }
    }

    /// <summary>Whether every commit handed to the durability thread is done with (on disk, or failed).</summary>
    private bool DiskIdle => Volatile.Read(ref _durableCommits) == _handedOff;

    /// <summary>Runs one operation in the open transaction (beginning one when none is open).</summary>
    private void Take(WriteOperation operation)
    {
        if (operation is WakeUp)
        {
            return; // the durability thread finished a round: RunWriter looks at the disk again
        }

        if (_fault is { } fault)
        {
            operation.Fail(fault);
            return;
        }

        if (operation.CancellationToken.IsCancellationRequested)
        {
            operation.Fail(new OperationCanceledException(operation.CancellationToken));
            return;
        }

        if (!_transactionOpen)
        {
            _context.DiscardChanges();
            try
            {
                Database.BeginTrans();
            }
            catch (Exception exception)
            {
                TryRollback();
                operation.Fail(exception);
                return;
            }

            _transactionOpen = true;
        }

        _context.BeginOperation();
        try
        {
            operation.Execute(_context);
            _open.Add(operation);
            _openRefused.Add(null);
        }
        catch (ScimException refusal) when (_context.Changes == 0)
        {
            // Refused before it changed anything: the transaction holds only the others' work. It
            // is answered with them, once what it was judged against is durable.
            _open.Add(operation);
            _openRefused.Add(refusal);
        }
        catch (Exception)
        {
            // Changed something and then failed, or LiteDB itself failed (which may have rolled
            // the transaction back): start over, one transaction per operation.
            _context.DiscardChanges();
            TryRollback();
            _transactionOpen = false;
            WriteOperation[] redo = [.. _open, operation];
            _open.Clear();
            _openRefused.Clear();
            foreach (WriteOperation again in redo)
            {
                ApplyAlone(again);
            }
        }
    }

    /// <summary>Commits the open transaction once the disk is idle, and hands it to the durability thread.</summary>
    private void CommitOpen()
    {
        WaitForDisk();
        WriteOperation[] operations = [.. _open];
        Exception?[] refused = [.. _openRefused];
        _open.Clear();
        _openRefused.Clear();
        _transactionOpen = false;
        try
        {
            // An earlier commit could not be made durable while this one was open: nothing more goes to the file.
            if (_fault is { } fault)
            {
                throw fault;
            }

            _context.SaveSequences();
            Database.Commit();
        }
        catch (Exception exception)
        {
            // Commit failed (or must not be made): nothing of this batch is known to be durable.
            _context.DiscardChanges();
            TryRollback();
            foreach (WriteOperation operation in operations)
            {
                operation.Fail(exception);
            }

            return;
        }

        Committed(operations, refused);
    }

    private void ApplyAlone(WriteOperation operation)
    {
        if (operation.CancellationToken.IsCancellationRequested)
        {
            operation.Fail(new OperationCanceledException(operation.CancellationToken));
            return;
        }

        WaitForDisk();
        _context.DiscardChanges();
        try
        {
            if (_fault is { } fault)
            {
                throw fault;
            }

            Database.BeginTrans();
            _context.BeginOperation();
            operation.Execute(_context);
            _context.SaveSequences();
            Database.Commit();
        }
        catch (Exception exception)
        {
            _context.DiscardChanges();
            TryRollback();
            operation.Fail(exception);
            return;
        }

        Committed([operation], [null]);
    }

    /// <summary>Blocks the writer until the durability thread is done with every commit handed to it.</summary>
    private void WaitForDisk()
    {
        while (!DiskIdle)
        {
            // Reset before looking again: a round finished in between sets it after the reset.
            _diskIdle.Reset();
            if (DiskIdle)
            {
                break;
            }

            _diskIdle.Wait();
        }
    }

    /// <summary>
    /// The durability thread: takes every commit queued so far, makes them all durable with one
    /// fsync of the log (LiteDB wrote their pages synchronously during each Commit), then
    /// completes them in commit order. If the fsync fails, those commits are in the file but
    /// neither known to be durable nor in the readers' models, which no longer match the writer's:
    /// they fail, every later commit fails (its checks saw them), and so does every later write to
    /// this tenant, until a restart reloads the models from the file (where LiteDB's recovery
    /// decides whether the commits survived).
    /// </summary>
    private void RunDurability()
    {
        var commits = new List<CommittedBatch>();
        try
        {
            foreach (CommittedBatch first in _committed.GetConsumingEnumerable())
            {
                commits.Add(first);
                while (_committed.TryTake(out CommittedBatch? next))
                {
                    commits.Add(next);
                }

                if (_fault is null)
                {
                    try
                    {
                        _file.FlushLogToDisk();
                    }
                    catch (Exception exception)
                    {
                        _fault = new IOException($"A write to tenant '{Name}' could not be made durable; its writes are refused until the server restarts.", exception);
                    }
                }

                foreach (CommittedBatch commit in commits)
                {
                    if (_fault is { } fault)
                    {
                        commit.Fail(fault);
                    }
                    else
                    {
                        commit.Complete();
                    }
                }

                // The disk is free for the writer's next commit: wake it whether it waits for an
                // operation (the queue) or for the disk (the event).
                Interlocked.Add(ref _durableCommits, commits.Count);
                commits.Clear();
                _diskIdle.Set();
                try
                {
                    _queue.Add(WakeUp.Instance);
                }
                catch (InvalidOperationException)
                {
                    // Closing: the writer takes no more operations and waits on the event only.
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void TryRollback()
    {
        _context.ForgetSavedSequences();
        try
        {
            Database.Rollback();
        }
        catch (LiteException)
        {
            // Nothing more can be undone; the transaction is gone either way.
        }
    }

    /// <summary>Stops taking writes, lets the writer finish every queued write, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.CompleteAdding();
        await _stopped.Task.ConfigureAwait(false);
        _queue.Dispose();
        _committed.Dispose();
        _diskIdle.Dispose();
        try
        {
            _file.Dispose();
        }
        finally
        {
            // Also when the file fails to close: the models' kept renderings count against a process-wide budget.
            foreach (IResourceModel model in _models.Values)
            {
                model.Close();
            }
        }
    }

    /// <summary>Queued by the durability thread after each round so that a writer waiting for operations looks at the disk again; never run.</summary>
    private sealed class WakeUp : WriteOperation
    {
        public static WakeUp Instance { get; } = new();

        private WakeUp()
            : base(CancellationToken.None)
        {
        }

        public override void Execute(WriteContext context) => throw new InvalidOperationException("A wake-up is not a write.");

        public override void Succeed()
        {
        }

        public override void Fail(Exception exception)
        {
        }
    }
}
