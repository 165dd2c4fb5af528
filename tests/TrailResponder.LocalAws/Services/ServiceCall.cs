using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TrailResponder.LocalAws.Protocol;

namespace TrailResponder.LocalAws.Services;

/// <summary>A request that passed signature and model checks: operation, input mapped to member names, and the decoded body.</summary>
internal sealed record ServiceCall(string Operation, JsonObject Input, byte[] Body, HttpRequest Request);

/// <summary>Answers the operations one service implements, against that service's state.</summary>
internal interface IServiceHandler
{
    IReadOnlySet<string> Operations { get; }

    ServiceReply Handle(ServiceCall call);
}
