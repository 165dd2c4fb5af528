using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.Template;

/// <summary>One thing a function needs IAM to allow: an action on a resource, with the condition values the request carries.</summary>
/// <param name="Action">service:Action as IAM names it.</param>
/// <param name="Resource">The ARN IAM evaluates.</param>
/// <param name="Context">Condition keys the request sets (s3:prefix for listings).</param>
/// <param name="Source">The request it came from, for messages.</param>
public sealed record IamRequirement(string Action, string Resource, IReadOnlyDictionary<string, string> Context, string Source);

/// <summary>One Allow statement of a function's inline policy, resolved.</summary>
/// <param name="Sid">Its Sid.</param>
/// <param name="Actions">Its actions (IAM wildcards allowed).</param>
/// <param name="Resources">Its resources (IAM wildcards allowed).</param>
/// <param name="Condition">Its condition block, if any.</param>
public sealed record IamStatement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject? Condition)
{
    /// <summary>Whether this statement allows <paramref name="requirement"/>: action, resource and condition all match.</summary>
    public bool Allows(IamRequirement requirement) => AllowsAction(requirement.Action)
        && Resources.Any(r => IamPattern.Matches(r, requirement.Resource, ignoreCase: false))
        && ConditionHolds(requirement.Context);

    /// <summary>Whether the statement names an action pattern that matches <paramref name="action"/>.</summary>
    public bool AllowsAction(string action) => Actions.Any(a => IamPattern.Matches(a, action, ignoreCase: true));

    // Only the operators this template uses are understood; any other makes the statement match nothing, so a test fails.
    private bool ConditionHolds(IReadOnlyDictionary<string, string> context)
    {
        foreach (var (op, keys) in Condition ?? [])
        {
            foreach (var (key, expected) in keys!.AsObject())
            {
                var values = expected is JsonArray list ? list.Select(v => v!.ToString()).ToList() : [expected!.ToString()];
                if (!context.TryGetValue(key, out var actual))
                {
                    return false;
                }

                var holds = op switch
                {
                    "StringEquals" => values.Contains(actual, StringComparer.Ordinal),
                    "StringLike" => values.Any(v => IamPattern.Matches(v, actual, ignoreCase: false)),
                    _ => false,
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }
}

/// <summary>IAM's wildcard matching: <c>*</c> any run of characters, <c>?</c> one character.</summary>
public static class IamPattern
{
    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase) =>
        Regex.IsMatch(
            value,
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline,
            TimeSpan.FromSeconds(1));
}

/// <summary>A function's resolved inline policies, and the IAM requirements of the requests it made.</summary>
public static class IamPolicy
{
    /// <summary>What the template's GetAtt of the topic key stands for in the tests.</summary>
    public const string TopicKeyArn = "arn:aws:kms:us-east-1:111122223333:key/0f0f0f0f-0000-4000-8000-00000000000a";

    /// <summary>What the template's GetAtt of the trail key stands for in the tests.</summary>
    public const string TrailKeyArn = "arn:aws:kms:us-east-1:111122223333:key/0f0f0f0f-0000-4000-8000-00000000000b";

    /// <summary>The Allow statements of <paramref name="function"/>'s inline policies for these parameters.</summary>
    public static IReadOnlyList<IamStatement> Statements(SamTemplate template, SamFunction function, IReadOnlyDictionary<string, string> parameters, string topicArn)
    {
        var evaluator = new TemplateEvaluator(
            template.Document,
            parameters,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FindingsTopic"] = topicArn,
                ["TopicKey.Arn"] = TopicKeyArn,
                ["TrailKey.Arn"] = TrailKeyArn,
            },
            FunctionExercise.AccountId);
        var statements = new List<IamStatement>();
        foreach (var policy in evaluator.Resolve(function.Properties["Policies"])?.AsArray() ?? [])
        {
            foreach (var statement in policy!["Statement"]!.AsArray())
            {
                if (statement!["Effect"]!.GetValue<string>() != "Allow")
                {
                    continue;
                }

                statements.Add(new IamStatement(
                    statement["Sid"]?.GetValue<string>() ?? "(no Sid)",
                    List(statement["Action"]),
                    List(statement["Resource"]),
                    statement["Condition"]?.AsObject()));
            }
        }

        return statements;
    }

    /// <summary>
    /// The IAM requirements of <paramref name="requests"/>: each AWS call mapped to its IAM action and resource, plus the
    /// KMS calls the services make for the caller (publishing to the KMS-encrypted topic needs kms:GenerateDataKey* and
    /// kms:Decrypt on its key; reading an SSE-KMS object needs kms:Decrypt on the bucket's key).
    /// </summary>
    public static IReadOnlyList<IamRequirement> Requirements(IEnumerable<RecordedRequest> requests, string region, string? trailKeyArn)
    {
        var requirements = new List<IamRequirement>();
        foreach (var request in requests)
        {
            var source = $"{request.Service} {request.Operation}";
            var p = request.Parameters;
            switch (request.Service, request.Operation)
            {
                case (ServiceNames.S3, "GetObject" or "HeadObject"):
                    requirements.Add(new(
                        "s3:GetObject", $"arn:aws:s3:::{Text(p, "Bucket")}/{Text(p, "Key")}", NoContext, source));
                    if (trailKeyArn is not null)
                    {
                        requirements.Add(new("kms:Decrypt", trailKeyArn, NoContext, source + " (SSE-KMS)"));
                    }

                    break;
                case (ServiceNames.S3, "ListObjectsV2"):
                    requirements.Add(new(
                        "s3:ListBucket",
                        $"arn:aws:s3:::{Text(p, "Bucket")}",
                        new Dictionary<string, string>(StringComparer.Ordinal) { ["s3:prefix"] = Optional(p, "Prefix") ?? string.Empty },
                        source));
                    break;
                case (ServiceNames.Sns, "Publish"):
                    requirements.Add(new("sns:Publish", Text(p, "TopicArn"), NoContext, source));
                    requirements.Add(new("kms:GenerateDataKey", TopicKeyArn, NoContext, source + " (encrypted topic)"));
                    requirements.Add(new("kms:Decrypt", TopicKeyArn, NoContext, source + " (encrypted topic)"));
                    break;
                case (ServiceNames.SecurityHub, "BatchImportFindings"):
                    foreach (var product in p.GetProperty("Findings").EnumerateArray().Select(f => f.GetProperty("ProductArn").GetString()!).Distinct(StringComparer.Ordinal))
                    {
                        requirements.Add(new("securityhub:BatchImportFindings", product, NoContext, source));
                    }

                    break;
                case (ServiceNames.Ec2, "RevokeSecurityGroupIngress" or "RevokeSecurityGroupEgress"):
                    requirements.Add(new(
                        "ec2:" + request.Operation,
                        $"arn:aws:ec2:{region}:{FunctionExercise.AccountId}:security-group/{Text(p, "GroupId")}",
                        NoContext,
                        source));
                    break;
                case (ServiceNames.Ec2, _):
                    // EC2's Describe calls have no resource-level permissions: IAM evaluates them against "*".
                    requirements.Add(new("ec2:" + request.Operation, "*", NoContext, source));
                    break;
                case (ServiceNames.CloudTrail, "ListPublicKeys"):
                    requirements.Add(new("cloudtrail:ListPublicKeys", "*", NoContext, source));
                    break;
                default:
                    throw new NotSupportedException($"No IAM mapping for {source}: add it here.");
            }
        }

        return requirements;
    }

    private static IReadOnlyDictionary<string, string> NoContext { get; } = new Dictionary<string, string>();

    private static string Text(JsonElement parameters, string name) =>
        Optional(parameters, name) ?? throw new InvalidOperationException($"The request has no {name}: {parameters}");

    private static string? Optional(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static List<string> List(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(item => item!.ToString())],
        null => [],
        _ => [node.ToString()],
    };
}
