using System.Text;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Delivery;

/// <summary>Findings made from small records, for the delivery tests.</summary>
internal static class DeliveryFixtures
{
    public const string LogKey = "trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/06/111122223333_CloudTrail_us-east-1_20240506T0815Z_abcdefABCDEF1234.json.gz";

    public static Finding Finding(string ruleId, string json)
    {
        var rule = BuiltInRules.All.Single(r => r.Id == ruleId);
        return FindingFactory.Create(rule, new CloudTrailRecord(Encoding.UTF8.GetBytes(json), LogKey, 0, 0));
    }

    public static Finding RootLogin(string eventId = "e-root", string sourceIp = "198.51.100.23", string userAgent = "Mozilla/5.0") => Finding(
        "CIS-4.3",
        $$$"""{"eventID":"{{{eventId}}}","eventTime":"2024-05-06T08:15:42Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"111122223333","sourceIPAddress":"{{{sourceIp}}}","userAgent":"{{{userAgent}}}","eventType":"AwsConsoleSignIn","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}}""");

    /// <summary>A root-activity finding whose region, user name and event name are <see cref="HostileValues"/>.</summary>
    public static Finding Hostile() => Finding(
        "CIS-4.3",
        $$$"""{"eventID":"e-hostile","eventTime":"2024-05-06T08:15:42Z","eventName":{{{HostileValues.Json(HostileValues.EventName)}}},"eventSource":"signin.amazonaws.com","awsRegion":{{{HostileValues.Json(HostileValues.Region)}}},"recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.23","userAgent":"Mozilla/5.0","eventType":"AwsConsoleSignIn","userIdentity":{"type":"Root","userName":{{{HostileValues.Json(HostileValues.UserName)}}},"accountId":"111122223333"}}""");

    /// <summary>A Sigma rule's finding: ATT&amp;CK tags, false positives and references, a description in block text.</summary>
    public static Finding SigmaTrailStopped()
    {
        var rule = Assert.Single(Sigma.SigmaTestRules.Read("""
            title: Trail stopped
            id: 5e1f0c2a-0000-4000-8000-000000000001
            description: |
                A trail stopped
                logging.
            references:
                - https://example.com/runbooks/trail-stopped
                - internal wiki page 42
            tags: [attack.defense-evasion, attack.t1562.008, attack.impact]
            falsepositives:
                - Planned maintenance
                - Trail migration
            level: critical
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: StopLogging
                condition: selection
            """, "rules/trail_stopped.yml").Rules).ToDetectionRule();
        return FindingFactory.Create(rule, new CloudTrailRecord(Encoding.UTF8.GetBytes("""{"eventID":"e-stop","eventTime":"2024-05-06T08:20:00Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"111122223333","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333"}}"""), LogKey, 0, 0));
    }

    public static Finding SecurityGroupChange(string eventId = "e-sg") => Finding(
        "CIS-4.10",
        $$$"""{"eventID":"{{{eventId}}}","eventTime":"2024-05-06T09:02:37Z","eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com","awsRegion":"eu-west-1","recipientAccountId":"111122223333","sourceIPAddress":"203.0.113.45","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/DeveloperRole/dev","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE"},"requestParameters":{"groupId":"sg-0a1b2c3d4e5f60718"}}""");
}
