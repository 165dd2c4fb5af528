using System.Text;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using TrailResponder.Tests.Core.Storage;

namespace TrailResponder.Tests.Core.Rules;

public class RuleLoaderTests
{
    public static string FixtureRules { get; } = Path.Combine(AppContext.BaseDirectory, "Core", "Sigma", "Fixtures", "rules");

    private const string SigmaRule = "title: T\nid: {0}\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: {1}\n  condition: s\n";

    /// <summary>The files of a local folder, as the command line reads them.</summary>
    public static IReadOnlyList<RuleText> Folder(string path) => Directory
        .EnumerateFiles(path, "*", SearchOption.AllDirectories)
        .Where(RuleText.IsRuleFileName)
        .Order(StringComparer.Ordinal)
        .Select(f => new RuleText(f, File.ReadAllText(f)))
        .ToArray();

    private static RuleCatalog Load(SigmaReadOptions? options = null, params (string Path, string Text)[] files)
    {
        var loader = new RuleLoader(options ?? SigmaReadOptions.Default);
        loader.Add("rules", files.Select(f => new RuleText(f.Path, f.Text)).ToArray());
        return loader.Build(BuiltInRules.All);
    }

    [Fact]
    public void A_folder_of_sigma_rules_and_a_rules_file_loads_beside_the_built_ins_with_a_report()
    {
        var loader = new RuleLoader(SigmaReadOptions.Default);
        loader.Add("fixtures/rules", Folder(FixtureRules));

        var catalog = loader.Build(BuiltInRules.All);

        Assert.Empty(catalog.Report.Errors);
        Assert.Equal(
            "fixtures/rules: 9 files: 6 Sigma rules loaded, 1 rule from rules files, 1 severity override, 2 rules disabled, 3 skipped (1 other log source, 1 deprecated, 1 correlation)",
            Assert.Single(catalog.Report.Summary()));
        Assert.Equal(BuiltInRules.All.Count - 1 + 1 + 6 - 1, catalog.Rules.Count);
        Assert.DoesNotContain(catalog.Rules, r => r.Id is "CIS-4.15" or "0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d06");
        Assert.Equal(Severity.High, catalog.Rules.Single(r => r.Id == "0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d02").Severity);
        Assert.Equal("console_login_outside_office", catalog.Rules.Single(r => r.Title.StartsWith("Console sign-in without MFA from outside", StringComparison.Ordinal)).Id);
        Assert.EndsWith("team-rules.yaml", catalog.Rules.Single(r => r.Id == "ACME-SECRET-READ").Source, StringComparison.Ordinal);
        Assert.Equal(BuiltInRules.All.Select(r => r.Id).Where(id => id != "CIS-4.15"), catalog.Rules.Take(BuiltInRules.All.Count - 1).Select(r => r.Id));
    }

    [Fact]
    public void Every_fixture_rule_compiles_into_one_rule_set_with_the_built_ins()
    {
        var loader = new RuleLoader(SigmaReadOptions.Default);
        loader.Add("fixtures", Folder(FixtureRules));

        var set = new RuleSet(loader.Build(BuiltInRules.All).Rules);

        Assert.Contains(set.Rules, r => r.Logic.Language == "sigma");
    }

    [Fact]
    public void Severity_and_disable_in_a_rules_file_apply_to_sigma_rules_by_id()
    {
        var catalog = Load(
            null,
            ("a.yml", string.Format(null, SigmaRule, "rule-a", "A")),
            ("b.yml", string.Format(null, SigmaRule, "rule-b", "B")),
            ("overrides.yaml", "severity:\n  rule-a: CRITICAL\ndisable: [rule-b]\n"));

        Assert.Empty(catalog.Report.Errors);
        Assert.Equal(Severity.Critical, catalog.Rules.Single(r => r.Id == "rule-a").Severity);
        Assert.DoesNotContain(catalog.Rules, r => r.Id == "rule-b");
    }

    [Fact]
    public void An_override_naming_no_rule_is_an_error_naming_the_file()
    {
        var catalog = Load(null, ("overrides.yaml", "disable: [no-such-rule]\n"));

        Assert.Equal("overrides.yaml: rule no-such-rule: no such rule (not built in, and in no rules source)", Assert.Single(catalog.Report.Errors));
    }

    [Fact]
    public void Two_files_setting_different_severities_for_one_rule_is_an_error()
    {
        var catalog = Load(null, ("one.yaml", "severity:\n  CIS-4.1: LOW\n"), ("two.yaml", "severity:\n  CIS-4.1: HIGH\n"));

        Assert.Equal("two.yaml: severity of CIS-4.1: HIGH, but one.yaml sets LOW", Assert.Single(catalog.Report.Errors));
    }

    [Fact]
    public void Two_rules_with_one_id_is_an_error_naming_both()
    {
        var catalog = Load(null, ("a.yml", string.Format(null, SigmaRule, "same", "A")), ("b.yml", string.Format(null, SigmaRule, "same", "B")), ("c.yml", string.Format(null, SigmaRule, "CIS-4.1", "C")));

        Assert.Equal(
            [
                "b.yml:1: 'T': rule same: the id is already used by a.yml:1: 'T'; change a rule with 'severity' or 'disable' instead of redefining it",
                "c.yml:1: 'T': rule CIS-4.1: the id is already used by the built-in rule CIS-4.1; change a rule with 'severity' or 'disable' instead of redefining it",
            ],
            catalog.Report.Errors);
    }

    [Fact]
    public void Errors_of_every_file_are_reported_together_with_file_and_line()
    {
        var catalog = Load(
            null,
            ("bad-yaml.yml", "title: [unclosed\n"),
            ("bad-rule.yml", "title: T\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    a|nope: 1\n  condition: s\n"),
            ("bad-rules-file.yaml", "rules:\n  - id: X\n    title: t\n    severity: LOW\n    pattern: '{ $.a = }'\n"),
            ("good.yml", string.Format(null, SigmaRule, "good", "G")));

        Assert.Equal(3, catalog.Report.Errors.Count);
        Assert.StartsWith("bad-yaml.yml:2: not valid YAML", catalog.Report.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("bad-rule.yml:7: rule 'T': s: 'a|nope': unknown modifier 'nope'", catalog.Report.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("bad-rules-file.yaml:5: rule X:", catalog.Report.Errors[2], StringComparison.Ordinal);
        Assert.Contains(catalog.Rules, r => r.Id == "good");
        Assert.EndsWith("4 files: 1 Sigma rule loaded, 3 errors", Assert.Single(catalog.Report.Summary()), StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_loading_turns_a_skipped_correlation_rule_into_an_error()
    {
        var correlation = ("c.yml", "title: C\ncorrelation:\n  type: event_count\n");

        Assert.Empty(Load(null, correlation).Report.Errors);
        Assert.Equal(
            "c.yml:1: rule 'C': correlation rules are not supported yet (they come with stateful detection) (--strict)",
            Assert.Single(Load(new SigmaReadOptions(true, new Dictionary<string, IReadOnlyList<string>>()), correlation).Report.Errors));
    }

    [Fact]
    public void Yaml_nested_deeper_than_the_bound_is_refused_before_it_is_loaded()
    {
        var deep = new string('[', YamlBounds.MaxDepth + 1) + new string(']', YamlBounds.MaxDepth + 1);

        Assert.Equal("deep.yml:1: the YAML is nested more than 64 levels deep", Assert.Single(Load(null, ("deep.yml", deep)).Report.Errors));
    }

    [Fact]
    public void Yaml_with_more_values_than_the_bound_is_refused_before_it_is_loaded()
    {
        var many = "[" + string.Join(",", Enumerable.Repeat("1", YamlBounds.MaxNodes + 1)) + "]";

        Assert.Equal("many.yml:1: the YAML has more than 200,000 values", Assert.Single(Load(null, ("many.yml", many)).Report.Errors));
    }

    [Fact]
    public void An_empty_file_loads_nothing_and_is_no_error()
    {
        var catalog = Load(null, ("empty.yml", "# nothing yet\n"));

        Assert.Empty(catalog.Report.Errors);
        Assert.Equal(BuiltInRules.All.Count, catalog.Rules.Count);
    }

    [Fact]
    public async Task A_store_prefix_ending_in_a_slash_is_read_as_a_folder_of_yml_and_yaml_files_in_key_order()
    {
        var store = new InMemoryTrailStore();
        store.Put("rules/b.yml", Encoding.UTF8.GetBytes("b"));
        store.Put("rules/a/x.yaml", Encoding.UTF8.GetBytes("a"));
        store.Put("rules/readme.md", Encoding.UTF8.GetBytes("no"));
        store.Put("other/c.yml", Encoding.UTF8.GetBytes("no"));

        var texts = await RuleText.ReadAllAsync(store, "rules/", "s3://bucket/");

        Assert.Equal([("s3://bucket/rules/a/x.yaml", "a"), ("s3://bucket/rules/b.yml", "b")], texts.Select(t => (t.Path, t.Text)));
        Assert.Equal("b", Assert.Single(await RuleText.ReadAllAsync(store, "rules/b.yml", "s3://bucket/")).Text);
    }

    [Fact]
    public async Task A_rules_file_larger_than_the_bound_is_refused_with_its_name()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => RuleText.ReadAsync(new MemoryStream(new byte[RuleText.MaxFileBytes + 1]), "big.yml"));

        Assert.Equal("big.yml: the rules file is larger than 1048576 bytes.", error.Message);
    }
}
