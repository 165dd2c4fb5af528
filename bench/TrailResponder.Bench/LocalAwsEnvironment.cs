using TrailResponder.LocalAws;
using TrailResponder.LocalAws.Models;

namespace TrailResponder.Bench;

/// <summary>The local AWS endpoint as the benchmarks use it, and the environment the template gives a function pointed at it.</summary>
internal static class LocalAwsEnvironment
{
    /// <summary>Starts the endpoint; null, with a "skipped" row for <paramref name="measure"/>, when its service models are missing from the build output.</summary>
    public static async Task<LocalAwsEndpoint?> TryStartAsync(ResultTable table, string measure)
    {
        try
        {
            return await LocalAwsEndpoint.StartAsync();
        }
        catch (ModelsMissingException e)
        {
            table.Add(new Result(measure, "skipped", e.Message));
            return null;
        }
    }

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
