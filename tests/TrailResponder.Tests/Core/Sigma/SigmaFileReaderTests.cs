using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using static TrailResponder.Tests.Core.Sigma.SigmaTestRules;

namespace TrailResponder.Tests.Core.Sigma;

public class SigmaFileReaderTests
{
    private const string Full = """
        title: CloudTrail logging stopped
        id: 6b8e0a12-1c3d-4e5f-8a9b-0c1d2e3f4a5b
        status: test
        description: A trail stopped logging.
        references:
            - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
        tags:
            - attack.defense-evasion
            - attack.defense_evasion
            - attack.t1562.008
            - attack.persistence
            - cve.2021-1234
        falsepositives:
            - Planned maintenance of the trail
        level: high
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventSource: cloudtrail.amazonaws.com
                eventName: StopLogging
            condition: selection
        """;

    [Fact]
    public void A_rule_becomes_a_detection_rule_with_its_id_title_severity_attack_tags_and_reader_notes()
    {
        var rule = Assert.Single(Read(Full, "rules/stopped.yml").Rules).ToDetectionRule();

        Assert.Equal("6b8e0a12-1c3d-4e5f-8a9b-0c1d2e3f4a5b", rule.Id);
        Assert.Equal("CloudTrail logging stopped", rule.Title);
        Assert.Equal(Severity.High, rule.Severity);
        Assert.Equal("A trail stopped logging.", rule.Description);
        Assert.Equal(["TTPs/Defense Evasion", "TTPs/Persistence"], rule.FindingTypes);
        Assert.Equal(["defense-evasion", "persistence"], rule.AttackTactics);
        Assert.Equal(["T1562.008"], rule.AttackTechniques);
        Assert.Equal(["Planned maintenance of the trail"], rule.FalsePositives);
        Assert.Equal(["https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html"], rule.References);
        Assert.Equal("rules/stopped.yml:1", rule.Source);
        Assert.Equal("sigma", rule.Logic.Language);
        Assert.Equal(["eventSource", "eventName"], rule.Logic.FieldNames);
        Assert.False(rule.IsBuiltIn);
    }

    [Theory]
    [InlineData("informational", Severity.Informational)]
    [InlineData("low", Severity.Low)]
    [InlineData("medium", Severity.Medium)]
    [InlineData("high", Severity.High)]
    [InlineData("critical", Severity.Critical)]
    public void Each_level_maps_to_the_severity_of_the_same_name(string level, Severity severity)
    {
        Assert.Equal(severity, Assert.Single(Read(Full.Replace("level: high", $"level: {level}", StringComparison.Ordinal)).Rules).Severity);
    }

    [Fact]
    public void A_rule_without_id_or_level_is_named_after_its_file_and_is_of_medium_severity()
    {
        var yaml = Full.Replace("id: 6b8e0a12-1c3d-4e5f-8a9b-0c1d2e3f4a5b\n", string.Empty, StringComparison.Ordinal)
            .Replace("level: high\n", string.Empty, StringComparison.Ordinal);

        var rule = Assert.Single(Read(yaml, "/rules/aws/cloudtrail_stopped.yml").Rules);

        Assert.Equal("cloudtrail_stopped", rule.RuleId);
        Assert.Equal(Severity.Medium, rule.Severity);
    }

    [Fact]
    public void A_rule_without_attack_tactics_falls_back_to_no_finding_types()
    {
        var rule = Assert.Single(Read(Full.Replace("attack.", "other.", StringComparison.Ordinal)).Rules).ToDetectionRule();

        Assert.Empty(rule.FindingTypes);
        Assert.Empty(rule.AttackTechniques);
    }

    [Fact]
    public void Documents_for_other_log_sources_deprecated_rules_correlations_and_filters_are_skipped_with_the_reason()
    {
        var yaml = Full + """

            ---
            title: Windows rule
            logsource:
                product: windows
                category: process_creation
            detection:
                selection:
                    Image|unknownmodifier: x
                condition: selection
            ---
            title: Old rule
            status: deprecated
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: x
                condition: selection
            ---
            title: Many failures
            correlation:
                type: event_count
                rules: [some-rule]
                group-by: [sourceIPAddress]
                timespan: 10m
                condition:
                    gte: 10
            ---
            title: Filter admins
            filter:
                rules: [some-rule]
                selection:
                    userIdentity.userName: admin
                condition: not selection
            """;

        var file = Read(yaml, "mixed.yml");

        Assert.Empty(file.Errors);
        Assert.Single(file.Rules);
        Assert.Equal(
            [
                ("mixed.yml:25", SigmaSkipReason.OtherLogSource, "logsource product=windows category=process_creation"),
                ("mixed.yml:34", SigmaSkipReason.Deprecated, "status deprecated"),
                ("mixed.yml:44", SigmaSkipReason.Correlation, "correlation rules are not supported yet (they come with stateful detection)"),
                ("mixed.yml:53", SigmaSkipReason.Filter, "Sigma filters (meta rules) are not supported"),
            ],
            file.Skipped.Select(s => (s.Source, s.Reason, s.Note)));
    }

    [Fact]
    public void Strict_reading_makes_correlation_rules_errors_but_still_skips_other_log_sources()
    {
        const string Yaml = "title: Many failures\ncorrelation:\n  type: event_count\n---\ntitle: Windows\nlogsource:\n  product: windows\ndetection:\n  s:\n    a: 1\n  condition: s\n";

        var file = Read(Yaml, "c.yml", new SigmaReadOptions(true, new Dictionary<string, IReadOnlyList<string>>()));

        Assert.Equal("c.yml:1: rule 'Many failures': correlation rules are not supported yet (they come with stateful detection) (--strict)", Assert.Single(file.Errors));
        Assert.Equal(SigmaSkipReason.OtherLogSource, Assert.Single(file.Skipped).Reason);
    }

    [Fact]
    public void One_bad_document_does_not_hide_the_good_ones_in_the_same_file()
    {
        var yaml = Full + "\n---\ntitle: Broken\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    a|bad: 1\n  condition: s\n";

        var file = Read(yaml, "two.yml");

        Assert.Single(file.Rules);
        Assert.Equal("two.yml:31: rule 'Broken': s: 'a|bad': unknown modifier 'bad' (supported: contains, startswith, endswith, all, exists, cased, neq, windash, re, i, m, s, base64, base64offset, utf16le, utf16be, utf16, wide, cidr, gt, gte, lt, lte, expand, fieldref)", Assert.Single(file.Errors));
    }

    [Fact]
    public void Plain_yaml_words_keep_their_text_under_the_yaml_1_2_core_schema()
    {
        Assert.True(Matches("selection:\n  additionalEventData.MFAUsed: No\ncondition: selection", """{"additionalEventData":{"MFAUsed":"No"}}"""));
        Assert.True(Matches("selection:\n  a: on\ncondition: selection", """{"a":"on"}"""));
    }
}
