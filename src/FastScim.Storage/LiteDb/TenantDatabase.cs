using System.Collections.Concurrent;
using FastScim.Core.Protocol;
using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// One tenant's open LiteDB file and its single writer: a dedicated thread that takes queued
/// <see cref="WriteOperation"/>s, applies up to <see cref="MaxBatchSize"/> of them in one
/// transaction, commits, flushes the log file to disk (one fdatasync per batch) and only then completes
/// their tasks — group commit. Reads use
/// <see cref="Database"/> directly on the caller's thread.
/// </summary>
/// <remarks>
/// A dedicated OS thread, not an async loop: LiteDB's explicit transactions belong to the
/// thread that began them (LiteDB #2822), so a transaction must never span an await. It is also
/// what keeps LiteDB's transaction ids growing along its log, which the log's reuse after a
/// checkpoint relies on to tell its pages from older ones (<see cref="DurableFileStream"/>):
/// nothing but this thread writes once the file is open (opening writes its pragmas and indexes
/// first, and closing checkpoints after the thread has stopped).
/// </remarks>
internal sealed class TenantDatabase : IAsyncDisposable
{
    public const int MaxBatchSize = 256;

    private readonly LiteDbFile _file;
    private readonly BlockingCollection<WriteOperation> _queue = new(new ConcurrentQueue<WriteOperation>());
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WriteContext _context;
    // Read by the writer (its checks, every write) without a lock; registered before any write.
    private readonly ConcurrentDictionary<string, IResourceModel> _models = new(StringComparer.Ordinal);
    private Exception? _fault; // writer thread only: set when a commit could not be made durable
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
        writer.Start();
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
    /// Hands the changes of a commit to the collections' models to build their next snapshots
    /// (<see cref="IResourceModel.Apply"/>), on the writer thread, while the commit's flush to disk
    /// runs; readers see them only at <see cref="Publish"/>. Each collection gets all of its changes at once.
    /// </summary>
    private void Build()
    {
        if (!_context.HasChanges)
        {
            return;
        }

        List<ResourceChange> changes = _context.TakeChanges();
        foreach (var (collection, model) in _models)
        {
            if (ChangesOf(collection, changes) is { } mine)
            {
                model.Apply(mine);
            }
        }
    }

    /// <summary>Shows readers what <see cref="Build"/> built, once the commit is durable and before any caller is acknowledged (<see cref="CommitDurably"/>).</summary>
    private void Publish()
    {
        foreach (IResourceModel model in _models.Values)
        {
            model.Publish();
        }
    }

    /// <summary>
    /// The changes of <paramref name="collection"/> among <paramref name="changes"/>, in order; null
    /// for none. A batch of one collection's writes (a run of POSTs or PATCHes of users) is answered
    /// with <paramref name="changes"/> itself, which the callers only read: no copy per batch.
    /// </summary>
    private static IReadOnlyList<ResourceChange>? ChangesOf(string collection, IReadOnlyList<ResourceChange> changes)
    {
        int count = 0;
        foreach (ResourceChange change in changes)
        {
            count += change.Collection == collection ? 1 : 0;
        }

        if (count == 0 || count == changes.Count)
        {
            return count == 0 ? null : changes;
        }

        var mine = new List<ResourceChange>(count);
        foreach (ResourceChange change in changes)
        {
            if (change.Collection == collection)
            {
                mine.Add(change);
            }
        }

        return mine;
    }

    /// <summary>
    /// In the open transaction, just before it commits: each modelled collection's changes of the
    /// transaction as one record of its log, and the sequence marks its deletions need.
    /// </summary>
    private void WriteLogs()
    {
        _context.SaveSequences();
        foreach (var (collection, model) in _models)
        {
            if (model is IResourceLogModel logged && ChangesOf(collection, _context.Pending) is { } mine)
            {
                logged.WriteLog(mine);
            }
        }
    }

    /// <summary>
    /// After a batch, one compaction step for each log that has enough superseded entries, each in
    /// a transaction of its own made durable like a batch (<see cref="IResourceLogModel.CompactLog"/>).
    /// A step that fails before its commit leaves the log as it was, and is tried again after a
    /// later batch; one whose flush to disk fails faults the tenant as a batch's would (<see cref="MakeDurable"/>).
    /// Either way the writer thread goes on: whatever a step throws stays here.
    /// </summary>
    private void CompactLogs()
    {
        foreach (IResourceModel model in _models.Values)
        {
            if (_fault is not null || model is not IResourceLogModel { WantsCompaction: true } logged)
            {
                continue;
            }

            Action compacted;
            try
            {
                Database.BeginTrans();
                compacted = logged.CompactLog();
            }
            catch (Exception)
            {
                TryRollback();
                continue;
            }

            if (CommitDurably([]))
            {
                compacted();
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="body"/> for the writer thread. The task completes after the batch
    /// holding it is committed and on disk, with the body's result or its exception.
    /// </summary>
    public Task<TResult> WriteAsync<TResult>(Func<WriteContext, TResult> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteAsync(static (context, body) => body(context), body, cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="body"/>, run with <paramref name="state"/>, for the writer thread: as
    /// <see cref="WriteAsync{TResult}(Func{WriteContext, TResult}, CancellationToken)"/>, for a
    /// static body whose state the operation holds, where a lambda's captures would cost a closure
    /// and a delegate a write (issue 7: ≈100 B of a POST).
    /// </summary>
    public Task<TResult> WriteAsync<TState, TResult>(Func<WriteContext, TState, TResult> body, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var operation = new WriteOperation<TState, TResult>(body, state, cancellationToken);
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

    private void RunWriter()
    {
        var batch = new List<WriteOperation>(MaxBatchSize);
        try
        {
            foreach (WriteOperation first in _queue.GetConsumingEnumerable())
            {
                batch.Add(first);
                while (batch.Count < MaxBatchSize && _queue.TryTake(out WriteOperation? next))
                {
                    batch.Add(next);
                }

                if (_fault is { } fault)
                {
                    batch.ForEach(operation => operation.Fail(fault));
                }
                else
                {
                    ApplyBatch(batch);
                }

                batch.Clear();
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    private void ApplyBatch(List<WriteOperation> batch)
    {
        var refused = new Exception?[batch.Count];
        bool redoOneByOne = false;
        _context.DiscardChanges();
        try
        {
            Database.BeginTrans();
            for (int i = 0; i < batch.Count && !redoOneByOne; i++)
            {
                WriteOperation operation = batch[i];
                if (operation.CancellationToken.IsCancellationRequested)
                {
                    refused[i] = new OperationCanceledException(operation.CancellationToken);
                    continue;
                }

                _context.BeginOperation();
                try
                {
                    operation.Execute(_context);
                }
                catch (ScimException refusal) when (_context.Changes == 0)
                {
                    // Refused before it changed anything: the transaction holds only the others' work.
                    refused[i] = refusal;
                }
                catch (Exception)
                {
                    // Changed something and then failed, or LiteDB itself failed (which may have
                    // rolled the transaction back): start over, one transaction per operation.
                    redoOneByOne = true;
                }
            }

            if (redoOneByOne)
            {
                Database.Rollback();
                _context.DiscardChanges();
            }
            else
            {
                WriteLogs();
            }
        }
        catch (Exception exception)
        {
            // BeginTrans or the log's records failed: nothing of this batch reached the file.
            _context.DiscardChanges();
            TryRollback();
            foreach (WriteOperation operation in batch)
            {
                operation.Fail(exception);
            }

            return;
        }

        if (redoOneByOne)
        {
            foreach (WriteOperation operation in batch)
            {
                ApplyAlone(operation);
            }

            return;
        }

        if (!CommitDurably(batch))
        {
            return;
        }

        // Committed, on disk and shown to readers (so a caller that reads after its write sees it): acknowledge.
        for (int i = 0; i < batch.Count; i++)
        {
            if (refused[i] is { } exception)
            {
                batch[i].Fail(exception);
            }
            else
            {
                batch[i].Succeed();
            }
        }

        CompactLogs();
    }

    private void ApplyAlone(WriteOperation operation)
    {
        // An earlier operation of the redo could not be made durable: the models hold its build,
        // which no later commit may show (MakeDurable), so the rest of the batch is refused too.
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

        _context.DiscardChanges();
        try
        {
            Database.BeginTrans();
            _context.BeginOperation();
            operation.Execute(_context);
            WriteLogs();
        }
        catch (Exception exception)
        {
            _context.DiscardChanges();
            TryRollback();
            operation.Fail(exception);
            return;
        }

        if (!CommitDurably([operation]))
        {
            return;
        }

        operation.Succeed();
    }

    /// <summary>
    /// Commits the open transaction, makes it durable (<see cref="Commit"/>, <see cref="MakeDurable"/>)
    /// and shows readers what it changed (<see cref="Publish"/>); false when the tenant faulted
    /// instead, and nothing is shown. In between, the models build what the commit changed
    /// (<see cref="Build"/>) while the disk writes the commit's pages: their write-back is started
    /// first, so the fdatasync that follows waits for less (issue 7: the writer's work after a commit
    /// and the disk's overlap, where they ran one after the other). Building and showing are paired
    /// here, so that no caller can build a commit and leave it unshown.
    /// </summary>
    private bool CommitDurably(IReadOnlyList<WriteOperation> operations)
    {
        if (!Commit(operations))
        {
            return false;
        }

        _file.StartLogWriteBack();
        Build();
        if (!MakeDurable(operations))
        {
            return false;
        }

        Publish();
        return true;
    }

    /// <summary>
    /// Flushes the log to disk after a commit. If that fails, the commit is in the file but not known to
    /// be durable, and the models have built it but readers never see it (it is never published),
    /// so what they show and what the writer's state holds no longer match the file: the batch's
    /// writes are refused, and so is every later write to this tenant, until a restart reloads the
    /// models from the file (where LiteDB's recovery decides whether the commit survived).
    /// </summary>
    private bool MakeDurable(IReadOnlyList<WriteOperation> operations)
    {
        try
        {
            _file.FlushLogToDisk();
            return true;
        }
        catch (Exception exception)
        {
            Fault($"A write to tenant '{Name}' could not be made durable; its writes are refused until the server restarts.", exception, operations);
            return false;
        }
    }

    /// <summary>
    /// Commits the open transaction. LiteDB writes the commit's pages to the log and then, inside
    /// <c>Commit()</c>, may checkpoint: so a throw does not say whether the transaction reached the
    /// file, and the models (and the log's ledgers, which say which records a next batch may write
    /// over) may no longer match it. As when a flush fails (<see cref="MakeDurable"/>), the
    /// operations and every later write are refused until a restart reads the file again.
    /// </summary>
    private bool Commit(IReadOnlyList<WriteOperation> operations)
    {
        try
        {
            Database.Commit();
            return true;
        }
        catch (Exception exception)
        {
            TryRollback();
            Fault($"A commit to tenant '{Name}' failed; its writes are refused until the server restarts.", exception, operations);
            return false;
        }
    }

    private void Fault(string message, Exception exception, IReadOnlyList<WriteOperation> operations)
    {
        _fault = new IOException(message, exception);
        _context.DiscardChanges();
        foreach (WriteOperation operation in operations)
        {
            operation.Fail(_fault);
        }
    }

    private void TryRollback()
    {
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
        await _writerStopped.Task.ConfigureAwait(false);
        _queue.Dispose();
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
}
