using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Rules;

public class RuleFileTests
{
    private static RuleFile Parse(string text) => RuleFile.Parse(new StringReader(text), "rules.yaml");

    private static string ErrorOf(string text) => Assert.Throws<RuleFileException>(() => Parse(text).ApplyTo(BuiltInRules.All)).Message;

    [Fact]
    public void A_yaml_file_adds_rules_overrides_severities_and_disables_built_ins()
    {
        var file = Parse("""
            rules:
              - id: ACME-ROOT-KEY
                title: Root access key created
                severity: critical
                description: Root should have no access keys.
                remediation: Delete the key.
                pattern: '{ $.userIdentity.type = "Root" && $.eventName = CreateAccessKey }'
                types: [TTPs/Persistence]
            severity:
              CIS-4.1: INFORMATIONAL
            disable: [CIS-4.15]
            """);

        var rules = file.ApplyTo(BuiltInRules.All);

        var added = Assert.Single(rules, r => r.Id == "ACME-ROOT-KEY");
        Assert.Equal(Severity.Critical, added.Severity);
        Assert.Equal(["TTPs/Persistence"], added.FindingTypes);
        Assert.False(added.IsBuiltIn);
        Assert.Equal(Severity.Informational, rules.Single(r => r.Id == "CIS-4.1").Severity);
        Assert.DoesNotContain(rules, r => r.Id == "CIS-4.15");
        Assert.Equal(BuiltInRules.All.Count, rules.Count);
    }

    [Fact]
    public void A_json_file_is_read_the_same_way()
    {
        var file = Parse("""{"rules":[{"id":"X-1","title":"t","severity":"LOW","pattern":"{ $.eventName = \"GetObject\" }"}],"disable":["CIS-4.1"]}""");

        Assert.Equal("X-1", Assert.Single(file.Rules).Id);
        Assert.Contains("CIS-4.1", file.Disabled);
    }

    [Fact]
    public void The_sample_rules_file_in_the_repository_is_valid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Core", "Rules", "Fixtures", "sample-rules.yaml");
        using var reader = new StreamReader(path);

        var rules = RuleFile.Parse(reader, path).ApplyTo(BuiltInRules.All);

        Assert.Contains(rules, r => !r.IsBuiltIn);
    }

    [Theory]
    [InlineData("rules:\n  - id: A\n    title: t\n    severity: LOW\n    pattern: '{ $.a = 1 }'\n    colour: red\n", "rules.yaml:6: rule A: unknown key 'colour'")]
    [InlineData("rules:\n  - id: A\n    title: t\n    severity: LOW\n    pattern: '{ $.a = %x% || $.b = %y% || $.c = %z% }'\n", "rules.yaml:5: rule A: the pattern has 3 regexes; CloudWatch allows at most 2")]
    [InlineData("rule:\n  - id: A\n", "rules.yaml:1: top level: unknown key 'rule'")]
    [InlineData("rules:\n  - id: A\n    title: t\n    severity: LOW\n    pattern: '{ $.a = 1 }'\n  - id: A\n    title: t\n    severity: LOW\n    pattern: '{ $.a = 1 }'\n", "rule A: the id is used more than once")]
    [InlineData("rules:\n  - id: A\n    title: t\n    severity: LOW\n    pattern: '{ $.a = }'\n", "rules.yaml:5: rule A: filter pattern error at character 9: expected a value")]
    [InlineData("rules:\n  - id: A\n    title: t\n    severity: SEVERE\n    pattern: '{ $.a = 1 }'\n", "rules.yaml:4: rule A: severity: 'SEVERE' is not a severity (use INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL)")]
    [InlineData("rules:\n  - id: A\n    severity: LOW\n    pattern: '{ $.a = 1 }'\n", "rule A: 'title' is required")]
    [InlineData("rules:\n  - title: t\n", "a rule has no 'id'")]
    [InlineData("rules:\n  - id: bad id\n    title: t\n", "rule bad id: the id may contain only")]
    [InlineData("rules:\n  - id: CIS-4.1\n    title: t\n    severity: LOW\n    pattern: '{ $.a = 1 }'\n", "rule CIS-4.1: duplicates the built-in rule")]
    [InlineData("severity:\n  CIS-9.9: LOW\n", "rule CIS-9.9: no such rule")]
    [InlineData("disable: [TR-NOPE]\n", "rule TR-NOPE: no such rule")]
    [InlineData("rules: [\n", "not valid YAML or JSON")]
    [InlineData("- just a list\n", "the file must be a mapping")]
    [InlineData("severity:\n  CIS-4.1: {}\n", "severity of CIS-4.1 must be a non-empty text value")]
    public void Invalid_files_are_refused_with_the_line_and_the_rule(string text, string expected)
    {
        Assert.Contains(expected, ErrorOf(text), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_changes_nothing()
    {
        Assert.Equal(BuiltInRules.All.Count, Parse("").ApplyTo(BuiltInRules.All).Count);
    }

    private static string Rule(string id, string pattern) => $"  - id: {id}\n    title: t\n    severity: LOW\n    pattern: '{pattern}'\n";

    [Theory]
    [InlineData("{ $.userAgent = %a{100000}% }", "rules.yaml:5: rule A: filter pattern error at character 19: the repetition count 100000 is above the limit of 500")]
    [InlineData("{ $.userAgent = %a[ab]{4000}c% }", "rules.yaml:5: rule A: filter pattern error at character 23: the repetition count 4000 is above the limit of 500")]
    [InlineData("{ $.userAgent = %[ab]{500}[ab]{500}% }", "rules.yaml:5: rule A: filter pattern error at character 27: the regex needs more than 512 automaton states")]
    [InlineData("{ $.userAgent = %\\G% }", "rules.yaml:5: rule A: filter pattern error at character 18: \\G is not supported")]
    [InlineData("{ $.userAgent = %a\\1% }", "rules.yaml:5: rule A: filter pattern error at character 20: invalid regex: Reference to undefined group number 1.")]
    public void A_regex_that_is_too_costly_or_unsupported_is_a_rule_error_with_the_line_and_the_character(string pattern, string expected)
    {
        Assert.StartsWith(expected, ErrorOf("rules:\n" + Rule("A", pattern)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_regexes_of_a_file_share_one_memory_budget_and_the_rule_that_exceeds_it_is_named()
    {
        var text = "rules:\n" + string.Concat(Enumerable.Range(0, 10).Select(i => Rule($"R{i}", $"{{ $.userAgent = %^Mozilla{i}% }}")));
        var perRegex = FilterPattern.Parse("{ $.userAgent = %^Mozilla0% }").Regexes[0].TableBytes;

        var error = Assert.Throws<RuleFileException>(() => RuleFile.Parse(new StringReader(text), "rules.yaml", maxRegexTableBytes: (4 * perRegex) + 1));

        Assert.StartsWith("rules.yaml:18: rule R4: the regexes of the rules up to here need", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, RuleFile.Parse(new StringReader(text), "rules.yaml").Rules.Count);
    }


    [Fact]
    public void Collections_nested_deeper_than_the_bound_are_refused_before_they_can_overflow_the_stack()
    {
        var text = "rules:\n  - id: A\n    types: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        Assert.Equal($"rules.yaml:3: the YAML is nested more than {YamlBounds.MaxDepth} levels deep", ErrorOf(text));
    }

    [Fact]
    public void Ten_thousand_regex_rules_load_with_small_tables_each()
    {
        var text = "rules:\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => Rule($"R{i}", $"{{ $.userAgent = %^Mozilla/{i}\\.0;[a-z]+% }}")));

        var rules = RuleFile.Parse(new StringReader(text), "rules.yaml").Rules;

        Assert.Equal(10_000, rules.Count);
        Assert.All(rules, r => Assert.InRange(r.Pattern!.Regexes[0].TableBytes, 1, 1024));
    }
}
