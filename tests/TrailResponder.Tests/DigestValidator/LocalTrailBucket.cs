using TrailResponder.LocalAws;
using TrailResponder.Tests.Core.Digests;

namespace TrailResponder.Tests.DigestValidator;

/// <summary>Puts a signed trail into the local AWS endpoint as CloudTrail would have delivered it.</summary>
internal static class LocalTrailBucket
{
    /// <summary>
    /// Copies every object of <paramref name="trail"/> into <paramref name="bucket"/> (digest signatures as
    /// <c>x-amz-meta-signature</c> user metadata) and registers its signing keys with the emulated CloudTrail.
    /// </summary>
    public static void Upload(LocalAwsEndpoint endpoint, SignedTrailBuilder trail, string bucket = SignedTrailBuilder.Bucket)
    {
        foreach (var key in trail.Store.Keys)
        {
            endpoint.S3.PutObject(bucket, key, trail.Store.Content(key), trail.Store.Metadata(key));
        }

        foreach (var key in trail.PublicKeys.Keys)
        {
            endpoint.CloudTrail.AddPublicKey(key.Der.ToArray(), key.ValidityStart, key.ValidityEnd, key.Fingerprint);
        }
    }

    /// <summary>The environment the AWS clients read, pointing at the endpoint.</summary>
    public static Dictionary<string, string?> Environment(LocalAwsEndpoint endpoint) => new(StringComparer.Ordinal)
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = endpoint.Url.ToString(),
    };
}
