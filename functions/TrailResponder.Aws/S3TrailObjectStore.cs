using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Util;
using Amazon.S3;
using Amazon.S3.Model;
using TrailResponder.Core.Storage;

namespace TrailResponder.Aws;

/// <summary>An <see cref="ITrailObjectStore"/> over one S3 bucket, optionally below a key prefix that acts as the store's root.</summary>
/// <remarks>
/// Keys handed in and out are relative to the prefix, so a trail delivered to <c>s3://bucket/team/AWSLogs/...</c> looks the
/// same as a local mirror holding <c>AWSLogs/...</c>. The SDK client does its own signing and standard-mode retries.
/// </remarks>
public sealed class S3TrailObjectStore : ITrailObjectStore
{
    private const string MetadataHeaderPrefix = "x-amz-meta-";
    private readonly IAmazonS3 s3;
    private readonly string root;

    /// <summary>Creates the store over <paramref name="bucket"/>; <paramref name="prefix"/> (with or without a trailing slash) is the root.</summary>
    public S3TrailObjectStore(IAmazonS3 s3, string bucket, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        this.s3 = s3;
        Bucket = bucket;
        var trimmed = (prefix ?? string.Empty).Trim('/');
        root = trimmed.Length == 0 ? string.Empty : trimmed + "/";
    }

    /// <summary>The bucket read from.</summary>
    public string Bucket { get; }

    /// <inheritdoc/>
    public string Location => $"s3://{Bucket}/{root}";

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = root + prefix };
        do
        {
            ListObjectsV2Response response;
            try
            {
                response = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex))
            {
                throw new TrailObjectStoreException($"{Location} could not be listed under '{prefix}': {Reason(ex)}", ex);
            }

            foreach (var entry in response.S3Objects ?? [])
            {
                if (!entry.Key.StartsWith(root, StringComparison.Ordinal))
                {
                    continue;
                }

                var modified = entry.LastModified is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;
                yield return new StoredObject(entry.Key[root.Length..], entry.Size ?? 0, modified);
            }

            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = root + prefix, Delimiter = "/" };
        do
        {
            ListObjectsV2Response response;
            try
            {
                response = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStoreFailure(ex))
            {
                throw new TrailObjectStoreException($"{Location} could not be listed under '{prefix}': {Reason(ex)}", ex);
            }

            foreach (var folder in response.CommonPrefixes ?? [])
            {
                if (folder.StartsWith(root, StringComparison.Ordinal))
                {
                    yield return folder[root.Length..];
                }
            }

            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(request.ContinuationToken));
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            // The body is streamed: the caller reads (and disposes) the object without buffering it here.
            var response = await s3.GetObjectAsync(Bucket, root + key, cancellationToken).ConfigureAwait(false);

            // When the ETag is an MD5, the SDK checks the body against it with a managed MD5 that allocates 1.4 bytes
            // per byte read: for a large log file, more than the rest of the LogProcessor. It adds nothing here: the
            // reader verifies every gzip member's CRC-32 and length, digest validation proves each file's SHA-256,
            // and TLS protects the transfer.
            return response.ResponseStream is MD5Stream md5 ? md5.GetNonWrapperBaseStream() : response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (IsNotFound(ex))
        {
            throw new TrailObjectNotFoundException(key, ex);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new TrailObjectStoreException($"{Location}{key} could not be read: {Reason(ex)}", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        GetObjectMetadataResponse response;
        try
        {
            response = await s3.GetObjectMetadataAsync(Bucket, root + key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (IsNotFound(ex))
        {
            throw new TrailObjectNotFoundException(key, ex);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new TrailObjectStoreException($"{Location}{key} metadata could not be read: {Reason(ex)}", ex);
        }

        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in response.Metadata.Keys)
        {
            var bare = name.StartsWith(MetadataHeaderPrefix, StringComparison.OrdinalIgnoreCase) ? name[MetadataHeaderPrefix.Length..] : name;
            metadata[bare] = response.Metadata[name];
        }

        return metadata;
    }

    // HeadObject has no body, so a missing key shows only as 404 ("NotFound"); GetObject says "NoSuchKey".
    private static bool IsNotFound(AmazonS3Exception ex) =>
        ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode is null or "NoSuchKey" or "NotFound";

    private static bool IsStoreFailure(Exception ex) => ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private static string Reason(Exception ex) =>
        ex is AmazonServiceException service ? $"{service.ErrorCode ?? service.StatusCode.ToString()} {service.Message} (request id {service.RequestId})" : ex.Message;
}
