using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrailResponder.LocalAws.Faults;
using TrailResponder.LocalAws.Models;
using TrailResponder.LocalAws.Protocol;
using TrailResponder.LocalAws.Services;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.LocalAws;

/// <summary>
/// An in-process AWS endpoint on 127.0.0.1 with a free port, hosting S3, SNS, EC2, Security Hub and CloudTrail
/// operations with state, SigV4 verification, model validation, fault injection and a request log.
/// </summary>
public sealed class LocalAwsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalAwsEndpoint(WebApplication app, Uri url, LocalAwsOptions options, IReadOnlyDictionary<string, HostedService> services, S3Store s3, SnsStore sns, SecurityHubStore securityHub, Ec2Store ec2, CloudTrailStore cloudTrail, FaultInjector faults, RequestLog requests)
    {
        _app = app;
        Services = services;
        Url = url;
        Options = options;
        S3 = s3;
        Sns = sns;
        SecurityHub = securityHub;
        Ec2 = ec2;
        CloudTrail = cloudTrail;
        Faults = faults;
        Requests = requests;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:54321/ — one URL for every service.</summary>
    public Uri Url { get; }

    public LocalAwsOptions Options { get; }

    public S3Store S3 { get; }

    public SnsStore Sns { get; }

    public SecurityHubStore SecurityHub { get; }

    public Ec2Store Ec2 { get; }

    public CloudTrailStore CloudTrail { get; }

    public FaultInjector Faults { get; }

    public RequestLog Requests { get; }

    /// <summary>Each service's model and handler, by signing name.</summary>
    internal IReadOnlyDictionary<string, HostedService> Services { get; }

    /// <summary>Loads the service models and starts listening; throws <see cref="ModelsMissingException"/> when a service's model is missing.</summary>
    public static async Task<LocalAwsEndpoint> StartAsync(LocalAwsOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalAwsOptions();
        var models = ServiceNames.All.ToDictionary(s => s, s => ServiceModel.Load(options.ModelsDirectory, s), StringComparer.Ordinal);

        var s3 = new S3Store(options.Clock);
        var sns = new SnsStore(options.Region, options.AccountId);
        var securityHub = new SecurityHubStore();
        var ec2 = new Ec2Store(options.AccountId);
        var cloudTrail = new CloudTrailStore();
        var faults = new FaultInjector();
        var requests = new RequestLog();
        var handlers = new Dictionary<string, IServiceHandler>(StringComparer.Ordinal)
        {
            [ServiceNames.S3] = new S3Handler(s3),
            [ServiceNames.Sns] = new SnsHandler(sns),
            [ServiceNames.SecurityHub] = new SecurityHubHandler(securityHub, faults),
            [ServiceNames.Ec2] = new Ec2Handler(ec2, options.AccountId),
            [ServiceNames.CloudTrail] = new CloudTrailHandler(cloudTrail, options.Clock),
        };
        var services = ServiceNames.All.ToDictionary(
            s => s,
            s => new HostedService(s, models[s], ServiceDialect.For(s), handlers[s]),
            StringComparer.Ordinal);
        var pipeline = new RequestPipeline(services, new SignatureVerifier(options, options.Clock), faults, requests);

        // No configuration file watching: many short-lived endpoints per test run would each hold a file watcher.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(context => pipeline.HandleAsync(context, app.Lifetime.ApplicationStopping));
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalAwsEndpoint(app, new Uri(address.TrimEnd('/') + "/"), options, services, s3, sns, securityHub, ec2, cloudTrail, faults, requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
