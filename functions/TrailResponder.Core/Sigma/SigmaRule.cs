using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Sigma;

/// <summary>One Sigma detection rule for CloudTrail, parsed and checked.</summary>
public sealed record SigmaRule
{
    /// <summary>The finding's rule id: the rule's <c>id</c>, else its file name without extension.</summary>
    public required string RuleId { get; init; }

    /// <summary>The rule's <c>title</c>.</summary>
    public required string Title { get; init; }

    /// <summary>What the rule tests.</summary>
    public required SigmaDetection Detection { get; init; }

    /// <summary>Where the rule is written, <c>file:line</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The rule's <c>description</c>; empty when it has none.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The severity its <c>level</c> gives (<c>medium</c> when it has none).</summary>
    public Severity Severity { get; init; } = Severity.Medium;

    /// <summary>The rule's <c>status</c>, e.g. <c>test</c>; null when it has none.</summary>
    public string? Status { get; init; }

    /// <summary>The rule's <c>tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The rule's <c>references</c>.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The rule's <c>falsepositives</c>.</summary>
    public IReadOnlyList<string> FalsePositives { get; init; } = [];

    /// <summary>The rule as TrailResponder runs it: ATT&amp;CK tags become finding types, techniques and tactics.</summary>
    public DetectionRule ToDetectionRule()
    {
        var tactics = AttackTags.TacticNames(Tags);
        return new DetectionRule(RuleId, Title, Severity, Description, string.Empty, Detection)
        {
            FindingTypes = AttackTags.FindingTypes(tactics),
            AttackTactics = tactics,
            AttackTechniques = AttackTags.Techniques(Tags),
            FalsePositives = FalsePositives,
            References = References,
            Source = Source,
        };
    }
}

/// <summary>Why a rule document was not loaded, without being an error.</summary>
public enum SigmaSkipReason
{
    /// <summary>The rule is for another log type than CloudTrail.</summary>
    OtherLogSource,

    /// <summary>Its status is <c>deprecated</c> or <c>unsupported</c>.</summary>
    Deprecated,

    /// <summary>A correlation rule: these come with stateful detection.</summary>
    Correlation,

    /// <summary>A Sigma filter (a meta rule that amends other rules).</summary>
    Filter,
}

/// <summary>A rule document that was not loaded, and why.</summary>
/// <param name="Source">Where it is written, <c>file:line</c>.</param>
/// <param name="Title">Its title (or name).</param>
/// <param name="Reason">The kind of skip.</param>
/// <param name="Note">The details, e.g. the logsource it is for.</param>
public sealed record SigmaSkip(string Source, string Title, SigmaSkipReason Reason, string Note)
{
    /// <summary>Skips of constructs TrailResponder does not run yet; <c>--strict</c> makes them errors.</summary>
    public bool IsUnsupportedConstruct => Reason is SigmaSkipReason.Correlation or SigmaSkipReason.Filter;
}

/// <summary>What reading one Sigma file gave: rules, skipped documents, and errors (<c>file:line: ...</c>).</summary>
public sealed record SigmaFile(string Source, IReadOnlyList<SigmaRule> Rules, IReadOnlyList<SigmaSkip> Skipped, IReadOnlyList<string> Errors);

/// <summary>How Sigma files are read.</summary>
/// <param name="Strict">Correlation rules and filters are errors instead of skips.</param>
/// <param name="Placeholders">Values of the <c>%name%</c> placeholders for the <c>expand</c> modifier.</param>
public sealed record SigmaReadOptions(bool Strict, IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders)
{
    /// <summary>Not strict, no placeholders.</summary>
    public static SigmaReadOptions Default { get; } = new(false, new Dictionary<string, IReadOnlyList<string>>());
}
