namespace TrailResponder.SampleTrail;

/// <summary>The kinds of caller CloudTrail distinguishes in <c>userIdentity</c>, with the common AssumedRole variants apart.</summary>
public enum CallerKind
{
    /// <summary>The account's root user.</summary>
    Root,

    /// <summary>An IAM user with long-term access keys.</summary>
    IamUser,

    /// <summary>A role session from <c>AssumeRole</c> (CI pipelines, cross-team roles).</summary>
    AssumedRole,

    /// <summary>An IAM Identity Center permission-set role (<c>AWSReservedSSO_*</c>) used from the console.</summary>
    SsoPermissionSetRole,

    /// <summary>An EC2 instance profile role; the session name is the instance id.</summary>
    Ec2InstanceRole,

    /// <summary>A <c>GetFederationToken</c> session.</summary>
    FederatedUser,

    /// <summary>The caller of <c>AssumeRoleWithSAML</c>.</summary>
    SamlUser,

    /// <summary>The caller of <c>AssumeRoleWithWebIdentity</c>.</summary>
    WebIdentityUser,

    /// <summary>Another AWS account acting on a resource of this one.</summary>
    AwsAccount,

    /// <summary>An AWS service acting on its own behalf (<c>invokedBy</c> set).</summary>
    AwsService,

    /// <summary>A request made on behalf of an IAM Identity Center user.</summary>
    IdentityCenterUser,
}
