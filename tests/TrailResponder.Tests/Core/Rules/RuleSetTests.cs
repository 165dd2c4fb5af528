using System.Text;
using TrailResponder.Core.Json;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;
using TrailResponder.Tests.Core.Sigma;

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

    [Fact]
    public void Every_built_in_rule_is_indexed_so_an_ordinary_record_evaluates_none_of_them()
    {
        Assert.Equal(0, RuleSet.BuiltIn.UnindexedRuleCount);
    }

    [Fact]
    public void Only_rules_whose_keys_the_record_fits_are_evaluated()
    {
        var byName = new CountingLogic([RuleKey.Equal(FieldPath.Of("eventName"), "StopLogging")]);
        var bySource = new CountingLogic([RuleKey.Equal(FieldPath.Of("eventSource"), "kms.amazonaws.com"), RuleKey.Equal(FieldPath.Of("eventName"), "Decrypt")]);
        var byPresence = new CountingLogic([RuleKey.Present(FieldPath.Of("errorCode"))]);
        var always = new CountingLogic(null);
        var evaluator = new RuleSet([Counting("A", byName), Counting("B", bySource), Counting("C", byPresence), Counting("D", always)]).CreateEvaluator();

        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"}"""));
        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":"stoplogging","eventSource":"cloudtrail.amazonaws.com","errorCode":null}"""));
        var matched = evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":"Decrypt","eventSource":"kms.amazonaws.com"}"""));

        Assert.Equal((1, 1, 1, 3), (byName.Evaluated, bySource.Evaluated, byPresence.Evaluated, always.Evaluated));
        Assert.Equal(["B", "D"], matched.Select(r => r.Id));
    }

    [Fact]
    public void A_field_holding_an_object_or_array_makes_every_rule_keyed_on_its_values_a_candidate()
    {
        var keyed = new CountingLogic([RuleKey.Equal(FieldPath.Of("eventName"), "StopLogging")]);
        var evaluator = new RuleSet([Counting("A", keyed)]).CreateEvaluator();

        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":["x","StopLogging"]}"""));
        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":{"a":"b"}}"""));
        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":null}"""));
        evaluator.Match(Encoding.UTF8.GetBytes($$"""{"eventName":"{{new string('S', 1000)}}"}"""));
        evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":"StopLogging"}"""));

        Assert.Equal(3, keyed.Evaluated);
    }

    [Fact]
    public void A_sigma_rule_keyed_twice_by_one_record_matches_it_once()
    {
        var rule = SigmaTestRules.Rule("selection:\n  - eventName: StopLogging\n  - eventSource: cloudtrail.amazonaws.com\ncondition: selection").ToDetectionRule();
        var evaluator = new RuleSet([.. BuiltInRules.All, rule]).CreateEvaluator();

        var matched = evaluator.Match(Encoding.UTF8.GetBytes("""{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}"""));

        Assert.Single(matched, r => r.Id == rule.Id);
    }

    [Fact]
    public void Sigma_rules_beside_the_built_ins_cost_no_allocation_on_records_they_do_not_match()
    {
        var sigma = new[]
        {
            "selection:\n  eventSource: cloudtrail.amazonaws.com\n  eventName|startswith: Stop\nfilter:\n  userIdentity.arn|endswith: ':role/admin'\ncondition: selection and not filter",
            "selection:\n  eventName: DescribeInstances\n  requestParameters.filterSet.items.name|contains: tag\ncondition: selection",
            "selection:\n  eventName: DescribeInstances\n  sourceIPAddress|cidr: 10.0.0.0/8\n  userAgent|re: '^aws-cli/[0-9.]+ Python'\ncondition: selection",
        }.Select((d, i) => SigmaTestRules.Rule(d).ToDetectionRule() with { Id = $"sigma-{i}" });
        var evaluator = new RuleSet([.. BuiltInRules.All, .. sigma]).CreateEvaluator();
        var ordinary = Encoding.UTF8.GetBytes("""{"eventName":"GetObject","eventSource":"s3.amazonaws.com","userIdentity":{"type":"AssumedRole"}}""");
        var candidate = Encoding.UTF8.GetBytes("""{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","sourceIPAddress":"192.0.2.1","userAgent":"console.amazonaws.com","requestParameters":{"filterSet":{"items":[{"name":"instance-state"},{"name":"vpc-id"}]}}}""");
        Assert.Empty(evaluator.Match(ordinary));
        Assert.Empty(evaluator.Match(candidate));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Match(ordinary);
            evaluator.Match(candidate);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static DetectionRule Counting(string id, CountingLogic logic) => new(id, id, Severity.Low, "", "", logic);

    /// <summary>A rule that matches every record it is asked about, and counts how often it is asked.</summary>
    private sealed class CountingLogic(IReadOnlyList<RuleKey>? requirement) : RuleLogic
    {
        public int Evaluated { get; private set; }

        public override string Language => "test";

        public override IReadOnlyList<FieldPath> Fields => requirement?.Select(k => k.Path).Distinct().ToArray() ?? [];

        public override IReadOnlyList<string> FieldNames => [];

        public override IReadOnlyList<RuleKey>? Requirement => requirement;

        public override RecordTest Compile(FieldLayout layout) => new Test(this);

        private sealed class Test(CountingLogic logic) : RecordTest
        {
            public override bool Matches(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
            {
                logic.Evaluated++;
                return true;
            }
        }
    }
}
