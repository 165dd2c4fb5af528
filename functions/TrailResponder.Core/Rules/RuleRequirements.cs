using TrailResponder.Core.Json;

namespace TrailResponder.Core.Rules;

/// <summary>
/// Combines the <see cref="RuleKey"/> requirements of a condition's parts: what a record must have for an AND or an
/// OR of them to be able to hold. A null requirement means "no key": the part can hold on any record.
/// </summary>
public static class RuleRequirements
{
    // Fields CloudTrail writes in (nearly) every record: requiring one of them to be present selects nothing.
    private static readonly HashSet<string> AlwaysPresent = new(StringComparer.Ordinal)
    {
        "$.eventVersion", "$.userIdentity", "$.eventTime", "$.eventSource", "$.eventName", "$.awsRegion",
        "$.sourceIPAddress", "$.userAgent", "$.requestParameters", "$.responseElements", "$.requestID", "$.eventID",
        "$.eventType", "$.readOnly", "$.recipientAccountId", "$.managementEvent", "$.eventCategory", "$.tlsDetails",
    };

    private static readonly FieldPath EventName = FieldPath.Of("eventName");
    private static readonly FieldPath EventSource = FieldPath.Of("eventSource");

    /// <summary>The requirement of one key, or none when the key cannot select records (presence of an ever-present field).</summary>
    public static IReadOnlyList<RuleKey>? Of(RuleKey key) =>
        key.Value is null && AlwaysPresent.Contains(key.Path.Text) ? null : [key];

    /// <summary>The requirement of a set of keys of which any may hold, e.g. one field's list of values.</summary>
    public static IReadOnlyList<RuleKey>? AnyOf(IEnumerable<RuleKey> keys) => Or(keys.Select(Of));

    /// <summary>Every part must hold: the most selective part's requirement is enough.</summary>
    public static IReadOnlyList<RuleKey>? And(IEnumerable<IReadOnlyList<RuleKey>?> parts)
    {
        IReadOnlyList<RuleKey>? best = null;
        foreach (var part in parts)
        {
            if (part is not null && (best is null || Cost(part).CompareTo(Cost(best)) < 0))
            {
                best = part;
            }
        }

        return best;
    }

    /// <summary>Any part may hold: the union of their requirements, or none if some part has none.</summary>
    public static IReadOnlyList<RuleKey>? Or(IEnumerable<IReadOnlyList<RuleKey>?> parts)
    {
        var union = new List<RuleKey>();
        foreach (var part in parts)
        {
            if (part is null)
            {
                return null;
            }

            union.AddRange(part.Where(k => !union.Contains(k)));
        }

        return union.Count == 0 ? null : union;
    }

    // How many records a requirement lets through, roughly: the eventName is the sharpest key, an eventSource the
    // bluntest value (a service can write half of a trail), and presence of a rarer field (errorCode) in between.
    private static (int Weight, int Count) Cost(IReadOnlyList<RuleKey> keys) =>
        (keys.Max(k => k.Value is null ? 3 : k.Path.Equals(EventName) ? 1 : k.Path.Equals(EventSource) ? 4 : 2), keys.Count);
}
