using System.Globalization;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Aws;

/// <summary>The default region and each service's endpoint, from AWS's standard environment variables.</summary>
/// <remarks>
/// The SDKs apply <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, then the regional host name, unless
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true. AWSSDK.Core only does that inside its own service clients, so the
/// hand-written clients need this lookup to work against LocalStack. Settings come from a dictionary, not the process,
/// so that tests and the CLI decide what is read.
/// </remarks>
public sealed class AwsEndpoints
{
    /// <summary>The variable naming the region to call (Lambda sets it).</summary>
    public const string RegionVariable = "AWS_REGION";

    /// <summary>The variable overriding every service's endpoint.</summary>
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>The variable that, when <c>true</c>, disables both endpoint override variables.</summary>
    public const string IgnoreEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    private readonly IReadOnlyDictionary<string, string?> environment;

    private AwsEndpoints(string region, IReadOnlyDictionary<string, string?> environment)
    {
        Region = region;
        this.environment = environment;
    }

    /// <summary>The region from <c>AWS_REGION</c>: where calls go unless a resource lives elsewhere.</summary>
    public string Region { get; }

    /// <summary>Reads the settings; throws naming <c>AWS_REGION</c> when it is missing.</summary>
    /// <exception cref="InvalidOperationException"><c>AWS_REGION</c> is not set, or an override is not an http(s) URL.</exception>
    public static AwsEndpoints FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var region = Value(environment, RegionVariable)
            ?? throw new InvalidOperationException($"{RegionVariable} is not set: set it to the AWS region to call, e.g. eu-west-1 (Lambda sets it itself).");
        var endpoints = new AwsEndpoints(region.Trim(), environment);

        // Fail at start-up, not on the first call, when an override is malformed.
        foreach (var service in new[] { AwsService.Sns, AwsService.Ec2, AwsService.SecurityHub, AwsService.CloudTrail, AwsService.S3 })
        {
            endpoints.OverrideFor(service);
        }

        return endpoints;
    }

    /// <summary>The configured override for <paramref name="service"/> (service-specific first, then global), or null.</summary>
    public Uri? OverrideFor(AwsService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (string.Equals(Value(environment, IgnoreEndpointsVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var variable in new[] { service.EndpointVariable, GlobalEndpointVariable })
        {
            var value = Value(environment, variable);
            if (value is null)
            {
                continue;
            }

            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"{variable} must be an absolute http or https URL, e.g. http://localhost:4566.");
            }

            return uri;
        }

        return null;
    }

    /// <summary>The base URL to call <paramref name="service"/> in <paramref name="region"/>: the override if any, else the regional host.</summary>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not a region name (<see cref="AwsNames.IsRegion"/>).</exception>
    public Uri EndpointFor(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);

        // The region becomes part of the host name and of the signature's scope; it may come from a record, so a signed
        // request is never sent to a host made from anything but a region name.
        if (!AwsNames.IsRegion(region))
        {
            throw new ArgumentException($"'{NotificationText.SingleLine(region)}' is not an AWS region name (such as eu-west-1); no request was sent.", nameof(region));
        }
        return OverrideFor(service) ?? new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{service.EndpointPrefix}.{region}.{DnsSuffix(region)}/"));
    }

    /// <summary>The URL of <paramref name="path"/> (starting with <c>/</c>) under the service's endpoint, keeping any path the override has.</summary>
    public Uri RequestUri(AwsService service, string region, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var endpoint = EndpointFor(service, region);
        var builder = new UriBuilder(endpoint) { Path = endpoint.AbsolutePath.TrimEnd('/') + path };
        return builder.Uri;
    }

    private static string DnsSuffix(string region) => region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    private static string? Value(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
