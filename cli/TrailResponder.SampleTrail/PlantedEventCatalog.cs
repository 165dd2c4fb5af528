namespace TrailResponder.SampleTrail;

/// <summary>
/// The violations and near misses a sample trail can contain, each with the CIS v3.0.0 rules it triggers. The
/// expectations are worked out by hand from the patterns (filter-patterns.md Part B), not computed, so tests can check
/// a rule engine against them.
/// </summary>
public static class PlantedEventCatalog
{
    private const string Cis41 = "CIS-4.1";
    private const string Cis42 = "CIS-4.2";
    private const string Cis43 = "CIS-4.3";

    private static readonly PlantedEventTemplate[] Templates =
    [
        // CIS-4.2 matches any ConsoleLogin whose MFAUsed is not "Yes", whatever the outcome or identity type.
        new("IAM user console sign-in without MFA", PlantedEventCategory.CisViolation, true, false, [Cis42],
            f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: true)),
        new("IAM user console sign-in failing with a bad password", PlantedEventCategory.CisViolation, true, true, [Cis42, "CIS-4.6"],
            f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: false)),
        new("Root console sign-in without MFA", PlantedEventCategory.CisViolation, true, true, [Cis42, Cis43],
            f => f.ConsoleLogin(SignInCaller.Root, mfaUsed: false, succeeded: true)),
        new("Root console sign-in with MFA", PlantedEventCategory.CisViolation, true, false, [Cis43],
            f => f.ConsoleLogin(SignInCaller.Root, mfaUsed: true, succeeded: true)),
        new("Federated (SSO) console sign-in: MFAUsed is No even when the IdP enforced MFA", PlantedEventCategory.CisViolation, true, true, [Cis42],
            f => f.ConsoleLogin(SignInCaller.FederatedUser, mfaUsed: false, succeeded: true)),
        new("Console sign-in failure for an unknown user name (message is not 'Failed authentication')", PlantedEventCategory.CisViolation, true, false, [Cis42],
            f => f.UnknownUserConsoleLoginFailure()),
        new("Root user API call", PlantedEventCategory.CisViolation, false, true, [Cis43],
            f => f.RootApiCall()),
        new("EC2 RunInstances refused with Client.UnauthorizedOperation", PlantedEventCategory.CisViolation, false, true, [Cis41],
            f => f.UnauthorizedEc2Call()),
        new("S3 GetBucketPolicy refused with AccessDenied", PlantedEventCategory.CisViolation, false, false, [Cis41],
            f => f.AccessDeniedS3Call()),
        new("Secrets Manager GetSecretValue refused with AccessDeniedException", PlantedEventCategory.CisViolation, false, false, [Cis41],
            f => f.AccessDeniedExceptionCall()),
        new("AdministratorAccess attached to an IAM user", PlantedEventCategory.PrivilegeEscalation, true, true, ["CIS-4.4"],
            f => f.AttachAdministratorAccessToUser("ci-deployer")),
        new("Inline allow-everything policy put on an IAM user", PlantedEventCategory.PrivilegeEscalation, true, false, ["CIS-4.4"],
            f => f.PutAdministratorInlineUserPolicy("ci-deployer")),
        new("Access key created for another IAM user", PlantedEventCategory.PrivilegeEscalation, true, true, [],
            f => f.CreateAccessKeyForAnotherUser("carol", "backup-operator")),
        new("Console password created for another IAM user", PlantedEventCategory.PrivilegeEscalation, true, false, [],
            f => f.CreateLoginProfile("carol", "terraform")),
        new("Trail updated to stop log file validation", PlantedEventCategory.DefenceEvasion, false, true, ["CIS-4.5"],
            f => f.DisableLogFileValidation()),
        new("Trail logging stopped", PlantedEventCategory.DefenceEvasion, false, false, ["CIS-4.5"],
            f => f.CloudTrailChange("StopLogging")),
        new("KMS key scheduled for deletion", PlantedEventCategory.DefenceEvasion, false, true, ["CIS-4.7"],
            f => f.KmsKeyChange("ScheduleKeyDeletion")),
        new("Bucket policy granting s3:GetObject to Principal *", PlantedEventCategory.Exposure, false, true, ["CIS-4.8"],
            f => f.PublicBucketPolicy("acme-invoices")),
        new("Bucket ACL set to public-read", PlantedEventCategory.Exposure, false, false, ["CIS-4.8"],
            f => f.PublicReadBucketAcl("acme-app-assets")),
        new("AWS Config recorder stopped", PlantedEventCategory.DefenceEvasion, false, true, ["CIS-4.9"],
            f => f.ConfigChange("StopConfigurationRecorder")),
        new("Security group opened to SSH from 0.0.0.0/0 and ::/0", PlantedEventCategory.Exposure, false, true, ["CIS-4.10"],
            f => f.AuthorizeSecurityGroupIngress("sg-0a1b2c3d4e5f60718", SecurityGroupPermission.Tcp(22, "0.0.0.0/0", "::/0") with { Description = "temp ssh" })),
        // The v3.0.0 CIS-4.1 pattern is A || (B && C && D): an UnauthorizedOperation code matches whatever the event.
        new("Security group ingress refused with Client.UnauthorizedOperation", PlantedEventCategory.CisViolation, false, true, [Cis41, "CIS-4.10"],
            f => f.FailedAuthorizeSecurityGroupIngress("sg-0a1b2c3d4e5f60718", SecurityGroupPermission.Ports("tcp", 0, 65535, "0.0.0.0/0"), "Client.UnauthorizedOperation")),
        new("Security group rule widened to RDP from 0.0.0.0/0 (no CIS pattern names ModifySecurityGroupRules)", PlantedEventCategory.Exposure, false, true, [],
            f => f.ModifySecurityGroupRules("sg-0a1b2c3d4e5f60718", "sgr-0f1e2d3c4b5a69788", SecurityGroupPermission.Tcp(3389, "0.0.0.0/0") with { Description = "rdp" })),
        new("Network ACL entry allowing SSH from anywhere", PlantedEventCategory.Exposure, false, true, ["CIS-4.11"],
            f => f.Ec2NetworkChange("CreateNetworkAclEntry")),
        new("Internet gateway attached to a VPC", PlantedEventCategory.Exposure, false, true, ["CIS-4.12"],
            f => f.Ec2NetworkChange("AttachInternetGateway")),
        new("Default route to an internet gateway", PlantedEventCategory.Exposure, false, true, ["CIS-4.13"],
            f => f.Ec2NetworkChange("CreateRoute")),
        new("VPC peering requested with another account", PlantedEventCategory.CisViolation, false, true, ["CIS-4.14"],
            f => f.Ec2NetworkChange("CreateVpcPeeringConnection")),
        new("Account left the organization", PlantedEventCategory.DefenceEvasion, true, true, ["CIS-4.15"],
            f => f.OrganizationsChange("LeaveOrganization")),
        new("GuardDuty detector deleted", PlantedEventCategory.DefenceEvasion, false, true, [],
            f => f.GuardDutyDeleteDetector()),
        new("Security Hub disabled", PlantedEventCategory.DefenceEvasion, false, false, [],
            f => f.DisableSecurityHub()),

        // Near misses: each is excluded by a term of a CIS pattern and must trigger nothing.
        new("Root identity acting through a service (invokedBy set)", PlantedEventCategory.NearMiss, false, true, [],
            f => f.RootCallInvokedByService()),
        new("Root identity on an AwsServiceEvent", PlantedEventCategory.NearMiss, true, true, [],
            f => f.RootServiceEvent()),
        new("Log delivery's HeadBucket refused with AccessDenied", PlantedEventCategory.NearMiss, false, true, [],
            f => f.LogDeliveryHeadBucketDenied()),
        new("IAM user console sign-in with MFA", PlantedEventCategory.NearMiss, true, true, [],
            f => f.ConsoleLogin(SignInCaller.IamUser, mfaUsed: true, succeeded: true)),
    ];

    /// <summary>Every catalogued event that the factory's region records (global-service events only in us-east-1).</summary>
    public static IReadOnlyList<PlantedEvent> CreateAll(CloudTrailEventFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return [.. Templates.Where(t => !t.GlobalService || factory.RecordsGlobalServiceEvents).Select(t => t.Plant(factory))];
    }

    /// <summary>The subset a default sample trail contains: one of each CIS family and threat, kept to a handful.</summary>
    internal static IEnumerable<PlantedEventTemplate> SampleTrailTemplates => Templates.Where(t => t.InSampleTrail);
}

/// <summary>How to produce one planted event and what it must trigger.</summary>
internal sealed record PlantedEventTemplate(
    string Description,
    PlantedEventCategory Category,
    bool GlobalService,
    bool InSampleTrail,
    IReadOnlyList<string> ExpectedRuleIds,
    Func<CloudTrailEventFactory, string> Build)
{
    public PlantedEvent Plant(CloudTrailEventFactory factory)
    {
        var json = Build(factory);
        var summary = factory.LastRecord ?? throw new InvalidOperationException("The factory did not report the record it built.");
        return new PlantedEvent(json, summary.EventId, summary.EventName, ExpectedRuleIds, Description, Category);
    }
}
