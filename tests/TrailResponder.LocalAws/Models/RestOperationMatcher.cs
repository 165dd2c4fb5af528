namespace TrailResponder.LocalAws.Models;

/// <summary>An operation chosen by its HTTP binding, with the URI labels taken from the path.</summary>
internal sealed record RestMatch(OperationModel Operation, IReadOnlyDictionary<string, string> Labels, IReadOnlySet<string> LiteralQueryKeys);

/// <summary>Finds the rest-json / rest-xml operation whose method, path template and literal query best fit a request.</summary>
internal static class RestOperationMatcher
{
    // SDKs add x-id=Operation to some S3 URIs as a hint; its presence or absence never changes the operation.
    private const string OperationHint = "x-id";

    public static RestMatch? Match(ServiceModel model, string method, string rawPath, IReadOnlyDictionary<string, string> query, Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        RestMatch? best = null;
        var bestScore = -1;
        foreach (var operation in model.Operations)
        {
            if (!string.Equals(operation.HttpMethod, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var match = TryMatch(operation, rawPath, query, out var score);
            if (match is null)
            {
                continue;
            }
            // Operations sharing a URI (PutObject / CopyObject) differ by a required header such as x-amz-copy-source.
            var requiredHeaders = operation.InputShape is null
                ? []
                : model.Shape(operation.InputShape).Members.Where(m => m.Location == "header" && model.Shape(operation.InputShape).Required.Contains(m.Name)).ToList();
            if (requiredHeaders.Any(m => !headers.ContainsKey(m.LocationName ?? m.Name)))
            {
                continue;
            }
            score += 100 * requiredHeaders.Count;
            if (score > bestScore)
            {
                best = match;
                bestScore = score;
            }
        }
        return best;
    }

    private static RestMatch? TryMatch(OperationModel operation, string rawPath, IReadOnlyDictionary<string, string> query, out int score)
    {
        score = 0;
        var template = operation.RequestUri;
        var questionMark = template.IndexOf('?', StringComparison.Ordinal);
        var pathTemplate = questionMark < 0 ? template : template[..questionMark];
        var queryTemplate = questionMark < 0 ? "" : template[(questionMark + 1)..];

        var literalKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in queryTemplate.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            literalKeys.Add(key);
            if (key == OperationHint)
            {
                continue;
            }
            if (!query.TryGetValue(key, out var actual) || (equals >= 0 && actual != pair[(equals + 1)..]))
            {
                return null;
            }
            score += 10;
        }

        var templateSegments = pathTemplate.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        var segments = path.Length == 0 ? [] : path.Split('/');
        if (segments.Length > 0 && segments[^1].Length == 0 && !templateSegments.Any(t => t.EndsWith("+}", StringComparison.Ordinal)))
        {
            segments = segments[..^1];
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < templateSegments.Length; i++)
        {
            var part = templateSegments[i];
            if (part.StartsWith('{') && part.EndsWith("+}", StringComparison.Ordinal))
            {
                var rest = string.Join('/', segments.Skip(i));
                if (rest.Length == 0)
                {
                    return null;
                }
                labels[part[1..^2]] = Uri.UnescapeDataString(rest);
                return new RestMatch(operation, labels, literalKeys);
            }
            if (i >= segments.Length || segments[i].Length == 0)
            {
                return null;
            }
            if (part.StartsWith('{'))
            {
                labels[part[1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (part == segments[i])
            {
                score++;
            }
            else
            {
                return null;
            }
        }
        return segments.Length == templateSegments.Length ? new RestMatch(operation, labels, literalKeys) : null;
    }
}
