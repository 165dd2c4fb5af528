namespace TrailResponder.Core.SecurityGroups;

/// <summary>Which EC2 call a record is, as far as the responder cares.</summary>
public enum SecurityGroupChangeKind
{
    /// <summary><c>AuthorizeSecurityGroupIngress</c>.</summary>
    AuthorizeIngress,

    /// <summary><c>AuthorizeSecurityGroupEgress</c>.</summary>
    AuthorizeEgress,

    /// <summary><c>ModifySecurityGroupRules</c>: direction of each rule unknown from the record.</summary>
    ModifyRules,

    /// <summary><c>RevokeSecurityGroupIngress</c> or <c>RevokeSecurityGroupEgress</c>: only ever removes access.</summary>
    Revoke,

    /// <summary>Any other event.</summary>
    Other,
}
