namespace TrailResponder.SampleTrail;

/// <summary>Who signs in to the console in a <c>ConsoleLogin</c> record.</summary>
public enum SignInCaller
{
    /// <summary>An IAM user with a password.</summary>
    IamUser,

    /// <summary>The account's root user.</summary>
    Root,

    /// <summary>A federated (IAM Identity Center) user; CloudTrail records the role session, and MFAUsed is "No" even when the IdP enforced MFA.</summary>
    FederatedUser,
}
