using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>
/// The rules TrailResponder ships with: the CIS AWS Foundations Benchmark v3.0.0 monitoring controls 4.1-4.15, and
/// the further detections the CloudTrail guides call for (<c>TR-*</c>).
/// </summary>
/// <remarks>
/// The CIS patterns are the benchmark's remediation text verbatim (whitespace included), so each can be pasted into
/// a CloudWatch metric filter and satisfy Security Hub's exact-pattern check.
/// </remarks>
public static class BuiltInRules
{
    private const string CisType = "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark";
    private const string Reference = "See the CIS AWS Foundations Benchmark v3.0.0, section 4.";

    /// <summary>The fifteen CIS monitoring controls, <c>CIS-4.1</c> to <c>CIS-4.15</c>.</summary>
    public static IReadOnlyList<DetectionRule> Cis { get; } =
    [
        CisControl(
            "4.1",
            "CloudWatch.2",
            "Unauthorized API call",
            Severity.Low,
            "An API call was refused for lack of permission. A burst of these can mean a stolen credential probing what it can reach, or a misconfigured application.",
            "Find who made the call and from where; confirm the principal is expected to try this action. Rotate the credential if the caller is unknown.",
            """{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"""),
        CisControl(
            "4.2",
            "CloudWatch.3",
            "Console sign-in without MFA",
            Severity.Medium,
            "Someone signed in to the AWS Management Console without multi-factor authentication; a password alone is a weak guard for console access.",
            "Require MFA for every console user (an IAM policy that denies actions without aws:MultiFactorAuthPresent), and confirm this sign-in with the user.",
            """{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"""),
        CisControl(
            "4.3",
            "CloudWatch.1",
            "Root user activity",
            Severity.High,
            "The account's root user made a request. Root has unrestricted access and should be used only for the few tasks that need it.",
            "Confirm who used root and why. If it was not a planned task, treat it as a compromise: reset the root password, rotate or delete root access keys and check MFA.",
            """{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"""),
        CisControl(
            "4.4",
            "CloudWatch.4",
            "IAM policy changed",
            Severity.Medium,
            "An IAM policy was created, changed, attached or detached. Policy changes are how permissions are widened, legitimately or not.",
            "Review the change and the principal that made it; revert it if it was not approved.",
            "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"),
        CisControl(
            "4.5",
            "CloudWatch.5",
            "CloudTrail configuration changed",
            Severity.High,
            "A trail was created, updated, deleted, started or stopped. Changing the audit trail is a classic first step to hide later activity.",
            "Confirm the change was planned; if not, restore the trail's configuration and start logging again, then investigate the principal.",
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"),
        CisControl(
            "4.6",
            "CloudWatch.6",
            "Console sign-in failed",
            Severity.Low,
            "A console sign-in failed authentication. Repeated failures can mean password guessing.",
            "Check the source IP and the user name; lock or reset the account if failures repeat from an unknown source.",
            """{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"""),
        CisControl(
            "4.7",
            "CloudWatch.7",
            "KMS key disabled or scheduled for deletion",
            Severity.High,
            "A customer managed KMS key was disabled or scheduled for deletion. Data encrypted under it becomes unreadable, permanently once deleted.",
            "If not intended, re-enable the key or cancel the deletion (CancelKeyDeletion) within the waiting period.",
            "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"),
        CisControl(
            "4.8",
            "CloudWatch.8",
            "S3 bucket policy or configuration changed",
            Severity.Medium,
            "A bucket's ACL, policy, CORS, lifecycle or replication settings changed. These decide who can read the data and where it goes.",
            "Review the new configuration; make sure the bucket is not opened to the public or replicated to an unknown account.",
            "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"),
        CisControl(
            "4.9",
            "CloudWatch.9",
            "AWS Config recording changed",
            Severity.High,
            "AWS Config's recorder or delivery channel was stopped or changed, which blinds configuration history and compliance checks.",
            "Restart the configuration recorder and restore the delivery channel if this was not planned.",
            "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"),
        CisControl(
            "4.10",
            "CloudWatch.10",
            "Security group changed",
            Severity.Medium,
            "A security group or its rules changed. Security groups are the firewall of EC2 and many other services.",
            "Check that the change does not open ports to the internet; TrailResponder's SecurityGroupResponder revokes rules its policy forbids.",
            "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"),
        CisControl(
            "4.11",
            "CloudWatch.11",
            "Network ACL changed",
            Severity.Low,
            "A network ACL or one of its entries changed, altering subnet-level traffic filtering.",
            "Review the new entries for traffic allowed from or to the internet.",
            "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"),
        CisControl(
            "4.12",
            "CloudWatch.12",
            "Network gateway changed",
            Severity.Medium,
            "An internet or customer gateway was created, attached, detached or deleted, changing how the VPC reaches outside networks.",
            "Confirm the gateway change was planned and that no private subnet gained a route to the internet.",
            "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"),
        CisControl(
            "4.13",
            "CloudWatch.13",
            "Route table changed",
            Severity.Low,
            "A route or route table changed, which can send traffic through an unexpected path.",
            "Review the new routes, especially default routes (0.0.0.0/0) and routes to peering connections.",
            "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"),
        CisControl(
            "4.14",
            "CloudWatch.14",
            "VPC changed",
            Severity.Medium,
            "A VPC, its attributes or a peering connection changed.",
            "Confirm the change was planned; check new peering connections for unknown accounts.",
            "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"),
        CisControl(
            "4.15",
            null,
            "AWS Organizations changed",
            Severity.Medium,
            "The organization's accounts, units or policies changed. Organizations changes can move accounts out from under guardrails such as SCPs.",
            "Confirm the change with the organization's administrators; reattach policies or move accounts back if it was not planned.",
            """{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"""),
    ];

    /// <summary>TrailResponder's own detections, <c>TR-*</c>: defence evasion, privilege escalation and data exposure.</summary>
    /// <remarks>
    /// Filter patterns can only look at fixed array positions, so the policy and ACL checks look at the first five
    /// statements or grants; that covers the policies people write by hand, and the pattern stays deployable as a
    /// metric filter.
    /// </remarks>
    public static IReadOnlyList<DetectionRule> TrailResponder { get; } =
    [
        Detection(
            "TR-CLOUDTRAIL-STOPPED",
            "CloudTrail logging stopped or trail deleted",
            Severity.Critical,
            "TTPs/Defense Evasion",
            "A trail stopped logging or was deleted. Until it is restored, nothing the account does is recorded.",
            "Start logging again (StartLogging) or recreate the trail at once, then investigate the principal: this is what an intruder does before acting.",
            "{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = StopLogging) || ($.eventName = DeleteTrail)) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-CLOUDTRAIL-VALIDATION-DISABLED",
            "CloudTrail log file validation turned off",
            Severity.High,
            "TTPs/Defense Evasion",
            "A trail was updated with log file validation disabled, so later tampering with its log files can no longer be proven.",
            "Re-enable log file validation on the trail (UpdateTrail --enable-log-file-validation) and find out who disabled it.",
            "{ ($.eventSource = cloudtrail.amazonaws.com) && ($.eventName = UpdateTrail) && ($.requestParameters.enableLogFileValidation IS FALSE) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-SECURITY-SERVICE-DISABLED",
            "GuardDuty or Security Hub disabled",
            Severity.High,
            "TTPs/Defense Evasion",
            "A GuardDuty detector was deleted, or Security Hub was disabled, removing threat detection from the account or region.",
            "Re-enable the service in the affected region and review what happened while it was off.",
            "{ (($.eventSource = guardduty.amazonaws.com) && (($.eventName = DeleteDetector) || ($.eventName = DisassociateFromMasterAccount) || ($.eventName = DisassociateFromAdministratorAccount))) || (($.eventSource = securityhub.amazonaws.com) && ($.eventName = DisableSecurityHub)) }"),
        Detection(
            "TR-IAM-ADMIN-POLICY-ATTACHED",
            "AdministratorAccess attached",
            Severity.High,
            "TTPs/Privilege Escalation",
            "The AdministratorAccess managed policy was attached to a user, role or group, granting full control of the account.",
            "Confirm the grant was approved; detach the policy if not and review what the principal did since.",
            """{ (($.eventName = AttachUserPolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = AttachGroupPolicy)) && ($.requestParameters.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess") && ($.errorCode NOT EXISTS) }"""),
        Detection(
            "TR-IAM-USER-POLICY-GRANTED",
            "Policy granted directly to an IAM user",
            Severity.Medium,
            "TTPs/Privilege Escalation",
            "A policy was attached to, or written inline on, an IAM user. Granting a user's own permissions is a common privilege-escalation path, and direct user policies bypass group-based review.",
            "Check that the principal was entitled to grant it and that the user needs it; prefer groups or roles.",
            "{ (($.eventName = AttachUserPolicy) || ($.eventName = PutUserPolicy)) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-IAM-CREDENTIALS-FOR-USER",
            "Credentials created for a named IAM user",
            Severity.Medium,
            "TTPs/Persistence",
            "An access key or console password was created or changed for a named IAM user. Making credentials for another user is how an intruder keeps access.",
            "Confirm the user asked for the credential; delete it and rotate the user's credentials if not.",
            "{ (($.eventName = CreateAccessKey) || ($.eventName = CreateLoginProfile) || ($.eventName = UpdateLoginProfile)) && ($.requestParameters.userName = *) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-S3-PUBLIC-POLICY",
            "S3 bucket policy allows anyone",
            Severity.High,
            "Effects/Data Exposure",
            "A bucket policy was put with an Allow statement whose principal is \"*\", which can make the bucket's objects readable or writable by anyone.",
            "Remove the public statement or add a condition that restricts it (aws:SourceVpce, aws:PrincipalOrgID); keep S3 Block Public Access on.",
            $"{{ ($.eventSource = s3.amazonaws.com) && ($.eventName = PutBucketPolicy) && ($.errorCode NOT EXISTS) && ({PublicStatements()}) }}"),
        Detection(
            "TR-S3-PUBLIC-ACL",
            "S3 ACL grants public access",
            Severity.High,
            "Effects/Data Exposure",
            "A bucket or object ACL was set to a public canned ACL, or grants access to AllUsers or AuthenticatedUsers.",
            "Set the ACL back to private and turn on S3 Block Public Access (or Object Ownership 'bucket owner enforced', which disables ACLs).",
            $"{{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutObjectAcl)) && ($.errorCode NOT EXISTS) && ({PublicAcls()}) }}"),
        Detection(
            "TR-S3-BLOCK-PUBLIC-ACCESS-REMOVED",
            "S3 Block Public Access removed",
            Severity.High,
            "Effects/Data Exposure",
            "S3 Block Public Access was deleted for a bucket or the account, removing the guard that overrides public policies and ACLs.",
            "Restore Block Public Access unless the bucket is deliberately public (static website behind a documented exception).",
            "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = DeleteBucketPublicAccessBlock) || ($.eventName = DeleteAccountPublicAccessBlock)) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-EC2-SECURITY-GROUP-RULE-MODIFIED",
            "Security group rule modified in place",
            Severity.Medium,
            "Software and Configuration Checks/AWS Security Best Practices/Network Reachability",
            "A security group rule was modified in place (ModifySecurityGroupRules), which can widen an existing rule; CIS 4.10 does not watch this call.",
            "Check the rule's new source and ports; TrailResponder's SecurityGroupResponder evaluates it against the policy.",
            "{ ($.eventSource = ec2.amazonaws.com) && ($.eventName = ModifySecurityGroupRules) && ($.errorCode NOT EXISTS) }"),
        Detection(
            "TR-CLOUDTRAIL-INSIGHT",
            "Unusual API activity (CloudTrail Insights)",
            Severity.Medium,
            "Unusual Behaviors/Application",
            "CloudTrail Insights saw an API's call rate or error rate leave its baseline. Bursts like this come with credential misuse, runaway automation and enumeration.",
            "Look at who made the calls in the Insights window (the event's attributions) and whether the activity was expected.",
            """{ ($.eventType = "AwsCloudTrailInsight") && ($.insightDetails.state = "Start") }"""),
    ];

    /// <summary>Every built-in rule, CIS first.</summary>
    public static IReadOnlyList<DetectionRule> All { get; } = [.. Cis, .. TrailResponder];

    private static DetectionRule CisControl(string number, string? control, string title, Severity severity, string description, string remediation, string pattern) =>
        new($"CIS-{number}", title, severity, description, remediation + " " + Reference, FilterPattern.Parse(pattern))
        {
            SecurityHubControlId = control,
            FindingTypes = [CisType],
            IsBuiltIn = true,
        };

    private static DetectionRule Detection(string id, string title, Severity severity, string type, string description, string remediation, string pattern) =>
        new(id, title, severity, description, remediation, FilterPattern.Parse(pattern)) { FindingTypes = [type], IsBuiltIn = true };

    // Policies written as one statement object and as an array. "= *" is the presence test, so a literal "*" needs
    // the regex ^\*$. A principal given as a plain string can only be "*" in a valid policy, so presence suffices
    // there. (More regexes than CloudWatch's two-per-filter quota: this rule is evaluated by TrailResponder only.)
    private static string PublicStatements()
    {
        var statements = new List<string> { "$.requestParameters.bucketPolicy.Statement" };
        statements.AddRange(Enumerable.Range(0, 5).Select(i => $"$.requestParameters.bucketPolicy.Statement[{i}]"));
        return string.Join(
            " || ",
            statements.Select(s => $"""({s}.Effect = "Allow" && ({s}.Principal = * || {s}.Principal.AWS = %^\*$%))"""));
    }

    // Canned ACLs arrive as the header list x-amz-acl; explicit grants as AccessControlPolicy.AccessControlList.Grant.
    private static string PublicAcls()
    {
        var terms = new List<string>
        {
            """$.requestParameters.x-amz-acl[0] = "public-read*" """.Trim(),
            """$.requestParameters.x-amz-acl[0] = "authenticated-read" """.Trim(),
            """$.requestParameters.AccessControlPolicy.AccessControlList.Grant.Grantee.URI = "http://acs.amazonaws.com/groups/global/All*" """.Trim(),
            """$.requestParameters.AccessControlPolicy.AccessControlList.Grant.Grantee.URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" """.Trim(),
        };
        for (var i = 0; i < 5; i++)
        {
            terms.Add($"""$.requestParameters.AccessControlPolicy.AccessControlList.Grant[{i}].Grantee.URI = "http://acs.amazonaws.com/groups/global/All*" """.Trim());
            terms.Add($"""$.requestParameters.AccessControlPolicy.AccessControlList.Grant[{i}].Grantee.URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" """.Trim());
        }

        return string.Join(" || ", terms);
    }
}
