namespace TrailResponder.LocalAws;

/// <summary>The SigV4 signing names of the hosted services, used to route requests and to address faults and log entries.</summary>
public static class ServiceNames
{
    public const string S3 = "s3";
    public const string Sns = "sns";
    public const string Ec2 = "ec2";
    public const string SecurityHub = "securityhub";
    public const string CloudTrail = "cloudtrail";

    public static IReadOnlyList<string> All { get; } = [S3, Sns, Ec2, SecurityHub, CloudTrail];
}
