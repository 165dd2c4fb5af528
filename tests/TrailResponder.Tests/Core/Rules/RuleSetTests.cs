using System.Text;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Rules;

public class RuleSetTests
{
    private static DetectionRule Rule(string id, string pattern) => new(id, id, Severity.Low, "", "", FilterPattern.Parse(pattern));

    [Fact]
    public void The_layout_holds_the_union_of_every_rules_selectors_once()
    {
        var set = new RuleSet([Rule("A", "{ $.a = 1 && $.b = 2 }"), Rule("B", "{ $.b = 2 || $.c.d NOT EXISTS }")]);

        Assert.Equal(["$.a", "$.b", "$.c.d"], set.Layout.Paths.Select(p => p.Text));
    }

    [Fact]
    public void Matches_come_back_in_rule_order()
    {
        var set = new RuleSet([Rule("Z", "{ $.a = 1 }"), Rule("Y", "{ $.b NOT EXISTS }"), Rule("X", "{ $.a = 2 }")]);

        var matched = set.CreateEvaluator().Match(Encoding.UTF8.GetBytes("""{"a":1}"""));

        Assert.Equal(["Z", "Y"], matched.Select(r => r.Id));
    }

    [Fact]
    public void A_record_no_rule_matches_costs_no_allocation()
    {
        var evaluator = new RuleSet(BuiltInRules.All).CreateEvaluator();
        var record = Encoding.UTF8.GetBytes("""{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","userIdentity":{"type":"AssumedRole"}}""");
        Assert.Empty(evaluator.Match(record));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Match(record);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_evaluator_reused_across_records_does_not_leak_values_between_them()
    {
        var evaluator = new RuleSet([Rule("A", "{ $.a = 1 }")]).CreateEvaluator();

        Assert.Single(evaluator.Match(Encoding.UTF8.GetBytes("""{"a":1}""")));
        Assert.Empty(evaluator.Match(Encoding.UTF8.GetBytes("""{"b":1}""")));
    }

    [Fact]
    public void Duplicate_rule_ids_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RuleSet([Rule("A", "{ $.a = 1 }"), Rule("A", "{ $.b = 1 }")]));

        Assert.Contains("A", error.Message, StringComparison.Ordinal);
    }
}
