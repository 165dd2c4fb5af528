using TrailResponder.Core.Logs;

namespace TrailResponder.Core.Search;

/// <summary>
/// The matching events a search prints: newest first (ties by event id), at most <c>limit</c> of them, gathered from
/// files read in parallel.
/// </summary>
/// <remarks>
/// With a limit only that many records are ever held, however many match: a match is copied out of the reader's buffer
/// only when it displaces a kept one, so <c>--max-results 1</c> over a year of logs holds one record.
/// </remarks>
public sealed class NewestEvents(int? limit)
{
    private readonly Lock _gate = new();

    // A max-heap in print order: its root is the record that would be printed last, the first to give way.
    private readonly PriorityQueue<Kept, Kept> _kept = new(Comparer<Kept>.Create((a, b) => Compare(b, a)));
    private long _matched;

    /// <summary>Every match offered, kept or not.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>The records held now: never more than the limit.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>
    /// Offers a matching record, which may be borrowed from a reader: it is detached only when kept. Safe to call from
    /// several threads.
    /// </summary>
    public void Offer(CloudTrailRecord record)
    {
        Interlocked.Increment(ref _matched);
        var candidate = new Kept(record, record.EventTime ?? DateTimeOffset.MinValue);
        lock (_gate)
        {
            if (limit is null || _kept.Count < limit)
            {
                candidate = candidate with { Record = record.Detach() };
                _kept.Enqueue(candidate, candidate);
            }
            else if (_kept.Count > 0 && Compare(candidate, _kept.Peek()) < 0)
            {
                candidate = candidate with { Record = record.Detach() };
                _kept.EnqueueDequeue(candidate, candidate);
            }
        }
    }

    /// <summary>The kept records in print order: newest first, ties by event id.</summary>
    public IReadOnlyList<CloudTrailRecord> InPrintOrder()
    {
        lock (_gate)
        {
            return _kept.UnorderedItems.Select(item => item.Element).Order(Comparer<Kept>.Create(Compare)).Select(k => k.Record).ToList();
        }
    }

    // Negative when a is printed before b.
    private static int Compare(Kept a, Kept b)
    {
        var byTime = b.Time.CompareTo(a.Time);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Record.EventId, b.Record.EventId);
    }

    private sealed record Kept(CloudTrailRecord Record, DateTimeOffset Time);
}
