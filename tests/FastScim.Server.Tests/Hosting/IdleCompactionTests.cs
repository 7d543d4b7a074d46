using FastScim.Server.Hosting;

namespace FastScim.Server.Tests.Hosting;

public class IdleCompactionTests
{
    private const long Mb = 1024 * 1024;

    [Theory]
    [InlineData(0, 200, 500, true)]    // quiet, 200 MB free in a 500 MB heap: give it back
    [InlineData(64, 200, 500, true)]   // a timer or two is still quiet
    [InlineData(65, 200, 500, false)]  // serving requests: never pause them
    [InlineData(0, 63, 100, false)]    // too little to be worth a full collection
    [InlineData(0, 100, 401, false)]   // under a quarter of the heap
    [InlineData(0, 100, 400, true)]
    public void Compacts_only_a_quiet_process_with_much_free_heap(long workItems, long fragmentedMb, long heapMb, bool expected) =>
        Assert.Equal(expected, IdleCompaction.ShouldCompact(workItems, fragmentedMb * Mb, heapMb * Mb));
}
