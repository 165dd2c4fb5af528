using static TrailResponder.Tests.Core.Sigma.SigmaTestRules;

namespace TrailResponder.Tests.Core.Sigma;

public class SigmaConditionTests
{
    // Four identifiers over the fields a, b, c and _d; each holds when its field is "1".
    private const string Identifiers = "sel_a:\n  a: 1\nsel_b:\n  b: 1\nfilter_c:\n  c: 1\n_helper:\n  d: 1\n";

    private static bool When(string condition, string json) => Matches(Identifiers + $"condition: {condition}", json);

    [Theory]
    [InlineData("sel_a and sel_b", """{"a":1,"b":1}""", true)]
    [InlineData("sel_a and sel_b", """{"a":1}""", false)]
    [InlineData("sel_a or sel_b", """{"b":1}""", true)]
    [InlineData("not sel_a", """{"a":2}""", true)]
    [InlineData("not sel_a", """{"a":1}""", false)]
    [InlineData("sel_a and not filter_c", """{"a":1,"c":1}""", false)]
    [InlineData("sel_a and not filter_c", """{"a":1}""", true)]
    [InlineData("sel_a or sel_b and filter_c", """{"a":1}""", true)]
    [InlineData("(sel_a or sel_b) and filter_c", """{"a":1}""", false)]
    [InlineData("not sel_a and sel_b", """{"b":1}""", true)]
    [InlineData("not (sel_a and sel_b)", """{"a":1}""", true)]
    [InlineData("not not sel_a", """{"a":1}""", true)]
    [InlineData("((sel_a))", """{"a":1}""", true)]
    [InlineData("sel_a AND NOT filter_c", """{"a":1}""", true)]
    [InlineData("Sel_a", """{"a":1}""", false)]
    public void And_or_not_and_parentheses_follow_the_precedence_not_then_and_then_or(string condition, string json, bool expected)
    {
        if (condition == "Sel_a")
        {
            // Identifier names are matched exactly: 'Sel_a' is not 'sel_a'.
            Assert.Contains("'Sel_a' is not a search identifier", ErrorOf(Identifiers + $"condition: {condition}"), StringComparison.Ordinal);
            return;
        }

        Assert.Equal(expected, When(condition, json));
    }

    [Theory]
    [InlineData("1 of sel_*", """{"b":1}""", true)]
    [InlineData("1 of sel_*", """{"c":1}""", false)]
    [InlineData("all of sel_*", """{"a":1,"b":1}""", true)]
    [InlineData("all of sel_*", """{"a":1}""", false)]
    [InlineData("2 of them", """{"a":1,"c":1}""", true)]
    [InlineData("2 of them", """{"a":1,"d":1}""", false)]
    [InlineData("3 of them", """{"a":1,"b":1,"c":1}""", true)]
    [InlineData("1 of them", """{"d":1}""", false)]
    [InlineData("all of them", """{"a":1,"b":1,"c":1}""", true)]
    [InlineData("1 of _helper", """{"d":1}""", true)]
    [InlineData("1 of *_c", """{"c":1}""", true)]
    [InlineData("ALL OF sel_*", """{"a":1,"b":1}""", true)]
    [InlineData("1 of sel_* and not 1 of filter_*", """{"a":1}""", true)]
    [InlineData("1 of sel_* and not 1 of filter_*", """{"a":1,"c":1}""", false)]
    public void Quantifiers_range_over_identifiers_matching_a_pattern_and_them_leaves_out_underscores(string condition, string json, bool expected)
    {
        Assert.Equal(expected, When(condition, json));
    }

    [Fact]
    public void A_list_of_conditions_is_an_or()
    {
        const string Detection = Identifiers + "condition:\n  - sel_a and sel_b\n  - filter_c";

        Assert.True(Matches(Detection, """{"c":1}"""));
        Assert.True(Matches(Detection, """{"a":1,"b":1}"""));
        Assert.False(Matches(Detection, """{"a":1}"""));
    }

    [Fact]
    public void A_list_of_maps_is_an_or_of_maps_each_an_and_of_its_entries()
    {
        const string Detection = "selection:\n  - eventSource: s3.amazonaws.com\n    eventName: PutBucketPolicy\n  - eventSource: iam.amazonaws.com\n    eventName: [PutUserPolicy, PutRolePolicy]\ncondition: selection";

        Assert.True(Matches(Detection, """{"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy"}"""));
        Assert.True(Matches(Detection, """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy"}"""));
        Assert.False(Matches(Detection, """{"eventSource":"s3.amazonaws.com","eventName":"PutRolePolicy"}"""));
    }

    [Fact]
    public void The_explanation_names_which_identifiers_held_and_the_entry_that_decided()
    {
        var rule = Rule("selection:\n  eventSource: cloudtrail.amazonaws.com\n  eventName: [StopLogging, DeleteTrail]\nfilter:\n  userIdentity.arn|endswith: ':role/Admin'\ncondition: selection and not filter");

        var explanation = rule.Detection.Explain("""{"eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail"}"""u8);

        Assert.False(explanation.Matched);
        Assert.Equal("selection and not filter", explanation.Condition);
        var selection = explanation.Identifiers[0];
        Assert.Equal(("selection", false), (selection.Name, selection.Held));
        Assert.Equal("did not hold: eventName: ['StopLogging', 'DeleteTrail']", selection.Decided);
        Assert.Equal(("filter", false), (explanation.Identifiers[1].Name, explanation.Identifiers[1].Held));
    }
}
