using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TrailResponder.LocalAws.Protocol;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.LocalAws.Services;

/// <summary>S3 over rest-xml, path-style: CreateBucket, PutObject, GetObject, HeadObject, ListObjectsV2.</summary>
internal sealed class S3Handler(S3Store store) : IServiceHandler
{
    private const int MaxKeysLimit = 1000;
    private static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public IReadOnlySet<string> Operations { get; } = new HashSet<string>(StringComparer.Ordinal) { "CreateBucket", "PutObject", "GetObject", "HeadObject", "ListObjectsV2" };

    public ServiceReply Handle(ServiceCall call)
    {
        var bucket = call.Input["Bucket"]!.GetValue<string>();
        return call.Operation switch
        {
            "CreateBucket" => CreateBucket(bucket),
            "PutObject" => PutObject(bucket, call),
            "GetObject" => GetObject(bucket, call.Input["Key"]!.GetValue<string>(), includeBody: true),
            "HeadObject" => GetObject(bucket, call.Input["Key"]!.GetValue<string>(), includeBody: false),
            _ => ListObjectsV2(bucket, call.Input),
        };
    }

    private ServiceReply CreateBucket(string bucket)
    {
        if (!store.CreateBucket(bucket))
        {
            throw new AwsErrorException(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
        }
        return new ServiceReply(200, null, [], new Dictionary<string, string> { ["Location"] = "/" + bucket });
    }

    private ServiceReply PutObject(string bucket, ServiceCall call)
    {
        RequireBucket(bucket);
        var metadata = call.Input["Metadata"]?.AsObject().ToDictionary(m => m.Key, m => m.Value!.GetValue<string>()) ?? [];
        var contentType = call.Input["ContentType"]?.GetValue<string>() ?? "binary/octet-stream";
        if (call.Input["ContentMD5"]?.GetValue<string>() is { } md5 && md5 != Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(call.Body)))
        {
            throw new AwsErrorException(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        var stored = store.PutObject(bucket, call.Input["Key"]!.GetValue<string>(), call.Body, metadata, contentType);
        return new ServiceReply(200, null, [], new Dictionary<string, string> { ["ETag"] = stored.ETag });
    }

    private ServiceReply GetObject(string bucket, string key, bool includeBody)
    {
        RequireBucket(bucket);
        var found = store.GetObject(bucket, key)
            ?? throw new AwsErrorException(404, "NoSuchKey", "The specified key does not exist.");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["ETag"] = found.ETag,
            ["Last-Modified"] = found.LastModified.ToString("R", CultureInfo.InvariantCulture),
            ["Accept-Ranges"] = "bytes",
            ["Content-Length"] = found.Content.Length.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in found.Metadata)
        {
            headers["x-amz-meta-" + name] = value;
        }
        return new ServiceReply(200, found.ContentType, includeBody ? found.Content : [], headers);
    }

    private ServiceReply ListObjectsV2(string bucket, JsonObject input)
    {
        var objects = store.Snapshot(bucket) ?? throw NoSuchBucket();
        var prefix = input["Prefix"]?.GetValue<string>() ?? "";
        var delimiter = input["Delimiter"]?.GetValue<string>();
        var startAfter = input["StartAfter"]?.GetValue<string>();
        var token = input["ContinuationToken"]?.GetValue<string>();
        var maxKeys = (int)Math.Min(input["MaxKeys"]?.GetValue<long>() ?? MaxKeysLimit, MaxKeysLimit);
        var urlEncoded = input["EncodingType"]?.GetValue<string>() == "url";

        var resumeAfter = startAfter;
        if (token is not null)
        {
            resumeAfter = DecodeToken(token);
        }

        var contents = new List<S3Object>();
        var commonPrefixes = new List<string>();
        string? last = null;
        var truncated = false;
        foreach (var item in objects)
        {
            if (!item.Key.StartsWith(prefix, StringComparison.Ordinal)
                || (resumeAfter is not null && string.CompareOrdinal(item.Key, resumeAfter) <= 0)
                || (resumeAfter is not null && delimiter is not null && resumeAfter.EndsWith(delimiter, StringComparison.Ordinal) && item.Key.StartsWith(resumeAfter, StringComparison.Ordinal)))
            {
                continue;
            }
            string? commonPrefix = null;
            if (!string.IsNullOrEmpty(delimiter))
            {
                var index = item.Key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (index >= 0)
                {
                    commonPrefix = item.Key[..(index + delimiter.Length)];
                    if (commonPrefix == last)
                    {
                        continue;
                    }
                }
            }
            if (contents.Count + commonPrefixes.Count >= maxKeys)
            {
                truncated = true;
                break;
            }
            if (commonPrefix is not null)
            {
                commonPrefixes.Add(commonPrefix);
                last = commonPrefix;
            }
            else
            {
                contents.Add(item);
                last = item.Key;
            }
        }

        string Encode(string value) => urlEncoded ? SigV4Algorithm.UriEncode(value).Replace("%2F", "/", StringComparison.Ordinal) : value;
        var result = new XElement(Ns + "ListBucketResult",
            new XElement(Ns + "Name", bucket),
            new XElement(Ns + "Prefix", Encode(prefix)),
            new XElement(Ns + "KeyCount", contents.Count + commonPrefixes.Count),
            new XElement(Ns + "MaxKeys", maxKeys),
            delimiter is null ? null : new XElement(Ns + "Delimiter", Encode(delimiter)),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            token is null ? null : new XElement(Ns + "ContinuationToken", token),
            truncated && last is not null ? new XElement(Ns + "NextContinuationToken", EncodeToken(last)) : null,
            startAfter is null ? null : new XElement(Ns + "StartAfter", Encode(startAfter)),
            urlEncoded ? new XElement(Ns + "EncodingType", "url") : null,
            contents.Select(o => new XElement(Ns + "Contents",
                new XElement(Ns + "Key", Encode(o.Key)),
                new XElement(Ns + "LastModified", o.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(Ns + "ETag", o.ETag),
                new XElement(Ns + "Size", o.Content.Length),
                new XElement(Ns + "StorageClass", "STANDARD"))),
            commonPrefixes.Select(p => new XElement(Ns + "CommonPrefixes", new XElement(Ns + "Prefix", Encode(p)))));
        var reply = ServiceReply.Xml(result);
        return reply with { ContentType = "application/xml" };
    }

    private void RequireBucket(string bucket)
    {
        if (!store.BucketExists(bucket))
        {
            throw NoSuchBucket();
        }
    }

    private static AwsErrorException NoSuchBucket() => new(404, "NoSuchBucket", "The specified bucket does not exist");

    private static string EncodeToken(string lastReturned) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastReturned));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new AwsErrorException(400, "InvalidArgument", "The continuation token provided is incorrect");
        }
    }
}
