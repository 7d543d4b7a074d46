using LiteDB;

namespace FastScim.Storage.LiteDb;

/// <summary>
/// How a collection's resources are kept in the tenant's file: a log of records, one per committed
/// batch that changed the collection, in the LiteDB collection <c>{resources}_log</c>. A record is
/// <c>{ _id: its slot, n: its number, e: [id, sequence, bytes, id, null, null, …] }</c>, the batch's
/// changes in order, three values each: the id, its sequence and the resource's document as BSON
/// bytes, or the id and two nulls for a deletion. Records are numbered in the order they were
/// written; the collection's state is the entries in that order, the last entry of an id winning
/// (<see cref="ResourceModel{T}"/>).
/// </summary>
/// <remarks>
/// Why a log and not a document per resource (issue 7): every read is answered from the in-memory
/// model, so the file is only read when the tenant opens, and LiteDB's work per document — its
/// <c>_id</c> skip list, the nested document's values written one by one, an updated resource's
/// page copied into the commit wherever it lies — was most of the single writer's time and of a
/// write's allocations (≈19 KB per insert). A record is one write per batch.
/// Superseded entries are dropped by <see cref="ResourceModel{T}.CompactLog"/>, which rewrites the
/// oldest records' live entries as one new record.
/// <para>
/// Why a slot apart from the number: a batch's record is written over a record every entry of which
/// was superseded (<see cref="LogLedger.TakeEmptied"/>), in that record's slot, instead of inserting
/// it and deleting the emptied one — the <c>_id</c> index is then left as it is, which under PATCH
/// was most of the pages a commit wrote besides the record itself (issue 7). A new slot is the
/// record's own number negated, which puts new records at the head of the <c>_id</c> index, where
/// LiteDB inserts them with least work (<see cref="ResourceModel{T}"/>'s <c>NewSlot</c>). Slots equal
/// to their record's number are those of a file moved from the document-per-resource form
/// (<see cref="MoveEarlierForm"/>) and of earlier versions' files, which may also hold spare records
/// (empty ones inserted ahead for later batches to write over) in negated ones. No slot can hold a
/// new one yet: a slot was its first record's number or that number negated, and a new number is above every
/// number in the log (after a reopen of a log compacted to nothing they start again at 1, with no
/// slot left). A record of an earlier version's file has no <c>n</c>: its number is its slot.
/// Kept emptied and spare records hold no live entry: reading them changes nothing.
/// </para>
/// <para>
/// Why three values an entry and not a document (issue 7): LiteDB writes a nested document as a
/// dictionary, measuring each before writing it; a record's flat values were written in a third
/// less time, and made with half the objects. A record of an earlier version's file holds each
/// entry as a document, <c>{ i: id, s: sequence, b: bytes }</c> or <c>{ i: id }</c>, and reads alike.
/// </para>
/// </remarks>
internal static class ResourceLog
{
    private const string NumberField = "n";
    private const string EntriesField = "e";
    private const string IdField = "i";
    private const string SequenceField = "s";
    private const string BodyField = "b";

    /// <summary>The LiteDB collection holding the log of the resource collection <paramref name="resources"/>.</summary>
    public static string CollectionOf(string resources) => resources + "_log";

    /// <summary>A record numbered <paramref name="number"/>, kept in slot <paramref name="slot"/>, of <paramref name="entries"/> (made by <see cref="AddPut"/> and <see cref="AddDeletion"/>).</summary>
    public static BsonDocument Record(long slot, long number, BsonArray entries) => new()
    {
        ["_id"] = slot,
        [NumberField] = number,
        [EntriesField] = entries,
    };

    /// <summary>Adds the entry storing <paramref name="id"/> at <paramref name="sequence"/> as <paramref name="body"/> (its codec's <see cref="ResourceCodec{T}.ToBytes"/>; the id and sequence kept beside them win).</summary>
    public static void AddPut(BsonArray entries, string id, long sequence, byte[] body)
    {
        entries.Add(id);
        entries.Add(sequence);
        entries.Add(body);
    }

    /// <summary>Adds the entry deleting <paramref name="id"/>.</summary>
    public static void AddDeletion(BsonArray entries, string id)
    {
        entries.Add(id);
        entries.Add(BsonValue.Null);
        entries.Add(BsonValue.Null);
    }

    /// <summary>The number of a record read from the log: its place in the order records were written.</summary>
    public static long NumberOf(BsonDocument record) =>
        record.TryGetValue(NumberField, out BsonValue number) ? number.AsInt64 : SlotOf(record);

    /// <summary>The slot (LiteDB <c>_id</c>) a record read from the log is kept in.</summary>
    public static long SlotOf(BsonDocument record) => record["_id"].AsInt64;

    /// <summary>The entries of <paramref name="record"/>, in order: each id with its sequence and bytes, or null bytes for a deletion.</summary>
    public static IEnumerable<(string Id, long Sequence, byte[]? Body)> Entries(BsonDocument record)
    {
        BsonArray stored = record[EntriesField].AsArray;
        if (stored.Count > 0 && stored[0].IsDocument)
        {
            // An earlier version's record: a document an entry.
            foreach (BsonValue value in stored)
            {
                BsonDocument entry = value.AsDocument;
                string id = entry[IdField].AsString;
                yield return entry.TryGetValue(BodyField, out BsonValue body)
                    ? (id, entry[SequenceField].AsInt64, body.AsBinary)
                    : (id, 0, null);
            }

            yield break;
        }

        if (stored.Count % 3 != 0)
        {
            throw new InvalidDataException($"A record of the log holds {stored.Count} values, not three an entry.");
        }

        for (int i = 0; i < stored.Count; i += 3)
        {
            string id = stored[i].AsString;
            yield return stored[i + 2].IsNull ? (id, 0, null) : (id, stored[i + 1].AsInt64, stored[i + 2].AsBinary);
        }
    }

    /// <summary>How many resources a record moved from an earlier version's collection holds at most.</summary>
    private const int MovedPerRecord = 1_000;

    /// <summary>
    /// A file written by an earlier version keeps each resource as a document of the collection
    /// <paramref name="resources"/> itself: moves them into the log (in records of
    /// <see cref="MovedPerRecord"/>, each moved in a transaction of its own, so an interrupted move
    /// goes on at the next open), then drops the collection. Runs when the collection opens,
    /// before any write; a file already in this form is left as it is.
    /// </summary>
    public static void MoveEarlierForm(TenantDatabase database, string resources)
    {
        LiteDatabase db = database.Database;
        if (!db.CollectionExists(resources))
        {
            return;
        }

        ILiteCollection<BsonDocument> earlier = db.GetCollection(resources);
        ILiteCollection<BsonDocument> log = db.GetCollection(CollectionOf(resources));
        long number = log.FindAll().Select(NumberOf).DefaultIfEmpty(0).Max();
        while (true)
        {
            List<BsonDocument> documents = [.. earlier.FindAll().Take(MovedPerRecord)];
            if (documents.Count == 0)
            {
                break;
            }

            var entries = new BsonArray();
            foreach (BsonDocument document in documents)
            {
                // The document's own bytes: a codec's bytes are the same mapping (ResourceCodec.ToBytes).
                AddPut(entries, document["_id"].AsString, document[ResourceFields.SequenceField].AsInt64, BsonSerializer.Serialize(document));
            }

            db.BeginTrans();
            try
            {
                number++;
                log.Insert(Record(number, number, entries));
                foreach (BsonDocument document in documents)
                {
                    earlier.Delete(document["_id"]);
                }

                db.Commit();
            }
            catch
            {
                db.Rollback();
                throw;
            }
        }

        db.DropCollection(resources);
        database.File.FlushLogToDisk();
    }
}
