using TrailResponder.Core.Sigma;
using static TrailResponder.Tests.Core.Sigma.SigmaTestRules;

namespace TrailResponder.Tests.Core.Sigma;

public class SigmaErrorTests
{
    // The entry under test sits on line 7 of the document (title, logsource x3, detection, selection).
    private static string EntryError(string entry) => ErrorOf($"selection:\n  {entry}\ncondition: selection");

    [Theory]
    [InlineData("eventName|contain: x", "rule.yml:7: rule 'Test rule': selection: 'eventName|contain': unknown modifier 'contain' (supported: contains,")]
    [InlineData("eventName|minute: 5", "rule.yml:7: rule 'Test rule': selection: 'eventName|minute': unknown modifier 'minute'")]
    [InlineData("eventName|contains|all: x", "rule.yml:7: rule 'Test rule': selection: 'eventName|contains|all': 'all' needs a list of at least two values")]
    [InlineData("eventName|i: x", "'eventName|i': 'i' is a sub-modifier of 're'")]
    [InlineData("eventName|contains|startswith: x", "'eventName|contains|startswith': 'contains' and 'startswith' cannot be combined")]
    [InlineData("eventName|contains|contains: x", "the modifier 'contains' is given twice")]
    [InlineData("eventName|re|cased: x", "'cased' cannot be combined with 're'")]
    [InlineData("eventName|re: '(a'", "'(a' is not a valid regular expression")]
    [InlineData("eventName|re: '(a)\\1'", "uses a construct that needs backtracking, which is not supported")]
    [InlineData("eventName|re: '(?=a)b'", "uses a construct that needs backtracking, which is not supported")]
    [InlineData("ip|cidr: 10.0.0.0/33", "'ip|cidr': '10.0.0.0/33' is not an IPv4 or IPv6 network")]
    [InlineData("n|gt: ten", "'n|gt': 'gt' compares numbers; 'ten' is not a number")]
    [InlineData("n|exists: yes", "'n|exists': exists takes true or false, not 'yes'")]
    [InlineData("n|exists|all: [true, false]", "'all' cannot be combined with 'exists'")]
    [InlineData("a|expand: '%admins%'", "'a|expand': the placeholder %admins% has no value (give it with --placeholder admins=VALUE)")]
    [InlineData("a|base64: 'cmd*'", "'a|base64': 'cmd*' has a wildcard, which base64 cannot encode")]
    [InlineData("a|wide: 'cmd'", "'a|wide': 'wide' must be followed by 'base64' or 'base64offset'")]
    [InlineData("a|contains: null", "'a|contains': null takes no modifier other than 'neq'")]
    [InlineData("a: {b: c}", "'a': a value must be a single string, number, boolean or null, not a map")]
    [InlineData("a: [x, [y]]", "'a': a value must be a single string, number, boolean or null, not a list")]
    [InlineData("a: []", "'a': the list of values is empty")]
    [InlineData("a..b: x", "'a..b': 'a..b' is not a field name")]
    [InlineData("a|fieldref: 5", "'fieldref' takes a field name; 5 is not one")]
    public void A_bad_entry_is_an_error_naming_the_file_line_rule_identifier_and_construct(string entry, string expected)
    {
        Assert.Contains(expected, EntryError(entry), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a|re: 'a[ab]{4000}c'", "the regular expression 'a[ab]{4000}c' is refused at character 6: the repetition count 4000 is above the limit of 500")]
    [InlineData("a|re: 'a(a|b){21}c'", "the regular expression 'a(a|b){21}c' is refused at character 7: the repetition count 21 is above the limit of 20 for a regular expression with groups or options")]
    [InlineData("a|re|i: 'x{2,21}'", "the regular expression 'x{2,21}' is refused at character 2: the repetition count 21 is above the limit of 20 for a regular expression with groups or options")]
    public void A_regular_expression_whose_cost_is_beyond_the_bound_is_refused_with_the_reason(string entry, string expected)
    {
        Assert.Contains(expected, EntryError(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_regular_expression_longer_than_the_bound_is_refused()
    {
        var error = EntryError($"a|re: '{new string('a', SigmaLimits.MaxRegexLength + 1)}'");

        Assert.Contains("the regular expression is longer than 2,000 characters", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("selection | count() > 5", "rule.yml:8: rule 'Test rule': condition 'selection | count() > 5': '| count() > 5' is a Sigma v1 aggregation; write a correlation rule instead")]
    [InlineData("selection near other", "'near' is a Sigma v1 aggregation; write a temporal correlation rule instead")]
    [InlineData("selection and unknown", "'unknown' is not a search identifier of this rule (known: selection)")]
    [InlineData("(selection", "a '(' is not closed")]
    [InlineData("selection)", "unexpected ')'")]
    [InlineData("selection and", "expected an identifier, 'not', '(' or 'N of' at the end")]
    [InlineData("selection or or selection", "expected an identifier, 'not', '(' or 'N of' before 'or'")]
    [InlineData("2 of selection*", "'2 of selection*': only 1 identifier match")]
    [InlineData("1 of filter*", "no search identifier matches 'filter*'")]
    [InlineData("some of selection", "'some of': the quantifier must be 'all' or a whole number of at least 1")]
    [InlineData("0 of selection", "'0 of': the quantifier must be 'all' or a whole number of at least 1")]
    [InlineData("''", "condition: must be a text or a list of texts")]
    public void A_bad_condition_is_an_error_naming_it(string condition, string expected)
    {
        var error = ErrorOf($"selection:\n  a: 1\ncondition: {condition}");

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_nested_beyond_the_bound_is_refused()
    {
        var condition = new string('(', SigmaLimits.MaxConditionDepth + 1) + "selection" + new string(')', SigmaLimits.MaxConditionDepth + 1);

        Assert.Contains("nested more than 32 deep", ErrorOf($"selection:\n  a: 1\ncondition: '{condition}'"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("selection:\n  a: 1", "detection: 'condition' is required")]
    [InlineData("condition: selection", "detection: no search identifier")]
    [InlineData("selection:\n  a: 1\ntimeframe: 5m\ncondition: selection", "'timeframe' belongs to a Sigma v1 aggregation")]
    [InlineData("selection: {}\ncondition: selection", "selection: the map is empty")]
    [InlineData("selection: []\ncondition: selection", "selection: the list is empty")]
    [InlineData("selection:\n  - a: 1\n  - x\ncondition: selection", "selection: a list must hold only maps (any of them) or only keywords")]
    [InlineData("selection:\ncondition: selection", "selection: a search identifier must be a map")]
    [InlineData("keywords:\n  - null\ncondition: keywords", "keywords: a keyword must be a string or a number")]
    public void A_bad_detection_is_an_error_naming_it(string detection, string expected)
    {
        Assert.Contains(expected, ErrorOf(detection), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("logsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    a: 1\n  condition: s\n", "rule.yml:1: 'title' is required")]
    [InlineData("title: t\ndetection:\n  s:\n    a: 1\n  condition: s\n", "rule.yml:1: rule 't': 'logsource' is required")]
    [InlineData("title: t\nlogsource:\n  product: aws\n  service: cloudtrail\n", "rule.yml:1: rule 't': 'detection' is required")]
    [InlineData("title: t\nlevel: severe\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    a: 1\n  condition: s\n", "rule.yml:2: rule 't': level: 'severe' is not one of informational, low, medium, high, critical")]
    [InlineData("action: global\ntitle: t\n", "rule.yml:1: rule 't': 'action: global' is a Sigma v1 rule collection")]
    [InlineData("- a\n- b\n", "rule.yml:1: a Sigma rule must be a map with title, logsource and detection")]
    public void A_bad_document_is_an_error_naming_the_file_and_line(string yaml, string expected)
    {
        Assert.Contains(expected, Assert.Single(Read(yaml).Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_aliases_cannot_multiply_a_detection_beyond_the_bound_on_values()
    {
        var values = string.Join(", ", Enumerable.Range(0, 1_000).Select(i => $"v{i}"));
        var entries = string.Join("\n", Enumerable.Range(0, 20).Select(i => $"    f{i}: *many"));
        var yaml = $"title: t\nlogsource:\n  product: aws\n  service: cloudtrail\nx: &many [{values}]\ndetection:\n  s:\n{entries}\n  condition: s\n";

        Assert.Contains("detection: more than 10,000 values in one rule", Assert.Single(Read(yaml).Errors), StringComparison.Ordinal);
    }
}
