using System.Text.Json;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.SampleTrail;

public class PlantedEventCatalogTests
{
    // Events a privilege-escalation or defence-evasion rule would look at; benign traffic must contain none.
    private static readonly HashSet<string> SensitiveEventNames = new(StringComparer.Ordinal)
    {
        "AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy", "PutRolePolicy", "PutGroupPolicy",
        "CreatePolicyVersion", "SetDefaultPolicyVersion", "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile",
        "UpdateAssumeRolePolicy", "PutBucketPolicy", "PutBucketAcl", "DeleteDetector", "DisableSecurityHub", "UpdateTrail",
        "StopLogging", "DeleteTrail", "ModifySecurityGroupRules", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
        "ScheduleKeyDeletion", "DisableKey", "StopConfigurationRecorder", "LeaveOrganization",
    };

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-1")]
    public void Every_planted_event_triggers_exactly_its_expected_cis_rules(string region)
    {
        var planted = PlantedEventCatalog.CreateAll(new CloudTrailEventFactory(9, RecordBuilders.BaseTime, TimeSpan.FromHours(1), region: region));

        Assert.NotEmpty(planted);
        Assert.All(planted, p => Assert.True(
            p.ExpectedRuleIds.SequenceEqual(CisRuleMatches.Match(p.Json)),
            $"{p.Description}: expected [{string.Join(", ", p.ExpectedRuleIds)}], patterns give [{string.Join(", ", CisRuleMatches.Match(p.Json))}]"));
    }

    [Fact]
    public void Planted_events_report_the_id_and_name_inside_their_json()
    {
        foreach (var planted in PlantedEventCatalog.CreateAll(new CloudTrailEventFactory(9, RecordBuilders.BaseTime)))
        {
            using var document = JsonDocument.Parse(planted.Json);
            Assert.Equal(document.RootElement.GetProperty("eventID").GetString(), planted.EventId);
            Assert.Equal(document.RootElement.GetProperty("eventName").GetString(), planted.EventName);
        }
    }

    [Fact]
    public void The_catalogue_covers_every_cis_rule_and_the_cases_the_patterns_exclude()
    {
        var planted = PlantedEventCatalog.CreateAll(new CloudTrailEventFactory(9, RecordBuilders.BaseTime));

        var covered = planted.SelectMany(p => p.ExpectedRuleIds).ToHashSet();
        Assert.All(Enumerable.Range(1, 15), n => Assert.Contains($"CIS-4.{n}", covered));
        var nearMisses = planted.Where(p => p.Category == PlantedEventCategory.NearMiss).ToList();
        Assert.Contains(nearMisses, p => p.EventName == "HeadBucket");
        Assert.Contains(nearMisses, p => p.Json.Contains("\"invokedBy\"", StringComparison.Ordinal));
        Assert.Contains(nearMisses, p => p.Json.Contains("\"AwsServiceEvent\"", StringComparison.Ordinal));
        Assert.All(nearMisses, p => Assert.Empty(p.ExpectedRuleIds));
    }

    [Fact]
    public void Global_service_violations_are_not_planted_by_a_regional_factory()
    {
        var planted = PlantedEventCatalog.CreateAll(new CloudTrailEventFactory(9, RecordBuilders.BaseTime, TimeSpan.FromHours(1), region: "eu-west-1"));

        Assert.DoesNotContain(planted, p => p.EventName is "ConsoleLogin" or "AttachUserPolicy" or "LeaveOrganization");
    }

    [Theory]
    [MemberData(nameof(WatchedEvents))]
    public void Each_watched_change_event_triggers_its_cis_rule(string family, string eventName, string ruleId)
    {
        var factory = new CloudTrailEventFactory(4, RecordBuilders.BaseTime);
        var record = RecordBuilders.All[$"{family} {eventName}"](factory);

        Assert.Contains(ruleId, CisRuleMatches.Match(record));
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-1")]
    public void Benign_records_trigger_no_cis_rule_and_carry_no_sensitive_change(string region)
    {
        var factory = new CloudTrailEventFactory(21, RecordBuilders.BaseTime, TimeSpan.FromHours(1), region: region);

        for (var i = 0; i < 3000; i++)
        {
            var json = factory.BenignRecord();
            using var document = JsonDocument.Parse(json);
            var record = document.RootElement;
            Assert.Empty(CisRuleMatches.Match(record));
            Assert.NotEqual("Root", record.GetProperty("userIdentity").GetProperty("type").GetString());
            Assert.DoesNotContain(record.GetProperty("eventName").GetString()!, SensitiveEventNames);
            if (record.TryGetProperty("errorCode", out var error))
            {
                Assert.DoesNotContain("Unauthorized", error.GetString()!, StringComparison.Ordinal);
                Assert.DoesNotContain("AccessDenied", error.GetString()!, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Benign_mix_includes_reads_data_events_service_calls_and_harmless_errors()
    {
        var factory = new CloudTrailEventFactory(21, RecordBuilders.BaseTime);

        var names = Enumerable.Range(0, 3000).Select(_ => JsonDocument.Parse(factory.BenignRecord()).RootElement).ToList();

        Assert.Contains(names, r => r.GetProperty("eventName").GetString()!.StartsWith("Describe", StringComparison.Ordinal));
        Assert.Contains(names, r => r.GetProperty("eventName").GetString() == "GetObject");
        Assert.Contains(names, r => r.GetProperty("eventName").GetString() == "Invoke");
        Assert.Contains(names, r => r.GetProperty("eventName").GetString() == "Decrypt");
        Assert.Contains(names, r => r.GetProperty("eventName").GetString() == "AssumeRole");
        Assert.Contains(names, r => r.TryGetProperty("errorCode", out var e) && e.GetString() == "ThrottlingException");
        Assert.Contains(names, r => r.TryGetProperty("errorCode", out var e) && e.GetString() == "NoSuchEntity");
    }

    public static TheoryData<string, string, string> WatchedEvents()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var name in CisWatchedEvents.IamPolicyChanges)
        {
            data.Add("IAM", name, "CIS-4.4");
        }

        foreach (var name in CisWatchedEvents.CloudTrailChanges)
        {
            data.Add("CloudTrail", name, "CIS-4.5");
        }

        foreach (var name in CisWatchedEvents.KmsKeyChanges)
        {
            data.Add("KMS", name, "CIS-4.7");
        }

        foreach (var name in CisWatchedEvents.S3BucketPolicyChanges)
        {
            data.Add("S3", name, "CIS-4.8");
        }

        foreach (var name in CisWatchedEvents.ConfigChanges)
        {
            data.Add("Config", name, "CIS-4.9");
        }

        foreach (var name in CisWatchedEvents.Ec2NetworkChanges)
        {
            data.Add("EC2", name, CisWatchedEvents.RuleIdForEc2NetworkChange(name)!);
        }

        foreach (var name in CisWatchedEvents.OrganizationsChanges)
        {
            data.Add("Organizations", name, "CIS-4.15");
        }

        return data;
    }
}
