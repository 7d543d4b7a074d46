using System.Text;
using FastScim.Core.Bulk;

namespace FastScim.Core.Tests.Bulk;

/// <summary>Which operations of a Bulk request may run and commit together (RFC 7644 §3.7, §3.7.2, §3.7.3).</summary>
public class BulkBatchTests
{
    private static BulkOperation Post(int index, string bulkId, string data = """{"userName":"x"}""") =>
        new(index, "POST", bulkId, null, "/Users", Encoding.UTF8.GetBytes(data));

    private static BulkOperation Patch(int index, string path) =>
        new(index, "PATCH", null, null, path, Encoding.UTF8.GetBytes("""{"Operations":[]}"""));

    /// <summary>Fills batches in graph order the way the Bulk handler does; answers each batch's indexes.</summary>
    private static List<int[]> Batches(BulkOperation[] operations, int? failOnErrors = null)
    {
        var graph = BulkIdGraph.Build(operations);
        var batches = new List<int[]>();
        var next = 0;
        while (next < graph.Order.Count)
        {
            var batch = new BulkBatch(failOnErrors ?? int.MaxValue);
            for (; next < graph.Order.Count; next++)
            {
                var index = graph.Order[next];
                if (!batch.TryAdd(operations[index], graph.References[index], graph.Cyclic.Contains(index)))
                {
                    break;
                }
            }

            batches.Add([.. batch.Indexes]);
        }

        return batches;
    }

    [Fact]
    public void Independent_operations_form_one_batch_in_request_order()
    {
        var operations = Enumerable.Range(0, 1000).Select(i => Post(i, "u" + i)).ToArray();

        var batches = Batches(operations);

        Assert.Equal(Enumerable.Range(0, 1000), Assert.Single(batches));
    }

    [Fact]
    public void Writes_to_one_resource_stay_in_one_batch_because_the_writer_keeps_their_order()
    {
        var operations = new[] { Patch(0, "/Groups/g1"), Patch(1, "/Groups/g1"), new BulkOperation(2, "DELETE", null, null, "/Groups/g1", default) };

        Assert.Equal([0, 1, 2], Assert.Single(Batches(operations)));
    }

    [Fact]
    public void An_operation_that_refers_to_a_bulkId_of_the_batch_starts_the_next_one()
    {
        var operations = new[]
        {
            Post(0, "a"),
            Post(1, "b"),
            Patch(2, "/Groups/bulkId:a"),
            Post(3, "g", """{"displayName":"G","members":[{"value":"bulkId:b"}]}"""),
            Post(4, "c"),
        };

        var batches = Batches(operations);

        Assert.Equal([[0, 1], [2, 3, 4]], batches);
    }

    [Fact]
    public void A_forward_reference_is_ordered_after_its_POST_and_batched_after_it()
    {
        // The group comes first in the request but needs the user's id (§3.7.2); it runs as
        // soon as the user exists, and request order is kept otherwise.
        var operations = new[] { Post(0, "g", """{"displayName":"G","members":[{"value":"bulkId:u"}]}"""), Post(1, "u"), Post(2, "v") };

        Assert.Equal([[1], [0, 2]], Batches(operations));
    }

    [Fact]
    public void A_second_declaration_of_a_bulkId_waits_for_the_first()
    {
        var operations = new[] { Post(0, "same"), Post(1, "other"), Post(2, "same") };

        Assert.Equal([[0, 1], [2]], Batches(operations));
    }

    [Fact]
    public void Operations_on_a_cycle_run_alone()
    {
        var operations = new[]
        {
            Post(0, "free"),
            Post(1, "a", """{"displayName":"A","members":[{"value":"bulkId:b"}]}"""),
            Post(2, "b", """{"displayName":"B","members":[{"value":"bulkId:a"}]}"""),
        };

        Assert.Equal([[0], [1], [2]], Batches(operations));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void A_batch_holds_no_more_operations_than_errors_are_still_allowed(int failOnErrors, int largest)
    {
        var operations = Enumerable.Range(0, 7).Select(i => Post(i, "u" + i)).ToArray();

        var batches = Batches(operations, failOnErrors);

        Assert.Equal(largest, batches.Max(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 7), batches.SelectMany(b => b));
    }

    [Fact]
    public void A_capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BulkBatch(0));
    }
}
