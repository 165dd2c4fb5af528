using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TrailResponder.LocalAws.Models;

namespace TrailResponder.LocalAws;

/// <summary>Finds the operation a request calls and maps its parameters onto the operation's input shape, per the service's protocol.</summary>
internal static class OperationReader
{
    public static (OperationModel Operation, JsonObject Input) Read(ServiceModel model, HttpRequest request, string rawTarget, byte[] body)
    {
        var questionMark = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = questionMark < 0 ? rawTarget : rawTarget[..questionMark];
        var rawQuery = questionMark < 0 ? "" : rawTarget[(questionMark + 1)..];
        switch (model.Protocol)
        {
            case "query" or "ec2":
                {
                    var form = ParsePairs(body.Length > 0 ? Encoding.UTF8.GetString(body) : rawQuery, plusIsSpace: true);
                    if (!form.TryGetValue("Action", out var action))
                    {
                        throw new ModelViolationException(ViolationKind.UnknownOperation, "The request must contain the parameter Action");
                    }
                    var operation = model.FindOperation(action)
                        ?? throw new ModelViolationException(ViolationKind.UnknownOperation, $"The action {action} is not valid for this web service.");
                    if (!form.TryGetValue("Version", out var version))
                    {
                        throw new ModelViolationException(ViolationKind.MissingParameter, "The request must contain the parameter Version");
                    }
                    if (version != model.ApiVersion)
                    {
                        // Query APIs resolve the action per API version, so another version has no such operation.
                        throw new ModelViolationException(ViolationKind.UnknownOperation, $"Could not find operation {action} for version {version}");
                    }
                    return (operation, InputOf(model, operation, shape => QueryInputReader.Read(shape, form, model.Protocol == "ec2")));
                }
            case "json":
                {
                    var target = request.Headers["X-Amz-Target"].ToString();
                    var prefix = model.TargetPrefix + ".";
                    var operation = target.StartsWith(prefix, StringComparison.Ordinal) ? model.FindOperation(target[prefix.Length..]) : null;
                    if (operation is null)
                    {
                        throw new ModelViolationException(ViolationKind.UnknownOperation, $"Operation '{target}' is not known.");
                    }
                    return (operation, InputOf(model, operation, shape => JsonInputReader.Read(shape, body)));
                }
            default:
                {
                    var query = ParsePairs(rawQuery, plusIsSpace: false);
                    var match = RestOperationMatcher.Match(model, request.Method, rawPath, query, request.Headers)
                        ?? throw new ModelViolationException(ViolationKind.UnknownOperation, $"No operation of this service matches {request.Method} {rawPath}.");
                    return (match.Operation, InputOf(model, match.Operation, shape => RestInputReader.Read(shape, match, query, request.Headers, body, model.Protocol == "rest-json")));
                }
        }
    }

    private static JsonObject InputOf(ServiceModel model, OperationModel operation, Func<Shape, JsonObject> read) =>
        operation.InputShape is null ? [] : read(model.Shape(operation.InputShape));

    private static Dictionary<string, string> ParsePairs(string text, bool plusIsSpace)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            pairs[Decode(name, plusIsSpace)] = Decode(value, plusIsSpace);
        }
        return pairs;
    }

    private static string Decode(string text, bool plusIsSpace) =>
        Uri.UnescapeDataString(plusIsSpace ? text.Replace('+', ' ') : text);
}
