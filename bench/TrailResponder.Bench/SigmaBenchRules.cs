using System.Globalization;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;

namespace TrailResponder.Bench;

/// <summary>
/// Sixty Sigma rules written for this benchmark in the shape of a public AWS CloudTrail rule set: an eventSource with
/// eventNames (lists, prefixes), contains on request parameters, regexes on the user agent, a fieldref, filters that
/// exclude service principals and automation. Several name events the benchmark corpus is full of (Describe*,
/// Decrypt, Invoke, GetCallerIdentity), so the index does not skip them all.
/// </summary>
internal static class SigmaBenchRules
{
    private static readonly (string Source, string[] Events)[] Services =
    [
        ("cloudtrail.amazonaws.com", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]),
        ("iam.amazonaws.com", ["CreateUser", "CreateAccessKey", "AttachUserPolicy", "PutUserPolicy"]),
        ("iam.amazonaws.com", ["CreateLoginProfile", "UpdateLoginProfile", "DeactivateMFADevice"]),
        ("iam.amazonaws.com", ["UpdateAssumeRolePolicy", "CreateRole", "AttachRolePolicy"]),
        ("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"]),
        ("kms.amazonaws.com", ["Decrypt", "GenerateDataKey"]),
        ("s3.amazonaws.com", ["PutBucketPolicy", "PutBucketAcl", "DeleteBucketPolicy"]),
        ("s3.amazonaws.com", ["PutBucketLogging", "DeleteBucketEncryption", "PutBucketReplication"]),
        ("ec2.amazonaws.com", ["AuthorizeSecurityGroupIngress", "CreateKeyPair", "ImportKeyPair"]),
        ("ec2.amazonaws.com", ["ModifyInstanceAttribute", "RunInstances"]),
        ("ec2.amazonaws.com", ["DescribeInstances", "DescribeVolumes", "DescribeSubnets"]),
        ("ec2.amazonaws.com", ["CreateSnapshot", "ModifySnapshotAttribute", "SharedSnapshotCopyInitiated"]),
        ("guardduty.amazonaws.com", ["DeleteDetector", "UpdateDetector", "CreateFilter"]),
        ("securityhub.amazonaws.com", ["DisableSecurityHub", "BatchUpdateFindings"]),
        ("config.amazonaws.com", ["StopConfigurationRecorder", "DeleteDeliveryChannel"]),
        ("lambda.amazonaws.com", ["UpdateFunctionCode20150331v2", "AddPermission20150331v2", "Invoke"]),
        ("sts.amazonaws.com", ["GetFederationToken", "GetCallerIdentity", "GetSessionToken"]),
        ("ssm.amazonaws.com", ["SendCommand", "StartSession", "GetParameters"]),
        ("secretsmanager.amazonaws.com", ["GetSecretValue", "PutResourcePolicy"]),
        ("organizations.amazonaws.com", ["LeaveOrganization", "DeleteOrganization"]),
        ("rds.amazonaws.com", ["ModifyDBInstance", "RestoreDBInstanceFromDBSnapshot"]),
        ("ecr.amazonaws.com", ["SetRepositoryPolicy", "GetAuthorizationToken"]),
        ("route53.amazonaws.com", ["ChangeResourceRecordSets", "DeleteHostedZone"]),
        ("elasticfilesystem.amazonaws.com", ["DeleteFileSystem", "DeleteMountTarget"]),
        ("logs.amazonaws.com", ["DeleteLogGroup", "PutRetentionPolicy", "DescribeLogGroups"]),
        ("monitoring.amazonaws.com", ["DeleteAlarms", "DisableAlarmActions", "DescribeAlarms"]),
        ("dynamodb.amazonaws.com", ["DeleteTable", "DescribeTable"]),
        ("sso.amazonaws.com", ["ListAccountRoles", "CreatePermissionSet"]),
        ("signin.amazonaws.com", ["ConsoleLogin", "SwitchRole"]),
        ("cloudformation.amazonaws.com", ["DeleteStack", "DescribeStacks"]),
    ];

    // Routine calls the corpus is full of. A real rule set does not alert on every one of them: the listed rules leave
    // them out, and only the shaped rules, whose further conditions rarely hold, name them (and so are evaluated).
    private static readonly HashSet<string> Routine = new(StringComparer.Ordinal)
    {
        "Decrypt", "GenerateDataKey", "DescribeInstances", "DescribeVolumes", "DescribeSubnets", "Invoke", "GetCallerIdentity",
        "GetParameters", "GetAuthorizationToken", "DescribeLogGroups", "DescribeAlarms", "DescribeTable", "ListAccountRoles", "DescribeStacks",
        "ConsoleLogin", "RunInstances",
    };

    /// <summary>The rule files, two per service entry, each a different shape.</summary>
    public static IReadOnlyList<RuleText> Files() => Services
        .SelectMany((service, i) => new[]
        {
            Listed(i, service.Source, service.Events.Where(e => !Routine.Contains(e)).DefaultIfEmpty("Delete" + service.Events[0]).ToArray()),
            Shaped(i, service.Source, service.Events),
        })
        .ToArray();

    /// <summary>The built-ins and the sixty rules, loaded as the command line loads them.</summary>
    public static RuleSet WithBuiltIns()
    {
        var loader = new RuleLoader(SigmaReadOptions.Default);
        loader.Add("bench/sigma", Files());
        var catalog = loader.Build(BuiltInRules.All);
        return catalog.Report.HasErrors
            ? throw new InvalidOperationException(string.Join("\n", catalog.Report.Errors))
            : new RuleSet(catalog.Rules);
    }

    // An eventSource and a list of eventNames, minus calls made by AWS services on the account's behalf.
    private static RuleText Listed(int i, string source, string[] events) => Rule(i, "listed", $$"""
        detection:
            selection:
                eventSource: {{source}}
                eventName:
        {{string.Concat(events.Select(e => $"            - {e}\n"))}}    filter_service:
                userIdentity.type: AWSService
            filter_automation:
                userIdentity.arn|contains: ':assumed-role/deploy-'
            condition: selection and not 1 of filter_*
        """);

    // The other shapes in turn: a prefix with a contains, a regex on the agent, a principal acting on itself (fieldref),
    // a refused call.
    private static RuleText Shaped(int i, string source, string[] events) => (i % 4) switch
    {
        0 => Rule(i, "prefix", $$"""
            detection:
                selection_source:
                    eventSource: {{source}}
                selection_call:
                    eventName|startswith: '{{events[0][..Math.Min(6, events[0].Length)]}}'
                    requestParameters|contains:
                        - 'arn:aws:iam::'
                        - '0.0.0.0/0'
                condition: all of selection_*
            """),
        1 => Rule(i, "agent", $$"""
            detection:
                selection:
                    eventSource: {{source}}
                    eventName: {{events[^1]}}
                    userAgent|re: '(?i)(kali|parrot|pentoo|python-requests/[0-9.]+$)'
                condition: selection
            """),
        2 => Rule(i, "self", $$"""
            detection:
                selection:
                    eventSource: {{source}}
                    eventName: [{{string.Join(", ", events)}}]
                self:
                    userIdentity.userName|fieldref: requestParameters.userName
                condition: selection and self
            """),
        _ => Rule(i, "failed", $$"""
            detection:
                selection:
                    eventSource: {{source}}
                    eventName|endswith: '{{events[0][^Math.Min(5, events[0].Length)..]}}'
                    errorCode:
                        - AccessDenied
                        - 'Client.UnauthorizedOperation'
                filter_sso:
                    userIdentity.sessionContext.sessionIssuer.userName|startswith: AWSReservedSSO_
                condition: selection and not filter_sso
            """),
    };

    private static RuleText Rule(int i, string shape, string detection)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"bench-{i:00}-{shape}");
        var text = $"""
            title: Benchmark rule {id}
            id: {id}
            status: test
            tags:
                - attack.defense-evasion
                - attack.t1562
            logsource:
                product: aws
                service: cloudtrail
            {detection}
            falsepositives:
                - Administrators
            level: medium
            """;
        return new RuleText($"bench/sigma/{id}.yml", text);
    }
}
