using System.Text.Json;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Core.Delivery;

public class AsffFindingBuilderTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 10, 0, 0, 123, TimeSpan.Zero);

    private static JsonElement Build(TrailResponder.Core.Findings.Finding finding, string region = "us-east-1")
    {
        var asff = new AsffFindingBuilder(new AsffContext(region, "999999999999"), new FixedClock(Now)).Build(finding);
        Assert.Equal(finding.FindingId, asff.Id);
        return JsonDocument.Parse(asff.Json).RootElement;
    }

    [Fact]
    public void Every_required_ASFF_attribute_is_present_and_well_formed()
    {
        var asff = Build(DeliveryFixtures.RootLogin());

        Assert.Equal("2018-10-08", asff.GetProperty("SchemaVersion").GetString());
        Assert.Equal("CIS-4.3/e-root", asff.GetProperty("Id").GetString());
        Assert.Equal("arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default", asff.GetProperty("ProductArn").GetString());
        Assert.Equal("CIS-4.3", asff.GetProperty("GeneratorId").GetString());
        Assert.Equal("111122223333", asff.GetProperty("AwsAccountId").GetString());
        Assert.Equal(["Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"], asff.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("2024-05-06T08:15:42.000Z", asff.GetProperty("CreatedAt").GetString());
        Assert.Equal("2024-05-06T10:00:00.123Z", asff.GetProperty("UpdatedAt").GetString());
        Assert.Equal("2024-05-06T08:15:42.000Z", asff.GetProperty("FirstObservedAt").GetString());
        Assert.Equal("HIGH", asff.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("HIGH", asff.GetProperty("FindingProviderFields").GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("Root user activity: ConsoleLogin by arn:aws:iam::111122223333:root", asff.GetProperty("Title").GetString());
        Assert.Contains("signin.amazonaws.com:ConsoleLogin", asff.GetProperty("Description").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(asff.GetProperty("Remediation").GetProperty("Recommendation").GetProperty("Text").GetString()));
        Assert.Equal("NEW", asff.GetProperty("Workflow").GetProperty("Status").GetString());
        Assert.Equal("ACTIVE", asff.GetProperty("RecordState").GetString());
        Assert.Contains("#/events/e-root", asff.GetProperty("SourceUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Product_fields_carry_the_event_id_name_and_log_file()
    {
        var fields = Build(DeliveryFixtures.RootLogin()).GetProperty("ProductFields");

        Assert.Equal("e-root", fields.GetProperty("trailresponder/EventId").GetString());
        Assert.Equal("ConsoleLogin", fields.GetProperty("trailresponder/EventName").GetString());
        Assert.Equal(DeliveryFixtures.LogKey, fields.GetProperty("trailresponder/LogFile").GetString());
        Assert.Equal("CIS-4.3", fields.GetProperty("trailresponder/RuleId").GetString());
        Assert.All(fields.EnumerateObject(), f => Assert.False(string.IsNullOrWhiteSpace(f.Value.GetString())));
    }

    [Fact]
    public void A_sigma_finding_carries_its_rule_id_attack_types_and_techniques_and_its_notes_in_the_remediation()
    {
        var asff = Build(DeliveryFixtures.SigmaTrailStopped());

        Assert.Equal("5e1f0c2a-0000-4000-8000-000000000001/e-stop", asff.GetProperty("Id").GetString());
        Assert.Equal("5e1f0c2a-0000-4000-8000-000000000001", asff.GetProperty("GeneratorId").GetString());
        Assert.Equal("CRITICAL", asff.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal(["TTPs/Defense Evasion", "Effects"], asff.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["TTPs/Defense Evasion", "Effects"], asff.GetProperty("FindingProviderFields").GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Trail stopped: StopLogging by arn:aws:iam::111122223333:user/mallory", asff.GetProperty("Title").GetString());
        Assert.StartsWith("A trail stopped logging. cloudtrail.amazonaws.com:StopLogging", asff.GetProperty("Description").GetString(), StringComparison.Ordinal);
        var fields = asff.GetProperty("ProductFields");
        Assert.Equal("T1562.008", fields.GetProperty("trailresponder/AttackTechniques").GetString());
        Assert.Equal("defense-evasion, impact", fields.GetProperty("trailresponder/AttackTactics").GetString());
        Assert.Equal("rules/trail_stopped.yml:1", fields.GetProperty("trailresponder/RuleSource").GetString());
        var recommendation = asff.GetProperty("Remediation").GetProperty("Recommendation");
        Assert.Equal(
            "Review the event and the principal that made it. Known false positives: Planned maintenance; Trail migration. References: https://example.com/runbooks/trail-stopped internal wiki page 42",
            recommendation.GetProperty("Text").GetString());
        Assert.Equal("https://example.com/runbooks/trail-stopped", recommendation.GetProperty("Url").GetString());
    }

    [Fact]
    public void A_built_in_finding_has_no_attack_fields_and_no_recommendation_link()
    {
        var asff = Build(DeliveryFixtures.RootLogin());

        Assert.False(asff.GetProperty("ProductFields").TryGetProperty("trailresponder/AttackTechniques", out _));
        Assert.False(asff.GetProperty("Remediation").GetProperty("Recommendation").TryGetProperty("Url", out _));
    }

    [Fact]
    public void Resources_name_the_target_by_ASFF_type_and_ARN_and_the_principal_as_actor()
    {
        var resources = Build(DeliveryFixtures.SecurityGroupChange(), "eu-west-1").GetProperty("Resources").EnumerateArray().ToList();

        Assert.Equal("AwsEc2SecurityGroup", resources[0].GetProperty("Type").GetString());
        Assert.Equal("arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0a1b2c3d4e5f60718", resources[0].GetProperty("Id").GetString());
        Assert.Equal("aws", resources[0].GetProperty("Partition").GetString());
        Assert.Equal("AwsIamRole", resources[1].GetProperty("Type").GetString());
        Assert.Equal("Actor", resources[1].GetProperty("ResourceRole").GetString());
    }

    [Fact]
    public void A_finding_without_named_resources_is_about_the_account()
    {
        var resources = Build(DeliveryFixtures.RootLogin()).GetProperty("Resources").EnumerateArray().ToList();

        Assert.Equal("AwsAccount", resources[0].GetProperty("Type").GetString());
        Assert.Equal("AWS::::Account:111122223333", resources[0].GetProperty("Id").GetString());
    }

    [Fact]
    public void Long_values_are_clipped_to_the_ASFF_limits()
    {
        var finding = DeliveryFixtures.RootLogin(userAgent: new string('u', 5000)) with
        {
            Principal = new TrailResponder.Core.Findings.FindingPrincipal(new string('p', 600), "Root", null, null, null),
        };

        var asff = Build(finding);

        Assert.Equal(256, asff.GetProperty("Title").GetString()!.Length);
        Assert.True(asff.GetProperty("Description").GetString()!.Length <= 1024);
        Assert.EndsWith("…", asff.GetProperty("Title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void China_regions_use_the_aws_cn_partition_and_no_console_link()
    {
        var asff = Build(DeliveryFixtures.RootLogin(), "cn-north-1");

        Assert.StartsWith("arn:aws-cn:securityhub:cn-north-1:", asff.GetProperty("ProductArn").GetString(), StringComparison.Ordinal);
        Assert.False(asff.TryGetProperty("SourceUrl", out _));
    }

    [Fact]
    public void A_hostile_record_gets_no_source_url_its_resources_keep_the_importing_region_and_the_title_shows_escapes()
    {
        var asff = Build(DeliveryFixtures.Hostile() with { AccountId = "11112222333\n" });

        Assert.False(asff.TryGetProperty("SourceUrl", out _));
        Assert.All(asff.GetProperty("Resources").EnumerateArray(), r => Assert.Equal("us-east-1", r.GetProperty("Region").GetString()));
        Assert.Equal("999999999999", asff.GetProperty("AwsAccountId").GetString());
        var title = asff.GetProperty("Title").GetString()!;
        var description = asff.GetProperty("Description").GetString()!;
        Assert.Equal($"Root user activity: {HostileValues.EventNameShown} by {HostileValues.UserNameShown}", title);
        Assert.Contains($"in {HostileValues.RegionShown} of account", description, StringComparison.Ordinal);
        HostileValues.AssertHarmless(title + description);
        Assert.Equal(HostileValues.EventName, asff.GetProperty("ProductFields").GetProperty("trailresponder/EventName").GetString());
    }

    [Fact]
    public void The_same_finding_built_twice_keeps_its_id_and_creation_time()
    {
        var first = Build(DeliveryFixtures.RootLogin());
        var second = Build(DeliveryFixtures.RootLogin());

        Assert.Equal(first.GetProperty("Id").GetString(), second.GetProperty("Id").GetString());
        Assert.Equal(first.GetProperty("CreatedAt").GetString(), second.GetProperty("CreatedAt").GetString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
