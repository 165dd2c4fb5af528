using System.Collections;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Amazon.S3;

namespace TrailResponder.Aws;

/// <summary>
/// Builds the AWS adapters from the environment in one line: one shared signed, retrying HttpClient for SNS, EC2,
/// Security Hub and CloudTrail, and SDK clients for S3, all with the same credentials, region and endpoint overrides.
/// </summary>
/// <remarks>
/// Create one per process (a Lambda instance or a CLI run) and dispose it at the end. The handler chain is
/// retry → SigV4 signing → transport, so every attempt is signed afresh.
/// </remarks>
public sealed class AwsClients : IDisposable
{
    private readonly HttpClient http;
    private readonly HttpMessageHandler? testTransport;
    private readonly AwsRequestSender sender;
    private readonly AwsRetryOptions retry;
    private readonly List<IDisposable> owned = [];
    private readonly Lock importerLock = new();
    private SecurityHubFindingImporter? findingImporter;

    private AwsClients(AwsEndpoints endpoints, AWSCredentials credentials, AwsRetryOptions retry, HttpMessageHandler? transport)
    {
        Endpoints = endpoints;
        Credentials = credentials;
        this.retry = retry;
        testTransport = transport;
        var region = RegionEndpoint.GetBySystemName(endpoints.Region);

        // The signing handler's service and region are defaults only: every request names its own through Options.
        var signing = new SigV4SigningHandler(credentials, region, AwsService.Sns.SigningName, transport ?? new SocketsHttpHandler { AllowAutoRedirect = false });
        http = new HttpClient(new AwsRetryHandler(retry) { InnerHandler = signing }, disposeHandler: transport is null)
        {
            // Attempts have their own timeout; an overall one would cut retries short.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        sender = new AwsRequestSender(http, endpoints);
    }

    /// <summary>The region and endpoints in use.</summary>
    public AwsEndpoints Endpoints { get; }

    /// <summary>The credentials every call is signed with.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>
    /// Builds the clients from <paramref name="environment"/> (<c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL[_SERVICE]</c>).
    /// Credentials default to the SDK's chain (in Lambda: the environment's keys and session token).
    /// </summary>
    /// <param name="environment">The settings, e.g. <see cref="ProcessEnvironment"/>.</param>
    /// <param name="credentials">Credentials to use instead of the SDK's default chain.</param>
    /// <param name="retry">Retry and timing settings; defaults to the SDKs' standard mode.</param>
    /// <param name="transport">The innermost handler instead of a real socket handler (tests); it is not disposed.</param>
    /// <exception cref="InvalidOperationException"><c>AWS_REGION</c> is missing or an endpoint override is malformed.</exception>
    public static AwsClients FromEnvironment(
        IReadOnlyDictionary<string, string?> environment,
        AWSCredentials? credentials = null,
        AwsRetryOptions? retry = null,
        HttpMessageHandler? transport = null)
    {
        var endpoints = AwsEndpoints.FromEnvironment(environment);
        return new AwsClients(endpoints, credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(), retry ?? new AwsRetryOptions(), transport);
    }

    /// <summary>A snapshot of the process's environment variables, for <see cref="FromEnvironment"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return variables;
    }

    /// <summary>A publisher to <paramref name="topicArn"/>, calling SNS in the topic's region.</summary>
    public SnsNotificationPublisher NotificationPublisher(string topicArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topicArn);
        return new SnsNotificationPublisher(sender, topicArn);
    }

    /// <summary>
    /// The importer into Security Hub in <c>AWS_REGION</c>; the same instance every time, so pacing spans all imports
    /// (the account's quota does not reset between them). <paramref name="options"/> count on the first call only.
    /// </summary>
    public SecurityHubFindingImporter FindingImporter(SecurityHubImportOptions? options = null)
    {
        lock (importerLock)
        {
            return findingImporter ??= new SecurityHubFindingImporter(sender, Endpoints.Region, retry, options ?? new SecurityHubImportOptions());
        }
    }

    /// <summary>The EC2 client for security groups in <c>AWS_REGION</c>.</summary>
    public Ec2SecurityGroupClient SecurityGroups() => new(sender, Endpoints.Region);

    /// <summary>The EC2 client for the groups of another region (a security group lives in the region of its event).</summary>
    public Ec2SecurityGroupClient SecurityGroups(string region) => new(sender, region);

    /// <summary>The CloudTrail public-key source; each call goes to the region it is asked about.</summary>
    public CloudTrailPublicKeySource PublicKeys() => new(sender);

    /// <summary>A trail store over <paramref name="bucket"/> (below <paramref name="prefix"/>), through AWSSDK.S3.</summary>
    public S3TrailObjectStore TrailStore(string bucket, string? prefix = null)
    {
        var s3 = new AmazonS3Client(Credentials, S3Config());
        owned.Add(s3);
        return new S3TrailObjectStore(s3, bucket, prefix);
    }

    /// <summary>The S3 client settings: the region, or the override URL with path-style addressing (LocalStack has no bucket DNS).</summary>
    public AmazonS3Config S3Config()
    {
        var config = new AmazonS3Config
        {
            // Our dictionary, not the process environment, decides the endpoint.
            IgnoreConfiguredEndpointUrls = true,
            MaxErrorRetry = retry.MaxAttempts - 1,
            Timeout = retry.AttemptTimeout,
        };
        if (Endpoints.OverrideFor(AwsService.S3) is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Endpoints.Region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Endpoints.Region);
        }

        if (testTransport is not null)
        {
            config.HttpClientFactory = new FixedTransportHttpClientFactory(testTransport);
        }

        return config;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var client in owned)
        {
            client.Dispose();
        }

        http.Dispose();
    }

    /// <summary>Hands the S3 SDK client an HttpClient over the injected transport, so tests see its requests too.</summary>
    private sealed class FixedTransportHttpClientFactory(HttpMessageHandler transport) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(transport, disposeHandler: false);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
