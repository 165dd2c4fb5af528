namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    /// <summary>
    /// A CloudTrail Insights record (<c>eventType</c> AwsCloudTrailInsight): an unusual rate of
    /// <c>AuthorizeSecurityGroupIngress</c> calls. Insights go to the <c>CloudTrail-Insight</c> folder, not to log files,
    /// and have no userIdentity.
    /// </summary>
    public string InsightRecord(bool start = true)
    {
        var sharedEventId = random.Uuid();
        return RenderCustom("AuthorizeSecurityGroupIngress", Region, (w, eventTime, eventId) =>
        {
            w.WriteString("eventVersion", "1.08");
            w.WriteString("eventTime", CloudTrailTime.Format(eventTime));
            w.WriteString("awsRegion", Region);
            w.WriteString("eventID", eventId);
            w.WriteString("eventType", "AwsCloudTrailInsight");
            w.WriteString("recipientAccountId", AccountId);
            w.WriteString("sharedEventID", sharedEventId);
            w.WriteStartObject("insightDetails");
            w.WriteString("state", start ? "Start" : "End");
            w.WriteString("eventSource", "ec2.amazonaws.com");
            w.WriteString("eventName", "AuthorizeSecurityGroupIngress");
            w.WriteString("insightType", "ApiCallRateInsight");
            w.WriteStartObject("insightContext");
            w.WriteStartObject("statistics");
            w.WriteStartObject("baseline");
            w.WriteNumber("average", 0.0347222222);
            w.WriteEndObject();
            w.WriteStartObject("insight");
            w.WriteNumber("average", 12);
            w.WriteEndObject();
            if (!start)
            {
                w.WriteNumber("insightDuration", 5);
                w.WriteNumber("baselineDuration", 10080);
            }

            w.WriteEndObject();
            w.WriteStartArray("attributions");
            w.WriteStartObject();
            w.WriteString("attribute", "userIdentityArn");
            w.WriteStartArray("insight");
            w.WriteStartObject();
            w.WriteString("value", $"arn:aws:sts::{AccountId}:assumed-role/DeployRole/ci-pipeline");
            w.WriteNumber("average", 12);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("baseline");
            w.WriteStartObject();
            w.WriteString("value", $"arn:aws:sts::{AccountId}:assumed-role/DeployRole/ci-pipeline");
            w.WriteNumber("average", 0.0347222222);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("eventCategory", "Insight");
        });
    }
}
