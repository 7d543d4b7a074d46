using FastScim.Storage.LiteDb;

namespace FastScim.Storage.Tests.LiteDb;

public sealed class LogLedgerTests
{
    private const int MinDead = 100;
    private const int PerStep = 50;

    [Fact]
    public void Counts_entries_and_live_ones_as_records_come_supersede_and_go()
    {
        var ledger = new LogLedger(MinDead, PerStep);
        ledger.Added(1, 2, 0);
        ledger.Live(1);
        ledger.Live(1);
        ledger.Added(2, 2, 1); // one rewrites an entry of record 1, one deletes the other
        ledger.Dead(1);
        ledger.Live(2);
        ledger.Dead(1);

        Assert.Equal((4L, 1L, 3L, 2L), (ledger.Entries, ledger.LiveEntries, ledger.DeadEntries, ledger.Last));

        ledger.Removed([1L]);
        Assert.Equal((2L, 1L, 1), (ledger.Entries, ledger.LiveEntries, ledger.Records));
        Assert.Equal(2L, ledger.Last);
    }

    [Fact]
    public void A_record_whose_every_entry_was_superseded_is_emptied_at_once_unless_it_holds_a_deletion()
    {
        var ledger = new LogLedger(MinDead, PerStep);
        ledger.Added(1, 2, 0);
        ledger.Live(1);
        ledger.Live(1);
        ledger.Added(2, 1, 1); // deletes one of record 1's
        ledger.Dead(1);
        Assert.Empty(ledger.TakeEmptied());

        ledger.Added(3, 2, 0); // rewrites the other, and one of its own twice
        ledger.Dead(1);
        ledger.Live(3);
        ledger.Dead(3);
        ledger.Live(3);
        Assert.Equal([1L], ledger.TakeEmptied()); // record 2 holds a deletion; 3 lost one entry of two
        Assert.Empty(ledger.TakeEmptied());
    }

    [Fact]
    public void A_record_without_entries_is_emptied_as_it_comes_and_each_record_keeps_its_slot()
    {
        var ledger = new LogLedger(MinDead, PerStep);
        ledger.Added(1, 0, 0, slot: -1); // a spare record, as an earlier version inserted ahead
        ledger.Added(2, 1, 0, slot: 7); // written over slot 7
        ledger.Live(2);

        Assert.Equal([1L], ledger.TakeEmptied());
        Assert.Equal((-1L, 7L), (ledger.SlotOf(1), ledger.SlotOf(2)));
        Assert.Equal((1L, 1L, 2L), (ledger.Entries, ledger.LiveEntries, ledger.Last));
    }

    [Fact]
    public void Compaction_is_wanted_once_the_superseded_entries_reach_both_twice_the_live_ones_and_the_minimum()
    {
        // The default given, not read: tests in other classes may lower it meanwhile (LogThresholds).
        var ledger = new LogLedger(MinDead, PerStep, LogLedger.DefaultDeadPerLive);
        Assert.Equal(2, LogLedger.DefaultDeadPerLive);
        int live = MinDead + 10;
        ledger.Added(1, live, 0);
        for (int i = 0; i < live; i++)
        {
            ledger.Live(1);
        }

        // Every resource written again, then all but one a third time.
        Supersede(from: 1, to: 2, live);
        Supersede(from: 2, to: 3, live - 1);
        Assert.Equal(((long)live, 2L * live - 1), (ledger.LiveEntries, ledger.DeadEntries));
        Assert.False(ledger.WantsCompaction);

        Supersede(from: 2, to: 4, 1);
        Assert.Equal(((long)live, 2L * live), (ledger.LiveEntries, ledger.DeadEntries));
        Assert.True(ledger.WantsCompaction);

        void Supersede(long from, long to, int count)
        {
            ledger.Added(to, count, 0);
            for (int i = 0; i < count; i++)
            {
                ledger.Dead(from);
                ledger.Live(to);
            }
        }
    }

    [Fact]
    public void Compaction_is_not_wanted_below_the_minimum_however_many_entries_are_superseded_in_proportion()
    {
        var ledger = new LogLedger(MinDead, PerStep);
        ledger.Added(1, 10, 0);
        ledger.Live(1);
        Assert.Equal(9L, ledger.DeadEntries);
        Assert.False(ledger.WantsCompaction);
    }

    [Fact]
    public void A_step_takes_the_oldest_records_up_to_its_size_and_always_one()
    {
        var ledger = new LogLedger(MinDead, PerStep);
        ledger.Added(1, PerStep / 2, 0);
        ledger.Added(2, PerStep / 2, 0);
        ledger.Added(3, 1, 0);
        Assert.Equal([1L, 2L], ledger.OldestForStep());

        ledger.Removed([1L, 2L]);
        ledger.Added(4, PerStep * 2, 0);
        Assert.Equal([3L], ledger.OldestForStep());

        ledger.Removed([3L]);
        Assert.Equal([4L], ledger.OldestForStep()); // larger than a step, taken alone
    }
}
