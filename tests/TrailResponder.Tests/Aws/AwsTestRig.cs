using Amazon.Runtime;
using TrailResponder.Aws;

namespace TrailResponder.Tests.Aws;

/// <summary>Real AwsClients over a capturing transport, fixed credentials, a fixed jitter and delays that only advance a manual clock.</summary>
public sealed class AwsTestRig : IDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";

    private readonly List<TimeSpan> delays = [];

    public AwsTestRig(CapturingTransport transport, IReadOnlyDictionary<string, string?>? environment = null, AWSCredentials? credentials = null, Func<AwsRetryOptions, AwsRetryOptions>? adjust = null)
    {
        Transport = transport;
        var retry = new AwsRetryOptions
        {
            TimeProvider = Clock,
            Jitter = () => 0.5,
            Delay = (delay, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                lock (delays)
                {
                    delays.Add(delay);
                }

                Clock.Advance(delay);
                return Task.CompletedTask;
            },
        };
        Clients = AwsClients.FromEnvironment(
            environment ?? new Dictionary<string, string?> { ["AWS_REGION"] = Region },
            credentials ?? new BasicAWSCredentials(AccessKey, SecretKey),
            adjust is null ? retry : adjust(retry),
            transport);
    }

    public ManualTimeProvider Clock { get; } = new();

    public CapturingTransport Transport { get; }

    public AwsClients Clients { get; }

    public IReadOnlyList<CapturedRequest> Requests => Transport.Requests;

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (delays)
            {
                return [.. delays];
            }
        }
    }

    public void Dispose() => Clients.Dispose();
}
