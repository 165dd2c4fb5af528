using TrailResponder.Core.Sigma;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Rules;

/// <summary>
/// Loads the rules of every <c>--rules</c> source (or <c>RULES_LOCATION</c>): TrailResponder rules files and Sigma
/// files, told apart by content, then puts them together with the built-ins, applying severities and disables by id.
/// </summary>
/// <remarks>
/// Every problem is collected, never thrown, so one run reports all of them; the caller refuses to run with any.
/// A rules file is a map whose top level holds <c>rules</c>, <c>severity</c> or <c>disable</c>; anything else is read
/// as Sigma.
/// </remarks>
public sealed class RuleLoader(SigmaReadOptions options)
{
    /// <summary>The most Sigma rules loaded in all.</summary>
    public const int MaxSigmaRules = 5_000;

    private static readonly string[] RuleFileKeys = ["rules", "severity", "disable"];
    private readonly List<LoadedSource> _sources = [];

    /// <summary>Reads the files of one source (a file or a folder, as given).</summary>
    public void Add(string source, IReadOnlyList<RuleText> files)
    {
        var loaded = new LoadedSource(source) { Files = files.Count };
        _sources.Add(loaded);
        foreach (var file in files)
        {
            Read(file, loaded);
        }
    }

    /// <summary>Records that a source could not be read at all (missing, unreadable, too large).</summary>
    public void AddError(string source, string message) => _sources.Add(new LoadedSource(source) { Errors = { message } });

    /// <summary>The rules in force: the built-ins, then each source's rules, with severities and disables applied.</summary>
    public RuleCatalog Build(IReadOnlyList<DetectionRule> builtIns)
    {
        var errors = new List<string>();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = new List<DetectionRule>();
        void Add(DetectionRule rule, string where)
        {
            if (origins.TryGetValue(rule.Id, out var first))
            {
                errors.Add($"{where}: rule {rule.Id}: the id is already used by {first}; change a rule with 'severity' or 'disable' instead of redefining it");
                return;
            }

            origins[rule.Id] = where;
            rules.Add(rule);
        }

        foreach (var rule in builtIns)
        {
            Add(rule, "the built-in rule " + rule.Id);
        }

        foreach (var source in _sources)
        {
            foreach (var file in source.RuleFiles)
            {
                foreach (var rule in file.Rules)
                {
                    Add(rule with { Source = file.Source }, file.Source);
                }
            }

            foreach (var sigma in source.SigmaRules)
            {
                Add(sigma.ToDetectionRule(), $"{sigma.Source}: '{sigma.Title}'");
            }
        }

        var sigmaCount = _sources.Sum(s => s.SigmaRules.Count);
        if (sigmaCount > MaxSigmaRules)
        {
            errors.Add($"{sigmaCount:N0} Sigma rules: at most {MaxSigmaRules:N0} can be loaded");
        }

        var (severities, disabled) = Overrides(origins, errors);
        var inForce = rules
            .Where(r => !disabled.Contains(r.Id))
            .Select(r => severities.TryGetValue(r.Id, out var severity) ? r with { Severity = severity } : r)
            .ToArray();
        var reports = _sources.Select(s => s.Report()).ToArray();
        return new RuleCatalog(inForce, new RuleLoadReport(reports, [.. reports.SelectMany(r => r.Errors), .. errors]));
    }

    private (Dictionary<string, Severity> Severities, HashSet<string> Disabled) Overrides(Dictionary<string, string> known, List<string> errors)
    {
        var severities = new Dictionary<string, Severity>(StringComparer.Ordinal);
        var severitySources = new Dictionary<string, string>(StringComparer.Ordinal);
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in _sources.SelectMany(s => s.RuleFiles))
        {
            foreach (var id in file.SeverityOverrides.Keys.Concat(file.Disabled).Where(id => !known.ContainsKey(id)).Distinct())
            {
                errors.Add($"{file.Source}: rule {id}: no such rule (not built in, and in no rules source)");
            }

            foreach (var (id, severity) in file.SeverityOverrides)
            {
                if (severities.TryGetValue(id, out var earlier) && earlier != severity)
                {
                    errors.Add($"{file.Source}: severity of {id}: {severity.ToLabel()}, but {severitySources[id]} sets {earlier.ToLabel()}");
                }

                severities[id] = severity;
                severitySources[id] = file.Source;
            }

            disabled.UnionWith(file.Disabled);
        }

        return (severities, disabled);
    }

    private void Read(RuleText file, LoadedSource source)
    {
        var yaml = new YamlStream();
        try
        {
            if (YamlBounds.Check(file.Text, file.Path) is { } problem)
            {
                source.Errors.Add(problem);
                return;
            }

            yaml.Load(new StringReader(file.Text));
        }
        catch (YamlException e)
        {
            source.Errors.Add($"{file.Path}:{e.Start.Line}: not valid YAML: {e.Message}");
            return;
        }

        if (yaml.Documents.Count == 0)
        {
            return;
        }

        if (yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.Keys.Any(k => k is YamlScalarNode { Value: { } key } && RuleFileKeys.Contains(key))
            && !root.Children.ContainsKey(new YamlScalarNode("detection")))
        {
            try
            {
                source.RuleFiles.Add(RuleFile.Parse(new StringReader(file.Text), file.Path));
            }
            catch (RuleFileException e)
            {
                source.Errors.Add(e.Message);
            }

            return;
        }

        var sigma = SigmaFileReader.Read(file.Path, yaml, options);
        source.SigmaRules.AddRange(sigma.Rules);
        source.Skipped.AddRange(sigma.Skipped);
        source.Errors.AddRange(sigma.Errors);
    }

    /// <summary>What one source gave, as it is read.</summary>
    private sealed class LoadedSource(string source)
    {
        public int Files { get; init; }

        public List<RuleFile> RuleFiles { get; } = [];

        public List<SigmaRule> SigmaRules { get; } = [];

        public List<SigmaSkip> Skipped { get; } = [];

        public List<string> Errors { get; init; } = [];

        public RuleSourceReport Report() => new(
            source,
            Files,
            SigmaRules.Count,
            RuleFiles.Sum(f => f.Rules.Count),
            RuleFiles.Sum(f => f.SeverityOverrides.Count),
            RuleFiles.Sum(f => f.Disabled.Count),
            Skipped,
            Errors);
    }
}
