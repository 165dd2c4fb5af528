namespace TrailResponder.SampleTrail;

/// <summary>The event names (and sources) each CIS v3.0.0 monitoring filter 4.4-4.15 watches.</summary>
public static class CisWatchedEvents
{
    /// <summary>CIS-4.4, any event source.</summary>
    public static readonly IReadOnlyList<string> IamPolicyChanges =
    [
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
        "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
        "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
    ];

    /// <summary>CIS-4.5, any event source.</summary>
    public static readonly IReadOnlyList<string> CloudTrailChanges = ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"];

    /// <summary>CIS-4.7, event source <c>kms.amazonaws.com</c>.</summary>
    public static readonly IReadOnlyList<string> KmsKeyChanges = ["DisableKey", "ScheduleKeyDeletion"];

    /// <summary>CIS-4.8, event source <c>s3.amazonaws.com</c>.</summary>
    public static readonly IReadOnlyList<string> S3BucketPolicyChanges =
    [
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
        "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication",
    ];

    /// <summary>CIS-4.9, event source <c>config.amazonaws.com</c>.</summary>
    public static readonly IReadOnlyList<string> ConfigChanges =
        ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"];

    /// <summary>CIS-4.10, any event source.</summary>
    public static readonly IReadOnlyList<string> SecurityGroupChanges =
    [
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
        "CreateSecurityGroup", "DeleteSecurityGroup",
    ];

    /// <summary>CIS-4.11, any event source.</summary>
    public static readonly IReadOnlyList<string> NetworkAclChanges =
    [
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
    ];

    /// <summary>CIS-4.12, any event source.</summary>
    public static readonly IReadOnlyList<string> NetworkGatewayChanges =
    [
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway", "DeleteInternetGateway",
        "DetachInternetGateway",
    ];

    /// <summary>CIS-4.13, any event source.</summary>
    public static readonly IReadOnlyList<string> RouteTableChanges =
    [
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
        "DisassociateRouteTable",
    ];

    /// <summary>CIS-4.14, any event source.</summary>
    public static readonly IReadOnlyList<string> VpcChanges =
    [
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink",
    ];

    /// <summary>CIS-4.15, event source <c>organizations.amazonaws.com</c>.</summary>
    public static readonly IReadOnlyList<string> OrganizationsChanges =
    [
        "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy", "DeclineHandshake",
        "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType",
        "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy",
        "UpdateOrganizationalUnit",
    ];

    /// <summary>The EC2 network event names of CIS-4.10 to CIS-4.14 together.</summary>
    public static IEnumerable<string> Ec2NetworkChanges =>
        SecurityGroupChanges.Concat(NetworkAclChanges).Concat(NetworkGatewayChanges).Concat(RouteTableChanges).Concat(VpcChanges);

    /// <summary>The CIS rule id ("CIS-4.10" ...) watching an EC2 network event name; null if none does.</summary>
    public static string? RuleIdForEc2NetworkChange(string eventName) =>
        SecurityGroupChanges.Contains(eventName) ? "CIS-4.10"
        : NetworkAclChanges.Contains(eventName) ? "CIS-4.11"
        : NetworkGatewayChanges.Contains(eventName) ? "CIS-4.12"
        : RouteTableChanges.Contains(eventName) ? "CIS-4.13"
        : VpcChanges.Contains(eventName) ? "CIS-4.14"
        : null;
}
