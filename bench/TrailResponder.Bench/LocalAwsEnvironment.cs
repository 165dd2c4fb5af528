using TrailResponder.LocalAws;

namespace TrailResponder.Bench;

/// <summary>The environment the template gives a function, pointed at the local AWS endpoint.</summary>
internal static class LocalAwsEnvironment
{
    public static Dictionary<string, string> For(LocalAwsEndpoint endpoint, string topicArn, string bucket) => new()
    {
        ["AWS_REGION"] = endpoint.Options.Region,
        ["AWS_ENDPOINT_URL"] = endpoint.Url.ToString(),
        ["AWS_ACCESS_KEY_ID"] = LocalAwsCredential.Default.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = LocalAwsCredential.Default.SecretAccessKey,
        ["ACCOUNT_ID"] = endpoint.Options.AccountId,
        ["FINDINGS_TOPIC_ARN"] = topicArn,
        ["TRAIL_BUCKET"] = bucket,
    };
}
