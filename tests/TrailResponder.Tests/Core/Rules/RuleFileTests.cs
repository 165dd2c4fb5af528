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
}
