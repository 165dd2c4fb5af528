using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using TrailResponder.LocalAws.Faults;
using TrailResponder.LocalAws.Models;
using TrailResponder.LocalAws.Protocol;
using TrailResponder.LocalAws.Services;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.LocalAws;

/// <summary>
/// Answers one request: verify the signature, route by the credential scope's service, check the request against
/// the model, apply injected faults, call the handler, write the answer in the service's shape, and log it.
/// </summary>
internal sealed class RequestPipeline(IReadOnlyDictionary<string, HostedService> services, SignatureVerifier verifier, FaultInjector faults, RequestLog log)
{
    // Security Hub reports a finding that lacks an ASFF attribute as a FailedFinding, not as a failed call.
    private static readonly IReadOnlySet<string> ServiceChecksRequired = new HashSet<string>(StringComparer.Ordinal) { "AwsSecurityFinding" };

    /// <param name="context">The request.</param>
    /// <param name="stopping">Signalled when the endpoint shuts down, so injected delays do not hold up disposal.</param>
    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        var requestId = Guid.NewGuid().ToString();
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var body = await ReadBodyAsync(request, context.RequestAborted);

        var check = verifier.Verify(request, rawTarget, body);
        var shapedLike = ServiceShapedLike(request, rawTarget, body);
        var scoped = check.Authorization?.Service ?? shapedLike;
        // S3 is only the fallback guess, so only the other services' wire shapes can contradict the scope.
        if (!services.ContainsKey(scoped) || (shapedLike != ServiceNames.S3 && shapedLike != scoped))
        {
            var shapedService = services[shapedLike];
            await AnswerErrorAsync(context, shapedService, "", [], shapedService.Dialect.ForSignature(SignatureProblem.WrongScope, $"Credential should be scoped to correct service: '{shapedLike}'."), requestId);
            return;
        }
        var service = services[scoped];
        if (!check.Succeeded)
        {
            await AnswerErrorAsync(context, service, "", [], service.Dialect.ForSignature(check.Problem!.Value, check.Message), requestId);
            return;
        }

        if (service.Name == ServiceNames.S3 && IsAwsChunked(request))
        {
            try
            {
                body = AwsChunkedDecoder.Decode(body, check.Chunks);
            }
            catch (FormatException e)
            {
                await AnswerErrorAsync(context, service, "", [], new AwsError(400, "IncompleteBody", e.Message), requestId);
                return;
            }
            catch (InvalidDataException e)
            {
                await AnswerErrorAsync(context, service, "", [], service.Dialect.ForSignature(SignatureProblem.SignatureMismatch, e.Message), requestId);
                return;
            }
        }

        OperationModel? operation = null;
        JsonObject input;
        try
        {
            (operation, input) = OperationReader.Read(service.Model, request, rawTarget, body);
            if (operation.InputShape is not null)
            {
                ConstraintChecker.Check(input, service.Model.Shape(operation.InputShape), ServiceChecksRequired);
            }
            if (!service.Handler.Operations.Contains(operation.Name))
            {
                throw new ModelViolationException(ViolationKind.UnsupportedOperation, $"The operation {operation.Name} is valid for {service.Name} but not implemented by the local endpoint.");
            }
        }
        catch (ModelViolationException e)
        {
            // A client that calls an operation the snapshot lacks fails its test; the message says where the list lives.
            var message = e.Kind == ViolationKind.UnknownOperation
                ? $"{e.Message} (The local endpoint knows only the operations in its model snapshot; they are listed in {ServiceModelSnapshot.Script}.)"
                : e.Message;
            await AnswerErrorAsync(context, service, operation?.Name ?? "", [], service.Dialect.ForViolation(e.Kind, message), requestId);
            return;
        }

        var delay = faults.TakeDelay(service.Name, operation.Name);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                await Task.Delay(delay, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                log.Add(new RecordedRequest(service.Name, operation.Name, Snapshot(input), 499, "ClientClosedRequest"));
                return;
            }
        }
        var fault = faults.TakeError(service.Name, operation.Name);
        if (fault is not null)
        {
            await AnswerErrorAsync(context, service, operation.Name, input, fault == FaultKind.Throttle ? service.Dialect.Throttling : service.Dialect.InternalFailure, requestId);
            return;
        }

        ServiceReply reply;
        try
        {
            reply = service.Handler.Handle(new ServiceCall(operation.Name, input, body, request));
        }
        catch (AwsErrorException e)
        {
            await AnswerErrorAsync(context, service, operation.Name, input, e.Error, requestId);
            return;
        }

        var response = context.Response;
        response.StatusCode = reply.Status;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["x-amz-request-id"] = requestId;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }
        if (reply.ContentType is not null)
        {
            response.ContentType = reply.ContentType;
        }
        if (!HttpMethods.IsHead(request.Method))
        {
            response.ContentLength = reply.Body.Length;
            await response.Body.WriteAsync(reply.Body, context.RequestAborted);
        }
        log.Add(new RecordedRequest(service.Name, operation.Name, Snapshot(input), reply.Status, null));
    }

    private async Task AnswerErrorAsync(HttpContext context, HostedService service, string operation, JsonObject input, AwsError error, string requestId)
    {
        log.Add(new RecordedRequest(service.Name, operation, Snapshot(input), error.Status, error.Code));
        await service.Dialect.WriteErrorAsync(context, error, requestId);
    }

    private static JsonElement Snapshot(JsonObject input) => JsonSerializer.SerializeToElement(input);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static bool IsAwsChunked(HttpRequest request) =>
        request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase)
        || request.Headers["X-Amz-Content-SHA256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal);

    /// <summary>Which service the request's wire shape belongs to, independent of its signature; S3 is the fallback.</summary>
    private static string ServiceShapedLike(HttpRequest request, string rawTarget, byte[] body)
    {
        if (request.Headers["X-Amz-Target"].ToString().StartsWith("com.amazonaws.cloudtrail.", StringComparison.Ordinal))
        {
            return ServiceNames.CloudTrail;
        }
        if (HttpMethods.IsPost(request.Method) && rawTarget.StartsWith("/findings", StringComparison.Ordinal))
        {
            return ServiceNames.SecurityHub;
        }
        if (HttpMethods.IsPost(request.Method) && (rawTarget == "/" || rawTarget.StartsWith("/?", StringComparison.Ordinal)))
        {
            var form = Encoding.UTF8.GetString(body);
            if (form.Contains("Version=2016-11-15", StringComparison.Ordinal))
            {
                return ServiceNames.Ec2;
            }
            if (form.Contains("Version=2010-03-31", StringComparison.Ordinal))
            {
                return ServiceNames.Sns;
            }
        }
        return ServiceNames.S3;
    }
}
