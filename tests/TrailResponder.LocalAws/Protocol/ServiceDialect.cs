using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using TrailResponder.LocalAws.Models;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.LocalAws.Protocol;

/// <summary>How one service names and shapes its errors: the codes for signature, model and fault failures, and the error envelope of its protocol.</summary>
internal sealed class ServiceDialect
{
    private readonly string _protocol;
    private readonly string? _xmlNamespace;
    private readonly IReadOnlyDictionary<SignatureProblem, (int Status, string Code)> _signatureCodes;
    private readonly IReadOnlyDictionary<ViolationKind, (int Status, string Code)> _violationCodes;

    private ServiceDialect(
        string protocol,
        string? xmlNamespace,
        Dictionary<SignatureProblem, (int, string)> signatureCodes,
        Dictionary<ViolationKind, (int, string)> violationCodes,
        (int Status, string Code) throttling,
        (int Status, string Code) internalFailure)
    {
        _protocol = protocol;
        _xmlNamespace = xmlNamespace;
        _signatureCodes = signatureCodes;
        _violationCodes = violationCodes;
        Throttling = new AwsError(throttling.Status, throttling.Code, "Rate exceeded");
        InternalFailure = new AwsError(internalFailure.Status, internalFailure.Code, "We encountered an internal error. Please try again.");
    }

    public AwsError Throttling { get; }

    public AwsError InternalFailure { get; }

    public AwsError ForSignature(SignatureProblem problem, string message)
    {
        var (status, code) = _signatureCodes[problem];
        return new AwsError(status, code, message);
    }

    public AwsError ForViolation(ViolationKind kind, string message)
    {
        var (status, code) = _violationCodes[kind];
        return new AwsError(status, code, message);
    }

    // Codes come from aws-wire.md, the models' error shapes and the services' documented common errors.
    // Where AWS documents nothing (unknown JSON members, model operations this endpoint does not implement)
    // the closest documented code is used and the choice is noted next to it.
    public static ServiceDialect For(string service) => service switch
    {
        ServiceNames.Sns => new ServiceDialect(
            "query",
            "http://sns.amazonaws.com/doc/2010-03-31/",
            new()
            {
                [SignatureProblem.MissingAuthentication] = (403, "MissingAuthenticationToken"),
                [SignatureProblem.IncompleteSignature] = (400, "IncompleteSignature"),
                [SignatureProblem.UnknownAccessKey] = (403, "InvalidClientTokenId"),
                [SignatureProblem.SignatureMismatch] = (403, "SignatureDoesNotMatch"),
                [SignatureProblem.WrongScope] = (403, "SignatureDoesNotMatch"),
                [SignatureProblem.Expired] = (400, "RequestExpired"),
                [SignatureProblem.PayloadHashMismatch] = (403, "SignatureDoesNotMatch"),
            },
            new()
            {
                [ViolationKind.UnknownOperation] = (400, "InvalidAction"),
                // Undocumented for a real-but-unimplemented action; InvalidAction is the closest.
                [ViolationKind.UnsupportedOperation] = (400, "InvalidAction"),
                // Undocumented for SNS; InvalidParameterValue is the common query-API code closest to it.
                [ViolationKind.UnknownParameter] = (400, "InvalidParameterValue"),
                [ViolationKind.MissingParameter] = (400, "MissingParameter"),
                [ViolationKind.InvalidType] = (400, "InvalidParameterValue"),
                [ViolationKind.InvalidValue] = (400, "ValidationError"),
                [ViolationKind.MalformedBody] = (400, "MalformedQueryString"),
            },
            (400, "Throttling"),
            (500, "InternalError")),
        ServiceNames.Ec2 => new ServiceDialect(
            "ec2",
            "http://ec2.amazonaws.com/doc/2016-11-15/",
            new()
            {
                [SignatureProblem.MissingAuthentication] = (401, "MissingAuthenticationToken"),
                [SignatureProblem.IncompleteSignature] = (400, "IncompleteSignature"),
                [SignatureProblem.UnknownAccessKey] = (401, "AuthFailure"),
                [SignatureProblem.SignatureMismatch] = (401, "AuthFailure"),
                [SignatureProblem.WrongScope] = (401, "AuthFailure"),
                [SignatureProblem.Expired] = (400, "RequestExpired"),
                [SignatureProblem.PayloadHashMismatch] = (401, "AuthFailure"),
            },
            new()
            {
                [ViolationKind.UnknownOperation] = (400, "InvalidAction"),
                [ViolationKind.UnsupportedOperation] = (400, "UnsupportedOperation"),
                [ViolationKind.UnknownParameter] = (400, "UnknownParameter"),
                [ViolationKind.MissingParameter] = (400, "MissingParameter"),
                [ViolationKind.InvalidType] = (400, "InvalidParameterValue"),
                [ViolationKind.InvalidValue] = (400, "InvalidParameterValue"),
                [ViolationKind.MalformedBody] = (400, "MalformedQueryString"),
            },
            (503, "RequestLimitExceeded"),
            (500, "InternalError")),
        ServiceNames.CloudTrail => new ServiceDialect(
            "json",
            null,
            new()
            {
                [SignatureProblem.MissingAuthentication] = (400, "MissingAuthenticationTokenException"),
                [SignatureProblem.IncompleteSignature] = (400, "IncompleteSignatureException"),
                [SignatureProblem.UnknownAccessKey] = (400, "UnrecognizedClientException"),
                [SignatureProblem.SignatureMismatch] = (400, "InvalidSignatureException"),
                [SignatureProblem.WrongScope] = (400, "InvalidSignatureException"),
                [SignatureProblem.Expired] = (400, "InvalidSignatureException"),
                [SignatureProblem.PayloadHashMismatch] = (400, "InvalidSignatureException"),
            },
            new()
            {
                [ViolationKind.UnknownOperation] = (400, "UnknownOperationException"),
                [ViolationKind.UnsupportedOperation] = (400, "UnsupportedOperationException"),
                // AWS JSON services do not document unknown members; ValidationException is the closest.
                [ViolationKind.UnknownParameter] = (400, "ValidationException"),
                [ViolationKind.MissingParameter] = (400, "ValidationException"),
                [ViolationKind.InvalidType] = (400, "SerializationException"),
                [ViolationKind.InvalidValue] = (400, "ValidationException"),
                [ViolationKind.MalformedBody] = (400, "SerializationException"),
            },
            (400, "ThrottlingException"),
            (500, "InternalFailure")),
        ServiceNames.SecurityHub => new ServiceDialect(
            "rest-json",
            null,
            new()
            {
                [SignatureProblem.MissingAuthentication] = (403, "MissingAuthenticationTokenException"),
                [SignatureProblem.IncompleteSignature] = (403, "IncompleteSignatureException"),
                [SignatureProblem.UnknownAccessKey] = (403, "UnrecognizedClientException"),
                [SignatureProblem.SignatureMismatch] = (403, "InvalidSignatureException"),
                [SignatureProblem.WrongScope] = (403, "InvalidSignatureException"),
                [SignatureProblem.Expired] = (403, "InvalidSignatureException"),
                [SignatureProblem.PayloadHashMismatch] = (403, "InvalidSignatureException"),
            },
            new()
            {
                // API Gateway-fronted services answer unknown routes with 404; the code name is the JSON one.
                [ViolationKind.UnknownOperation] = (404, "UnknownOperationException"),
                [ViolationKind.UnsupportedOperation] = (404, "UnknownOperationException"),
                // Security Hub's model names InvalidInputException (400) as its request-validation error.
                [ViolationKind.UnknownParameter] = (400, "InvalidInputException"),
                [ViolationKind.MissingParameter] = (400, "InvalidInputException"),
                [ViolationKind.InvalidType] = (400, "SerializationException"),
                [ViolationKind.InvalidValue] = (400, "InvalidInputException"),
                [ViolationKind.MalformedBody] = (400, "SerializationException"),
            },
            (429, "LimitExceededException"),
            (500, "InternalException")),
        ServiceNames.S3 => new ServiceDialect(
            "rest-xml",
            null,
            new()
            {
                [SignatureProblem.MissingAuthentication] = (403, "AccessDenied"),
                [SignatureProblem.IncompleteSignature] = (400, "AuthorizationHeaderMalformed"),
                [SignatureProblem.UnknownAccessKey] = (403, "InvalidAccessKeyId"),
                [SignatureProblem.SignatureMismatch] = (403, "SignatureDoesNotMatch"),
                [SignatureProblem.WrongScope] = (400, "AuthorizationHeaderMalformed"),
                [SignatureProblem.Expired] = (403, "RequestTimeTooSkewed"),
                [SignatureProblem.PayloadHashMismatch] = (400, "XAmzContentSHA256Mismatch"),
            },
            new()
            {
                [ViolationKind.UnknownOperation] = (405, "MethodNotAllowed"),
                [ViolationKind.UnsupportedOperation] = (501, "NotImplemented"),
                [ViolationKind.UnknownParameter] = (400, "InvalidArgument"),
                [ViolationKind.MissingParameter] = (400, "InvalidArgument"),
                [ViolationKind.InvalidType] = (400, "InvalidArgument"),
                [ViolationKind.InvalidValue] = (400, "InvalidArgument"),
                [ViolationKind.MalformedBody] = (400, "MalformedXML"),
            },
            (503, "SlowDown"),
            (500, "InternalError")),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Not a hosted service."),
    };

    public async Task WriteErrorAsync(HttpContext context, AwsError error, string requestId)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        byte[] body;
        switch (_protocol)
        {
            case "query":
                {
                    XNamespace ns = _xmlNamespace!;
                    body = Xml(new XElement(ns + "ErrorResponse",
                        new XElement(ns + "Error",
                            new XElement(ns + "Type", error.Status >= 500 ? "Receiver" : "Sender"),
                            new XElement(ns + "Code", error.Code),
                            new XElement(ns + "Message", error.Message)),
                        new XElement(ns + "RequestId", requestId)));
                    response.ContentType = "text/xml";
                    break;
                }
            case "ec2":
                body = Xml(new XElement("Response",
                    new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
                    new XElement("RequestID", requestId)));
                response.ContentType = "text/xml";
                break;
            case "json":
                body = Encoding.UTF8.GetBytes(new JsonObject { ["__type"] = error.Code, ["message"] = error.Message }.ToJsonString());
                response.ContentType = "application/x-amz-json-1.1";
                break;
            case "rest-json":
                body = Encoding.UTF8.GetBytes(new JsonObject { ["Code"] = error.Code, ["Message"] = error.Message }.ToJsonString());
                response.Headers["x-amzn-ErrorType"] = error.Code;
                response.ContentType = "application/json";
                break;
            default:
                body = Xml(new XElement("Error",
                    new XElement("Code", error.Code),
                    new XElement("Message", error.Message),
                    new XElement("RequestId", requestId),
                    new XElement("HostId", requestId)));
                response.ContentType = "application/xml";
                break;
        }
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["x-amz-request-id"] = requestId;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // HEAD answers carry no body; clients read the status alone.
            return;
        }
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static byte[] Xml(XElement root) => Encoding.UTF8.GetBytes(root.ToString(SaveOptions.DisableFormatting));
}
