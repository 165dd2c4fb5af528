using TrailResponder.LocalAws.Models;
using TrailResponder.LocalAws.Protocol;
using TrailResponder.LocalAws.Services;

namespace TrailResponder.LocalAws;

/// <summary>A service the endpoint hosts: its model, its error dialect and the handler of its implemented operations.</summary>
internal sealed record HostedService(string Name, ServiceModel Model, ServiceDialect Dialect, IServiceHandler Handler);
