using System.Text.Json;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>Reads <see cref="SecurityGroupPolicyOptions"/> from a JSON file or environment variables and checks every value.</summary>
/// <remarks>Both sources go through the same per-setting parsers, so that a value means the same thing in either.</remarks>
internal static class SecurityGroupPolicyOptionsReader
{
    private delegate SecurityGroupPolicyOptions Apply(SecurityGroupPolicyOptions options, string name, IReadOnlyList<string> values, List<string> problems);

    private sealed record Setting(string JsonKey, string EnvironmentKey, Apply Apply);

    private static readonly Setting[] Settings =
    [
        new("allowedIngressPorts", "ALLOWED_INGRESS_PORTS", (o, n, v, p) => o with { AllowedIngressPorts = Ports(n, v, p) }),
        new("allowedIngressUdpPorts", "ALLOWED_INGRESS_UDP_PORTS", (o, n, v, p) => o with { AllowedIngressUdpPorts = Ports(n, v, p) }),
        new("forbiddenPorts", "FORBIDDEN_PORTS", (o, n, v, p) => o with { ForbiddenPorts = Ports(n, v, p) }),
        new("checkEgress", "CHECK_EGRESS", (o, n, v, p) => o with { CheckEgress = Flag(n, v, p, o.CheckEgress) }),
        new("allowWorldIcmp", "ALLOW_WORLD_ICMP", (o, n, v, p) => o with { AllowWorldIcmp = Flag(n, v, p, o.AllowWorldIcmp) }),
        new("exemptGroupIds", "EXEMPT_GROUP_IDS", (o, _, v, _) => o with { ExemptGroupIds = Texts(v) }),
        new("exemptTag", "EXEMPT_TAG", (o, n, v, p) => o with { ExemptTag = Tag(n, v, p) }),
        new("exemptPrincipals", "EXEMPT_PRINCIPALS", (o, _, v, _) => o with { ExemptPrincipals = Texts(v) }),
        new("responderRoleArn", "RESPONDER_ROLE_ARN", (o, n, v, p) => o with { ResponderRoleArn = Single(n, v, p) }),
    ];

    public static SecurityGroupPolicyOptions FromJson(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // The parser's message ends with its zero-based position; the one-based one is given first.
            var position = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var message = position < 0 ? e.Message : e.Message[..position];
            throw new SecurityGroupPolicyException($"not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SecurityGroupPolicyException("expected a JSON object of settings");
            }

            var problems = new List<string>();
            var options = SecurityGroupPolicyOptions.Default;
            foreach (var property in root.EnumerateObject())
            {
                var setting = Array.Find(Settings, s => s.JsonKey == property.Name);
                if (setting is null)
                {
                    problems.Add($"unknown key '{property.Name}' (known: {string.Join(", ", Array.ConvertAll(Settings, s => s.JsonKey))})");
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Null && JsonValues(property.Name, property.Value, problems) is { } values)
                {
                    options = setting.Apply(options, property.Name, values, problems);
                }
            }

            return Checked(options, problems, useEnvironmentNames: false);
        }
    }

    public static SecurityGroupPolicyOptions FromEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var problems = new List<string>();
        var options = SecurityGroupPolicyOptions.Default;
        foreach (var setting in Settings)
        {
            // An empty variable is how templates say "not set": keep the default.
            if (variables.TryGetValue(setting.EnvironmentKey, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                options = setting.Apply(options, setting.EnvironmentKey, Split(text), problems);
            }
        }

        return Checked(options, problems, useEnvironmentNames: true);
    }

    public static IReadOnlyList<string> Validate(SecurityGroupPolicyOptions options) => Validate(options, useEnvironmentNames: false);

    private static SecurityGroupPolicyOptions Checked(SecurityGroupPolicyOptions options, List<string> problems, bool useEnvironmentNames)
    {
        problems.AddRange(Validate(options, useEnvironmentNames));
        return problems.Count == 0 ? options : throw new SecurityGroupPolicyException(problems);
    }

    private static List<string> Validate(SecurityGroupPolicyOptions options, bool useEnvironmentNames)
    {
        ArgumentNullException.ThrowIfNull(options);
        string Name(string jsonKey)
        {
            var setting = Array.Find(Settings, s => s.JsonKey == jsonKey)!;
            return useEnvironmentNames ? setting.EnvironmentKey : setting.JsonKey;
        }

        var problems = new List<string>();

        foreach (var groupId in options.ExemptGroupIds)
        {
            if (!IsGroupId(groupId))
            {
                problems.Add($"{Name("exemptGroupIds")}: '{groupId}' is not a security group id (sg- followed by hex digits)");
            }
        }

        if (options.ExemptTag is { } tag && (tag.Key.Length == 0 || tag.Key.Length > 128))
        {
            problems.Add($"{Name("exemptTag")}: '{tag}' needs a tag key of 1-128 characters");
        }

        foreach (var pattern in options.ExemptPrincipals)
        {
            if (!pattern.StartsWith("arn:", StringComparison.Ordinal))
            {
                problems.Add($"{Name("exemptPrincipals")}: '{pattern}' is not an ARN pattern (expected e.g. arn:aws:iam::111122223333:role/deploy-*)");
            }
            else if (pattern.AsSpan(4).Trim('*').Length == 0)
            {
                problems.Add($"{Name("exemptPrincipals")}: '{pattern}' would exempt every principal");
            }
        }

        if (options.ResponderRoleArn is { } role
            && (!role.StartsWith("arn:", StringComparison.Ordinal) || !role.Contains(":role/", StringComparison.Ordinal) || role.Contains('*', StringComparison.Ordinal)))
        {
            problems.Add($"{Name("responderRoleArn")}: '{role}' is not an IAM role ARN (expected e.g. arn:aws:iam::111122223333:role/TrailResponder)");
        }

        return problems;
    }

    private static bool IsGroupId(string text)
    {
        if (!text.StartsWith("sg-", StringComparison.Ordinal) || text.Length == 3)
        {
            return false;
        }

        foreach (var c in text.AsSpan(3))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static List<string>? JsonValues(string name, JsonElement value, List<string> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Split(value.GetString()!);
            case JsonValueKind.Number:
                return [value.GetRawText()];
            case JsonValueKind.True:
                return ["true"];
            case JsonValueKind.False:
                return ["false"];
            case JsonValueKind.Array:
                var values = new List<string>();
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        values.Add(item.GetString()!.Trim());
                    }
                    else if (item.ValueKind == JsonValueKind.Number)
                    {
                        values.Add(item.GetRawText());
                    }
                    else
                    {
                        problems.Add($"{name}: list items must be strings or numbers, found {item.GetRawText()}");
                        return null;
                    }
                }

                return values;
            default:
                problems.Add($"{name}: expected a string, number, boolean or list, found {value.GetRawText()}");
                return null;
        }
    }

    private static List<string> Split(string text)
    {
        var values = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            values.Add(part);
        }

        return values;
    }

    private static bool IsNone(IReadOnlyList<string> values) =>
        values.Count == 1 && values[0].Equals("none", StringComparison.OrdinalIgnoreCase);

    private static PortRange[] Ports(string name, IReadOnlyList<string> values, List<string> problems)
    {
        if (IsNone(values))
        {
            return [];
        }

        var ranges = new List<PortRange>();
        foreach (var value in values)
        {
            if (PortRange.TryParse(value, out var range))
            {
                ranges.Add(range);
            }
            else
            {
                problems.Add($"{name}: '{value}' is not a port or port range (0-65535, e.g. 443 or 8000-8080)");
            }
        }

        return [.. ranges];
    }

    private static bool Flag(string name, IReadOnlyList<string> values, List<string> problems, bool current)
    {
        if (values.Count == 1 && bool.TryParse(values[0], out var flag))
        {
            return flag;
        }

        problems.Add($"{name}: '{string.Join(",", values)}' is not true or false");
        return current;
    }

    private static string[] Texts(IReadOnlyList<string> values) => IsNone(values) ? [] : [.. values];

    private static string? Single(string name, IReadOnlyList<string> values, List<string> problems)
    {
        if (values.Count == 1)
        {
            return values[0];
        }

        problems.Add($"{name}: '{string.Join(",", values)}' must be a single value");
        return null;
    }

    private static SecurityGroupTagCondition? Tag(string name, IReadOnlyList<string> values, List<string> problems)
    {
        var text = string.Join(",", values);
        if (IsNone(values))
        {
            return null;
        }

        var tag = values.Count == 1 ? SecurityGroupTagCondition.TryParse(text) : null;
        if (tag is null)
        {
            problems.Add($"{name}: '{text}' is not Key=Value or Key (or none)");
        }

        return tag;
    }
}
