namespace TrailResponder.Core.SecurityGroups;

/// <summary>What the AWS layer has looked up about the changed group; anything left null is unknown.</summary>
public sealed record SecurityGroupFacts
{
    /// <summary>The group's tags (DescribeSecurityGroups <c>tagSet</c>); null when not looked up.</summary>
    public IReadOnlyDictionary<string, string>? GroupTags { get; init; }

    /// <summary>The group's current rules (DescribeSecurityGroupRules); null when not looked up.</summary>
    public IReadOnlyList<DescribedSecurityGroupRule>? DescribedRules { get; init; }

    /// <summary>Nothing looked up: what a dry run without AWS has.</summary>
    public static SecurityGroupFacts Unknown { get; } = new();
}
