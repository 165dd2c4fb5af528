using System.Text;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Search;
using TrailResponder.Tests.Core.Logs;

namespace TrailResponder.Tests.Core.Search;

public class NewestEventsTests
{
    // 1,000 events a second apart, in no particular order, all matching.
    private static byte[] File() => Encoding.UTF8.GetBytes(LogFileBytes.Document(Enumerable.Range(0, 1000)
        .Select(i => (i * 7919) % 1000)
        .Select(i => $$"""{"eventID":"e-{{i:D4}}","eventTime":"{{new DateTimeOffset(2024, 5, 6, 8, 0, 0, TimeSpan.Zero).AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}"}""")));

    private static NewestEvents Offer(int? limit)
    {
        var newest = new NewestEvents(limit);
        using var reader = new CloudTrailLogReader(new MemoryStream(File()), "f.json");
        while (reader.ReadBorrowed() is { } record)
        {
            newest.Offer(record);
        }

        return newest;
    }

    [Fact]
    public void With_a_limit_of_one_only_the_newest_event_is_kept_however_many_match()
    {
        var newest = Offer(1);

        Assert.Equal(1000, newest.Matched);
        Assert.Equal(1, newest.Held);
        Assert.Equal(["e-0999"], newest.InPrintOrder().Select(r => r.EventId));
    }

    [Fact]
    public void The_kept_events_are_copies_that_outlive_the_reader_and_come_newest_first()
    {
        var newest = Offer(3);

        Assert.Equal(["e-0999", "e-0998", "e-0997"], newest.InPrintOrder().Select(r => r.EventId));
        Assert.Equal("2024-05-06T08:16:39Z", newest.InPrintOrder()[0].EventTimeText);
    }

    [Fact]
    public void Without_a_limit_every_match_is_kept_in_print_order_with_ties_by_event_id()
    {
        var newest = new NewestEvents(null);
        var text = LogFileBytes.Document(["""{"eventID":"b","eventTime":"2024-05-06T08:00:00Z"}""", """{"eventID":"a","eventTime":"2024-05-06T08:00:00Z"}""", """{"eventID":"c","eventTime":"2024-05-06T09:00:00Z"}"""]);
        using var reader = new CloudTrailLogReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), "f.json");
        while (reader.ReadBorrowed() is { } record)
        {
            newest.Offer(record);
        }

        Assert.Equal(["c", "a", "b"], newest.InPrintOrder().Select(r => r.EventId));
    }
}
