using System.CommandLine;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using TrailResponder.LogProcessor;

namespace TrailResponder.Cli;

/// <summary>
/// The options every command that evaluates rules takes: <c>--rules PATH</c> (repeatable: a rules file, a Sigma file,
/// or a folder of either), <c>--strict</c> and <c>--placeholder NAME=VALUE</c>.
/// </summary>
internal sealed class RuleOptions
{
    public Option<string[]> Rules { get; } = new("--rules")
    {
        Description = "A rules file, a Sigma rule or a folder of either, run beside the built-ins (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Strict { get; } = new("--strict")
    {
        Description = "Treat skipped Sigma constructs (correlation rules, filters) as errors",
    };

    public Option<string[]> Placeholders { get; } = new("--placeholder")
    {
        Description = "A value for a Sigma %NAME% placeholder (expand), as NAME=VALUE (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public IEnumerable<Option> All => [Rules, Strict, Placeholders];

    /// <summary>
    /// Loads the built-ins and the rules named on the command line; prints one line per source and every error.
    /// Null when some rule is wrong (the caller exits with <see cref="ExitCodes.Usage"/>).
    /// </summary>
    public RuleCatalog? Load(ParseResult parse, TextWriter error, bool summary = true)
    {
        var placeholders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in parse.GetValue(Placeholders) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error.WriteLine($"error: --placeholder '{pair}' is not NAME=VALUE");
                return null;
            }

            (placeholders.TryGetValue(pair[..equals], out var values) ? values : placeholders[pair[..equals]] = []).Add(pair[(equals + 1)..]);
        }

        var loader = new RuleLoader(new SigmaReadOptions(parse.GetValue(Strict), placeholders.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value)));
        foreach (var path in parse.GetValue(Rules) ?? [])
        {
            AddLocal(loader, path);
        }

        var catalog = loader.Build(BuiltInRules.All);
        if (summary)
        {
            foreach (var line in catalog.Report.Summary())
            {
                error.WriteLine($"rules: {line}");
            }
        }

        foreach (var problem in catalog.Report.Errors)
        {
            error.WriteLine($"error: {problem}");
        }

        return catalog.Report.HasErrors ? null : catalog;
    }

    // Read as the LogProcessor reads RULES_LOCATION: a file whatever its name, a folder's .yml/.yaml files recursively.
    private static void AddLocal(RuleLoader loader, string path)
    {
        try
        {
            loader.Add(path, RuleLocations.ReadLocalAsync(path).GetAwaiter().GetResult());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            loader.AddError(path, e.Message);
        }
    }
}
