using TrailResponder.Core.Delivery;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Delivery;

public class FindingTallyTests
{
    [Fact]
    public void It_keeps_at_most_a_hundred_findings_the_most_severe_and_earliest_whatever_their_order_of_arrival()
    {
        var tally = new FindingTally(Severity.Low);
        for (var i = 0; i < 500; i++)
        {
            tally.Add(DeliveryFixtures.SecurityGroupChange($"e-sg-{i}"));
        }

        tally.Add(DeliveryFixtures.RootLogin());

        Assert.Equal(501, tally.Reported);
        Assert.Equal(FindingTally.MaxListed, tally.Listed.Count);
        Assert.Equal("e-root", tally.Listed[0].EventId);
        Assert.Equal(Enumerable.Range(0, FindingTally.MaxListed - 1).Select(i => $"e-sg-{i}"), tally.Listed.Skip(1).Select(f => f.EventId));
    }

    [Fact]
    public void Findings_below_the_threshold_are_counted_apart_and_never_listed()
    {
        var tally = FindingTally.Of([DeliveryFixtures.SecurityGroupChange(), DeliveryFixtures.RootLogin()], Severity.High);

        Assert.Equal(1, tally.Reported);
        Assert.Equal(1, tally.BelowThreshold);
        Assert.Equal(["CIS-4.3"], tally.Listed.Select(f => f.Rule.Id));
        Assert.Equal([("CIS-4.3", 1)], tally.ByRule.Select(r => (r.Rule.Id, r.Count)));
    }

    [Fact]
    public void Rules_are_counted_most_severe_first_then_busiest()
    {
        var tally = FindingTally.Of(
            [DeliveryFixtures.SecurityGroupChange("a"), DeliveryFixtures.SecurityGroupChange("b"), DeliveryFixtures.RootLogin()],
            Severity.Informational);

        Assert.Equal([("CIS-4.3", 1), ("CIS-4.10", 2)], tally.ByRule.Select(r => (r.Rule.Id, r.Count)));
    }
}
