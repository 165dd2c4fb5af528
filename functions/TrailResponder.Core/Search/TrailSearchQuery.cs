using System.Text;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Search;

/// <summary>
/// The filters of a trail search (what <c>aws cloudtrail lookup-events</c> offers, without its 90-day limit), all combined
/// with AND.
/// </summary>
/// <remarks>
/// Field filters become one CloudWatch filter pattern, so a search runs on the same single pass per record as the
/// detection rules; <c>*</c> in a value is a wildcard. Resource filters look at every resource the event names, which a
/// fixed-position pattern cannot, so they are checked in code on the records the pattern lets through.
/// </remarks>
public sealed record TrailSearchQuery
{
    /// <summary>The API name, e.g. <c>ConsoleLogin</c> or <c>Delete*</c>.</summary>
    public string? EventName { get; init; }

    /// <summary>The user: userName or principal ARN.</summary>
    public string? User { get; init; }

    /// <summary>The access key id that signed the call.</summary>
    public string? AccessKey { get; init; }

    /// <summary>A resource name or ARN the event names.</summary>
    public string? ResourceName { get; init; }

    /// <summary>A resource type, e.g. <c>AWS::S3::Bucket</c>.</summary>
    public string? ResourceType { get; init; }

    /// <summary>The service, e.g. <c>iam.amazonaws.com</c>.</summary>
    public string? EventSource { get; init; }

    /// <summary>The caller's source IP address.</summary>
    public string? SourceIp { get; init; }

    /// <summary><c>*</c> for any error, or an error code with wildcards (<c>AccessDenied*</c>).</summary>
    public string? Error { get; init; }

    /// <summary>Only read-only (true) or only mutating (false) calls.</summary>
    public bool? ReadOnly { get; init; }

    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Only events at or before this time.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Only this region.</summary>
    public string? Region { get; init; }

    /// <summary>Only this account (the recipient account).</summary>
    public string? Account { get; init; }

    /// <summary>The field filters as one filter pattern; null when there are none (every record passes).</summary>
    public FilterPattern? Pattern()
    {
        var terms = new List<string>();
        void Equal(string selector, string? value)
        {
            if (value is not null)
            {
                terms.Add($"({selector} = {Quote(value)})");
            }
        }

        Equal("$.eventName", EventName);
        Equal("$.userIdentity.accessKeyId", AccessKey);
        Equal("$.eventSource", EventSource);
        Equal("$.sourceIPAddress", SourceIp);
        Equal("$.awsRegion", Region);
        Equal("$.recipientAccountId", Account);
        if (User is not null)
        {
            terms.Add($"(($.userIdentity.userName = {Quote(User)}) || ($.userIdentity.arn = {Quote(User)}))");
        }

        if (Error is not null)
        {
            terms.Add(Error == "*" ? "($.errorCode = *)" : $"($.errorCode = {Quote(Error)})");
        }

        if (ReadOnly is { } readOnly)
        {
            terms.Add(readOnly ? "($.readOnly IS TRUE)" : "($.readOnly IS FALSE)");
        }

        return terms.Count == 0 ? null : FilterPattern.Parse("{ " + string.Join(" && ", terms) + " }");
    }

    /// <summary>A matcher for one thread (it reuses its evaluation buffers).</summary>
    public TrailSearchMatcher CreateMatcher() => new(this, Pattern() is { } pattern ? new RuleSet([], pattern).CreateEvaluator() : null);

    /// <summary>The checks a pattern cannot express: the time range and the resources the event names.</summary>
    public bool MatchesBeyondPattern(CloudTrailRecord record)
    {
        if (StartTime is not null || EndTime is not null)
        {
            if (record.EventTime is not { } time || time < StartTime || time > EndTime)
            {
                return false;
            }
        }

        if (ResourceName is null && ResourceType is null)
        {
            return true;
        }

        return EventResources.Of(record).Any(resource =>
            (ResourceType is null || string.Equals(resource.Type, ResourceType, StringComparison.Ordinal))
            && (ResourceName is null || NamesResource(resource.Id, ResourceName)));
    }

    // A name matches the id itself or its last path or colon segment, so "reports" finds arn:aws:s3:::reports.
    private static bool NamesResource(string id, string name) =>
        string.Equals(id, name, StringComparison.Ordinal)
        || id.EndsWith("/" + name, StringComparison.Ordinal)
        || id.EndsWith(":" + name, StringComparison.Ordinal);

    // A quoted pattern value: only '"' and '\' are escaped in filter patterns; '*' stays a wildcard.
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"", value.Length + 2);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The UTC days whose log folders can hold events of the time range (a file can be a day later than its oldest event).</summary>
    public (DateOnly First, DateOnly Last)? Days() => StartTime is { } start && EndTime is { } end
        ? (DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime).AddDays(1))
        : null;

}

/// <summary>Tells whether records pass a <see cref="TrailSearchQuery"/>: the pattern in one pass, then the resource checks.</summary>
public sealed class TrailSearchMatcher(TrailSearchQuery query, RuleEvaluator? evaluator)
{
    /// <summary>Whether the record passes every filter.</summary>
    public bool Matches(CloudTrailRecord record)
    {
        if (evaluator is not null)
        {
            evaluator.Match(record.Json.Span, out var watched);
            if (!watched)
            {
                return false;
            }
        }

        return query.MatchesBeyondPattern(record);
    }
}
