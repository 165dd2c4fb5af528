using System.Globalization;
using System.Text.RegularExpressions;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Streams;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Rules;

/// <summary>
/// A user's rules file (YAML, or JSON, which is YAML too): rules to add, severities to override, built-ins to disable.
/// </summary>
/// <remarks>
/// <code>
/// rules:
///   - id: ACME-ROOT-ACCESS-KEY
///     title: Root access key created
///     severity: CRITICAL
///     pattern: '{ $.userIdentity.type = "Root" &amp;&amp; $.eventName = CreateAccessKey }'
///     description: ...      # optional
///     remediation: ...      # optional
///     types: [TTPs/Persistence]   # optional ASFF finding types
/// severity:
///   CIS-4.1: INFORMATIONAL
/// disable: [CIS-4.15]
/// </code>
/// Everything is validated when the file is read: unknown keys, duplicate ids, bad patterns and bad severities are
/// errors that name the rule and the line, so a broken file stops the deployment instead of silently detecting less.
/// </remarks>
public sealed partial record RuleFile
{
    /// <summary>Most bytes the compiled regexes of one file's rules may hold together (see <see cref="FilterRegex.TableBytes"/>).</summary>
    public const long MaxRegexTableBytes = 64 * 1024 * 1024;

    private const int MaxRegexesPerPattern = 2;
    private static readonly string[] TopLevelKeys = ["rules", "severity", "disable"];
    private static readonly string[] RuleKeys = ["id", "title", "severity", "description", "remediation", "pattern", "types"];

    /// <summary>The file name used in messages.</summary>
    public required string Source { get; init; }

    /// <summary>Rules the file adds.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; init; } = [];

    /// <summary>New severities by rule id.</summary>
    public IReadOnlyDictionary<string, Severity> SeverityOverrides { get; init; } = new Dictionary<string, Severity>();

    /// <summary>Ids of rules to turn off.</summary>
    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>();

    /// <summary>Reads and validates a rules file.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">The file name used in messages.</param>
    /// <param name="maxRegexTableBytes">The budget for the rules' compiled regexes together.</param>
    /// <exception cref="RuleFileException">The file is not valid.</exception>
    public static RuleFile Parse(TextReader text, string source, long maxRegexTableBytes = MaxRegexTableBytes)
    {
        var yaml = new YamlStream();
        try
        {
            var content = text.ReadToEnd();
            // YamlStream builds its nodes recursively: a file of a hundred thousand '[' would overflow the stack and
            // end the process. YamlBounds counts depth and nodes with the iterative event parser first.
            if (YamlBounds.Check(content, source) is { } problem)
            {
                throw new RuleFileException(problem);
            }
            yaml.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            throw new RuleFileException($"{source}:{e.Start.Line}: not valid YAML or JSON: {e.Message}");
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new RuleFile { Source = source };
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Error(source, yaml.Documents[0].RootNode, "the file must be a mapping with 'rules', 'severity' and/or 'disable'");
        }

        CheckKeys(source, root, TopLevelKeys, "top level");
        var rules = new List<DetectionRule>();
        if (Child(root, "rules") is { } rulesNode)
        {
            if (rulesNode is not YamlSequenceNode sequence)
            {
                throw Error(source, rulesNode, "'rules' must be a list of rules");
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            long regexBytes = 0;
            foreach (var node in sequence)
            {
                var rule = ParseRule(source, node);
                if (!ids.Add(rule.Id))
                {
                    throw Error(source, node, $"rule {rule.Id}: the id is used more than once");
                }

                regexBytes += rule.Pattern!.Regexes.Sum(r => r.TableBytes);
                if (regexBytes > maxRegexTableBytes)
                {
                    throw Error(source, node, string.Create(
                        CultureInfo.InvariantCulture,
                        $"rule {rule.Id}: the regexes of the rules up to here need {regexBytes} bytes of automaton tables, over the limit of {maxRegexTableBytes}; use fewer or smaller regexes"));
                }

                rules.Add(rule);
            }
        }

        var overrides = new Dictionary<string, Severity>(StringComparer.Ordinal);
        if (Child(root, "severity") is { } severityNode)
        {
            if (severityNode is not YamlMappingNode severities)
            {
                throw Error(source, severityNode, "'severity' must map rule ids to severities, e.g. CIS-4.1: LOW");
            }

            foreach (var (key, value) in severities.Children)
            {
                var id = Scalar(source, key, "a rule id");
                overrides[id] = ParseSeverity(source, value, $"severity of {id}");
            }
        }

        var disabled = new HashSet<string>(StringComparer.Ordinal);
        if (Child(root, "disable") is { } disableNode)
        {
            if (disableNode is not YamlSequenceNode list)
            {
                throw Error(source, disableNode, "'disable' must be a list of rule ids");
            }

            foreach (var item in list)
            {
                disabled.Add(Scalar(source, item, "a rule id"));
            }
        }

        return new RuleFile { Source = source, Rules = rules, SeverityOverrides = overrides, Disabled = disabled };
    }

    /// <summary>
    /// The rules in force: <paramref name="builtIns"/> with this file's overrides and disables applied, then the file's
    /// own rules.
    /// </summary>
    /// <exception cref="RuleFileException">The file redefines a built-in id, or names a rule that does not exist.</exception>
    public IReadOnlyList<DetectionRule> ApplyTo(IReadOnlyList<DetectionRule> builtIns)
    {
        foreach (var rule in Rules)
        {
            if (builtIns.Any(b => b.Id == rule.Id))
            {
                throw new RuleFileException($"{Source}: rule {rule.Id}: duplicates the built-in rule of that id; change a built-in with 'severity' or 'disable' instead");
            }
        }

        var all = builtIns.Concat(Rules).ToArray();
        foreach (var id in SeverityOverrides.Keys.Concat(Disabled))
        {
            if (all.All(r => r.Id != id))
            {
                throw new RuleFileException($"{Source}: rule {id}: no such rule (known: {string.Join(", ", all.Select(r => r.Id))})");
            }
        }

        return all
            .Where(r => !Disabled.Contains(r.Id))
            .Select(r => SeverityOverrides.TryGetValue(r.Id, out var severity) ? r with { Severity = severity } : r)
            .ToArray();
    }

    private static DetectionRule ParseRule(string source, YamlNode node)
    {
        if (node is not YamlMappingNode rule)
        {
            throw Error(source, node, "each rule must be a mapping with id, title, severity and pattern");
        }

        var id = Child(rule, "id") is { } idNode ? Scalar(source, idNode, "the rule id") : throw Error(source, rule, "a rule has no 'id'");
        if (!RuleId().IsMatch(id))
        {
            throw Error(source, rule, $"rule {id}: the id may contain only letters, digits, '.', '_' and '-'");
        }

        CheckKeys(source, rule, RuleKeys, $"rule {id}");
        string Required(string key) => Child(rule, key) is { } value
            ? Scalar(source, value, $"rule {id}: '{key}'")
            : throw Error(source, rule, $"rule {id}: '{key}' is required");
        string Optional(string key) => Child(rule, key) is { } value ? Scalar(source, value, $"rule {id}: '{key}'") : string.Empty;

        var title = Required("title");
        var severity = ParseSeverity(source, Child(rule, "severity") ?? throw Error(source, rule, $"rule {id}: 'severity' is required"), $"rule {id}: severity");
        var patternNode = Child(rule, "pattern") ?? throw Error(source, rule, $"rule {id}: 'pattern' is required");
        FilterPattern pattern;
        try
        {
            pattern = FilterPattern.Parse(Scalar(source, patternNode, $"rule {id}: 'pattern'"));
        }
        catch (FilterPatternException e)
        {
            throw Error(source, patternNode, $"rule {id}: {e.Message}");
        }

        // A user's rule should stay deployable as a CloudWatch metric filter, which allows at most two regexes.
        if (pattern.Regexes.Count > MaxRegexesPerPattern)
        {
            throw Error(source, patternNode, $"rule {id}: the pattern has {pattern.Regexes.Count} regexes; CloudWatch allows at most {MaxRegexesPerPattern}");
        }

        var types = new List<string>();
        if (Child(rule, "types") is { } typesNode)
        {
            if (typesNode is not YamlSequenceNode typeList)
            {
                throw Error(source, typesNode, $"rule {id}: 'types' must be a list of ASFF finding types");
            }

            types.AddRange(typeList.Select(t => Scalar(source, t, $"rule {id}: a finding type")));
        }

        return new DetectionRule(id, title, severity, Optional("description"), Optional("remediation"), pattern) { FindingTypes = types };
    }

    private static Severity ParseSeverity(string source, YamlNode node, string what)
    {
        var label = Scalar(source, node, what);
        return SeverityLabels.TryParse(label, out var severity)
            ? severity
            : throw Error(source, node, $"{what}: '{label}' is not a severity (use {string.Join(", ", SeverityLabels.All)})");
    }

    private static void CheckKeys(string source, YamlMappingNode mapping, string[] allowed, string where)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
            {
                throw Error(source, key, $"{where}: unknown key '{name}' (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string Scalar(string source, YamlNode node, string what) => node is YamlScalarNode { Value: { Length: > 0 } value }
        ? value
        : throw Error(source, node, $"{what} must be a non-empty text value");

    private static RuleFileException Error(string source, YamlNode node, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}:{node.Start.Line}: {message}"));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleId();
}
