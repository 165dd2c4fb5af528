namespace TrailResponder.Core.Delivery;

/// <summary>Where findings are imported: the account and region of the Security Hub that receives them.</summary>
/// <param name="Region">The region Security Hub is called in (the function's region).</param>
/// <param name="AccountId">The account that imports (its default product ARN is used).</param>
/// <param name="ProviderVersion">TrailResponder's version, written into ProductFields.</param>
public sealed record AsffContext(string Region, string AccountId, string ProviderVersion = "0.1.0")
{
    /// <summary>The partition of the region: <c>aws-cn</c>, <c>aws-us-gov</c>, an isolated partition or <c>aws</c>.</summary>
    public string Partition => AwsNames.PartitionOf(Region);

    /// <summary>The account's default product ARN for custom findings.</summary>
    public string ProductArn => $"arn:{Partition}:securityhub:{Region}:{AccountId}:product/{AccountId}/default";
}
