namespace TrailResponder.Core.Trail;

/// <summary>What an object in a trail bucket is, judged by its key.</summary>
public enum TrailObjectKind
{
    /// <summary>A CloudTrail log file (<c>.../CloudTrail/...json.gz</c>): records to evaluate.</summary>
    LogFile,

    /// <summary>A digest file for log file integrity validation (<c>.../CloudTrail-Digest/...</c>).</summary>
    DigestFile,

    /// <summary>A CloudTrail Insights events file (<c>.../CloudTrail-Insight/...</c>).</summary>
    InsightFile,

    /// <summary>Anything else: AWS Config, VPC flow logs, folder markers, stray files.</summary>
    Other,
}
