using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Digests;

namespace TrailResponder.Aws;

/// <summary>Reads CloudTrail's digest-signing public keys with ListPublicKeys (json 1.1), from the digest's own region.</summary>
public sealed class CloudTrailPublicKeySource : IPublicKeySource
{
    private const string Target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListPublicKeys";
    private readonly AwsRequestSender sender;

    internal CloudTrailPublicKeySource(AwsRequestSender sender)
    {
        this.sender = sender;
    }

    /// <inheritdoc/>
    public async Task<PublicKeySet> ListPublicKeysAsync(string region, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var keys = new PublicKeySet([]);
        string? nextToken = null;
        do
        {
            using var content = new ByteArrayContent(RequestBody(start, end, nextToken));
            // Exactly the SDKs' content type: StringContent would append "; charset=utf-8".
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
            var response = await sender.PostAsync(
                AwsService.CloudTrail,
                "ListPublicKeys",
                region,
                "/",
                content,
                cancellationToken,
                new Dictionary<string, string> { ["X-Amz-Target"] = Target }).ConfigureAwait(false);

            var text = Encoding.UTF8.GetString(response.Body);
            keys = keys.Merge(PublicKeySet.Parse(text, $"ListPublicKeys in {region}"));
            var token = NextToken(text);
            nextToken = token == nextToken ? null : token;
        }
        while (nextToken is not null);

        return keys;
    }

    private static byte[] RequestBody(DateTimeOffset start, DateTimeOffset end, string? nextToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            // Whole epoch seconds, widened outwards so the range still covers both ends.
            writer.WriteNumber("StartTime", start.ToUnixTimeSeconds());
            writer.WriteNumber("EndTime", (end.ToUnixTimeMilliseconds() + 999) / 1000);
            if (nextToken is not null)
            {
                writer.WriteString("NextToken", nextToken);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string? NextToken(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value
            ? value
            : null;
    }
}
