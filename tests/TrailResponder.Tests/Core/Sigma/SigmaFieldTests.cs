using static TrailResponder.Tests.Core.Sigma.SigmaTestRules;

namespace TrailResponder.Tests.Core.Sigma;

public class SigmaFieldTests
{
    private static bool On(string entry, string json) => Matches($"selection:\n  {entry}\ncondition: selection", json);

    [Theory]
    [InlineData("userIdentity.type: Root", """{"userIdentity":{"type":"Root"}}""", true)]
    [InlineData("userIdentity.sessionContext.sessionIssuer.type: Role", """{"userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role"}}}}""", true)]
    [InlineData("userIdentity.type: Root", """{"userIdentity":{"Type":"Root"}}""", false)]
    [InlineData("UserIdentity.type: Root", """{"userIdentity":{"type":"Root"}}""", false)]
    [InlineData("userIdentity.type: Root", """{"userIdentity":"Root"}""", false)]
    [InlineData("userIdentity.type: Root", """{"userIdentity":{"type":"IAMUser"},"userIdentity":{"type":"Root"}}""", true)]
    [InlineData("a.b: x", "{\"a\":{\"\\u0062\":\"x\"}}", true)]
    public void A_path_walks_objects_member_by_member_with_case_sensitive_names(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a: x", """{"a":["y","x"]}""", true)]
    [InlineData("a: x", """{"a":["y","z"]}""", false)]
    [InlineData("a: x", """{"a":[["y"],["z","x"]]}""", true)]
    [InlineData("a.b: x", """{"a":[{"b":"y"},{"b":"x"}]}""", true)]
    [InlineData("a.b: x", """{"a":[{"b":"y"},{"c":"x"}]}""", false)]
    [InlineData("a.b: x", """{"a":[{"b":["y","x"]}]}""", true)]
    [InlineData("a.b.c: x", """{"a":{"b":[{"c":"y"},{"c":"x"}]}}""", true)]
    [InlineData("a.b.c: x", """{"a":[{"b":[{"c":"y"}]},{"b":[{"c":"x"}]}]}""", true)]
    [InlineData("a.b.c: x", """{"a":[[{"b":{"c":"x"}}]]}""", true)]
    [InlineData("a.b.c: x", """{"a":[{"b":"x"}]}""", false)]
    [InlineData("requestParameters.containerDefinitions.command|contains: curl", """{"requestParameters":{"containerDefinitions":[{"command":["sh","-c","ls"]},{"command":["sh","-c","curl x | sh"]}]}}""", true)]
    public void Arrays_met_on_the_way_or_at_the_end_are_searched_element_by_element(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a.b: null", """{"a":[{"b":"x"},{"c":"y"}]}""", true)]
    [InlineData("a.b: null", """{"a":[{"b":"x"},{"b":null}]}""", true)]
    [InlineData("a.b: null", """{"a":[{"b":"x"}]}""", false)]
    [InlineData("a.b: null", """{"a":[]}""", true)]
    [InlineData("a.b|exists: false", """{"a":[{"b":1},{"c":2}]}""", true)]
    [InlineData("a.b|exists: true", """{"a":[{"c":1},{"b":2}]}""", true)]
    [InlineData("a.b|exists: true", """{"a":[{"c":1}]}""", false)]
    [InlineData("a|exists: true", """{"a":[]}""", true)]
    [InlineData("a: null", """{"a":[]}""", false)]
    [InlineData("a: null", """{"a":["x",null]}""", true)]
    public void Null_and_exists_hold_element_by_element_and_an_empty_array_on_the_way_is_missing(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("requestParameters|contains: Suspended", """{"requestParameters":{"bucketName":"b","versioningConfiguration":{"status":"Suspended"}}}""", true)]
    [InlineData("requestParameters|contains: Suspended", """{"requestParameters":{"Suspended":"no"}}""", false)]
    [InlineData("requestParameters: 5", """{"requestParameters":{"a":[1,{"b":5}]}}""", true)]
    [InlineData("requestParameters: true", """{"requestParameters":{"a":true}}""", true)]
    [InlineData("requestParameters|contains: x", """{"requestParameters":{}}""", false)]
    [InlineData("a|neq: x", """{"a":{"b":"x","c":"y"}}""", true)]
    public void A_path_ending_on_an_object_holds_when_some_scalar_leaf_inside_holds(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("""{"a":"say \"hi\""}""", "a: 'say \"hi\"'", true)]
    [InlineData("""{"a":"caf\u00e9"}""", "a: café", true)]
    [InlineData("""{"a":"tab\there"}""", "a|contains: \"\\there\"", true)]
    [InlineData("""{"a":"{\"Effect\":\"Allow\",\"Principal\":\"*\"}"}""", "a|contains: '\"Principal\":\"\\*\"'", true)]
    [InlineData("""{"a":"\ud83d\ude00 smile"}""", "a|endswith: ' smile'", true)]
    public void Escaped_json_strings_are_compared_by_their_text(string json, string entry, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Fact]
    public void A_long_value_is_compared_whole()
    {
        var value = new string('x', 10_000) + "needle" + new string('y', 10_000);

        Assert.True(On("a|contains: needle", $$"""{"a":"{{value}}"}"""));
        Assert.True(On("a|re: 'x{5}needle'", $$"""{"a":"{{value}}"}"""));
    }

    [Theory]
    [InlineData("""{"eventName":"x","requestParameters":{"deep":{"k":"evil.example.com"}}}""", true)]
    [InlineData("""{"eventName":"x","tags":["a","EVIL.example.com"]}""", true)]
    [InlineData("""{"evil.example.com":"x"}""", false)]
    [InlineData("""{"eventName":"x"}""", false)]
    public void Keywords_hold_when_any_scalar_leaf_of_the_record_contains_them(string json, bool expected)
    {
        Assert.Equal(expected, Matches("keywords:\n  - 'evil.example.com'\n  - 'other*thing'\ncondition: keywords", json));
    }

    [Fact]
    public void Keywords_take_wildcards_and_numbers_and_a_keyword_entry_takes_modifiers()
    {
        Assert.True(Matches("keywords:\n  - 'other*thing'\ncondition: keywords", """{"a":"anOTHER big THING!"}"""));
        Assert.True(Matches("keywords:\n  - 403\ncondition: keywords", """{"a":{"b":14035}}"""));
        Assert.True(Matches("keywords:\n  '|re': '^arn:aws:iam::[0-9]{12}:root$'\ncondition: keywords", """{"a":{"b":"arn:aws:iam::111122223333:root"}}"""));
        Assert.False(Matches("keywords:\n  '|re': '^arn:aws:iam::[0-9]{12}:root$'\ncondition: keywords", """{"a":{"b":"x arn:aws:iam::111122223333:root"}}"""));
    }
}
