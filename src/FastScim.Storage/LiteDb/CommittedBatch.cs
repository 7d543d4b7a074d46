namespace FastScim.Storage.LiteDb;

/// <summary>
/// The writes of one commit waiting for the fsync that makes them durable: what to publish to
/// the in-memory models (<see cref="IResourceModel.Stage"/>) and whom to answer, and how.
/// </summary>
internal sealed class CommittedBatch(WriteOperation[] operations, Exception?[] refused, Action[] publish)
{
    /// <summary>
    /// The commit is on disk: the models show it to readers first, so that a caller who reads
    /// after its write is answered sees it, then each write is answered (or refused, for the ones
    /// refused in the batch without changing anything).
    /// </summary>
    public void Complete()
    {
        foreach (Action step in publish)
        {
            step();
        }

        for (int i = 0; i < operations.Length; i++)
        {
            if (refused[i] is { } exception)
            {
                operations[i].Fail(exception);
            }
            else
            {
                operations[i].Succeed();
            }
        }
    }

    /// <summary>The commit could not be made durable: nothing of it is published, every write fails.</summary>
    public void Fail(Exception fault)
    {
        foreach (WriteOperation operation in operations)
        {
            operation.Fail(fault);
        }
    }
}
