namespace TrailResponder.Aws;

/// <summary>One AWS service as the hand-written clients address it: SigV4 signing name, host prefix and endpoint variable.</summary>
/// <param name="SigningName">The SigV4 service name in the credential scope, e.g. <c>sns</c>.</param>
/// <param name="EndpointPrefix">The first label of the regional host name, e.g. <c>sns</c> in <c>sns.eu-west-1.amazonaws.com</c>.</param>
/// <param name="EnvironmentId">The suffix of the service-specific override variable, e.g. <c>SNS</c> in <c>AWS_ENDPOINT_URL_SNS</c>.</param>
public sealed record AwsService(string SigningName, string EndpointPrefix, string EnvironmentId)
{
    /// <summary>Amazon SNS (query protocol).</summary>
    public static readonly AwsService Sns = new("sns", "sns", "SNS");

    /// <summary>Amazon EC2 (ec2 query protocol).</summary>
    public static readonly AwsService Ec2 = new("ec2", "ec2", "EC2");

    /// <summary>AWS Security Hub (rest-json).</summary>
    public static readonly AwsService SecurityHub = new("securityhub", "securityhub", "SECURITYHUB");

    /// <summary>AWS CloudTrail (json 1.1).</summary>
    public static readonly AwsService CloudTrail = new("cloudtrail", "cloudtrail", "CLOUDTRAIL");

    /// <summary>Amazon S3 (through AWSSDK.S3; only its endpoint override is resolved here).</summary>
    public static readonly AwsService S3 = new("s3", "s3", "S3");

    /// <summary>The service-specific endpoint override variable, e.g. <c>AWS_ENDPOINT_URL_SNS</c>.</summary>
    public string EndpointVariable => AwsEndpoints.GlobalEndpointVariable + "_" + EnvironmentId;
}
