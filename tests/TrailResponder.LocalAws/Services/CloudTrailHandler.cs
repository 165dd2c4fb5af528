using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TrailResponder.LocalAws.Protocol;

namespace TrailResponder.LocalAws.Services;

/// <summary>CloudTrail ListPublicKeys: keys whose validity overlaps [StartTime, EndTime], paged by NextToken.</summary>
internal sealed class CloudTrailHandler(CloudTrailStore store, TimeProvider clock) : IServiceHandler
{
    public IReadOnlySet<string> Operations { get; } = new HashSet<string>(StringComparer.Ordinal) { "ListPublicKeys" };

    public ServiceReply Handle(ServiceCall call)
    {
        var now = clock.GetUtcNow();
        var start = Time(call.Input["StartTime"]) ?? now;
        var end = Time(call.Input["EndTime"]) ?? now;
        if (start > end)
        {
            throw new AwsErrorException(400, "InvalidTimeRangeException", "Start time must be before end time.");
        }
        var offset = 0;
        if (call.Input["NextToken"]?.GetValue<string>() is { } token)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new AwsErrorException(400, "InvalidTokenException", "Reserved for future use.");
            }
        }
        var matching = store.PublicKeys.Where(k => k.ValidityStart <= end && k.ValidityEnd >= start).ToList();
        var page = matching.Skip(offset).Take(store.KeysPerPage).ToList();
        var result = new JsonObject
        {
            ["PublicKeyList"] = new JsonArray([.. page.Select(k => (JsonNode)new JsonObject
            {
                ["Value"] = Convert.ToBase64String(k.Value),
                ["ValidityStartTime"] = k.ValidityStart.ToUnixTimeMilliseconds() / 1000.0,
                ["ValidityEndTime"] = k.ValidityEnd.ToUnixTimeMilliseconds() / 1000.0,
                ["Fingerprint"] = k.Fingerprint,
            })]),
        };
        if (offset + page.Count < matching.Count)
        {
            result["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
        }
        return ServiceReply.Json(result, "application/x-amz-json-1.1");
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is null ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)(node.GetValue<double>() * 1000));
}
