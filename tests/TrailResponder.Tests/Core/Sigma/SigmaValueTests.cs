using TrailResponder.Core.Sigma;
using static TrailResponder.Tests.Core.Sigma.SigmaTestRules;

namespace TrailResponder.Tests.Core.Sigma;

public class SigmaValueTests
{
    private static bool On(string entry, string json) => Matches($"selection:\n  {entry}\ncondition: selection", json);

    [Theory]
    [InlineData("eventName: StopLogging", """{"eventName":"StopLogging"}""", true)]
    [InlineData("eventName: StopLogging", """{"eventName":"stoplogging"}""", true)]
    [InlineData("eventName: StopLogging", """{"eventName":"STOPLOGGING"}""", true)]
    [InlineData("eventName: StopLogging", """{"eventName":"StopLoggingNow"}""", false)]
    [InlineData("eventName: 'Stop*'", """{"eventName":"StopLogging"}""", true)]
    [InlineData("eventName: '*Logging'", """{"eventName":"StopLogging"}""", true)]
    [InlineData("eventName: 'S*p*g'", """{"eventName":"StopLogging"}""", true)]
    [InlineData("eventName: 'S*x*g'", """{"eventName":"StopLogging"}""", false)]
    [InlineData("eventName: 'Sto?Logging'", """{"eventName":"StopLogging"}""", true)]
    [InlineData("eventName: 'Sto?Logging'", """{"eventName":"StoLogging"}""", false)]
    [InlineData("eventName: '*'", """{"eventName":""}""", true)]
    [InlineData("eventName: ''", """{"eventName":""}""", true)]
    [InlineData("eventName: ''", """{"eventName":"x"}""", false)]
    [InlineData("eventName: 'ÉTÉ'", """{"eventName":"été"}""", true)]
    public void Plain_values_match_whole_text_ignoring_case_with_star_and_question_mark_wildcards(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData(@"a: 'x\*y'", """{"a":"x*y"}""", true)]
    [InlineData(@"a: 'x\*y'", """{"a":"xzy"}""", false)]
    [InlineData(@"a: 'x\?y'", """{"a":"x?y"}""", true)]
    [InlineData(@"a: 'x\?y'", """{"a":"xzy"}""", false)]
    [InlineData(@"a: 'C:\\Windows'", """{"a":"C:\\Windows"}""", true)]
    [InlineData(@"a: 'C:\Windows'", """{"a":"C:\\Windows"}""", true)]
    [InlineData(@"a: 'end\\*'", """{"a":"end\\anything"}""", true)]
    [InlineData(@"a: 'end\\*'", """{"a":"endanything"}""", false)]
    [InlineData(@"a|contains: '\*'", """{"a":"a*b"}""", true)]
    [InlineData(@"a|contains: '\*'", """{"a":"ab"}""", false)]
    public void Backslash_escapes_star_question_mark_and_itself_and_is_literal_before_anything_else(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|contains: gin", """{"a":"StopLogging"}""", true)]
    [InlineData("a|contains: GIN", """{"a":"StopLogging"}""", true)]
    [InlineData("a|contains: xyz", """{"a":"StopLogging"}""", false)]
    [InlineData("a|contains: '*'", """{"a":""}""", true)]
    [InlineData("a|contains: '*'", """{"a":null}""", false)]
    [InlineData("a|contains: '*'", """{"b":"x"}""", false)]
    [InlineData("a|contains: 'o*g'", """{"a":"xoyzgx"}""", true)]
    [InlineData("a|startswith: stop", """{"a":"StopLogging"}""", true)]
    [InlineData("a|startswith: logging", """{"a":"StopLogging"}""", false)]
    [InlineData("a|endswith: logging", """{"a":"StopLogging"}""", true)]
    [InlineData("a|endswith: stop", """{"a":"StopLogging"}""", false)]
    [InlineData("a|startswith: 'S?o'", """{"a":"StopLogging"}""", true)]
    public void Contains_startswith_and_endswith_add_implied_stars_and_keep_the_values_own_wildcards(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|cased: StopLogging", """{"a":"StopLogging"}""", true)]
    [InlineData("a|cased: StopLogging", """{"a":"stoplogging"}""", false)]
    [InlineData("a|contains|cased: Log", """{"a":"StopLogging"}""", true)]
    [InlineData("a|contains|cased: log", """{"a":"StopLogging"}""", false)]
    public void Cased_makes_the_comparison_case_sensitive(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a: [x, y]", """{"a":"y"}""", true)]
    [InlineData("a: [x, y]", """{"a":"z"}""", false)]
    [InlineData("a|contains|all: [foo, bar]", """{"a":"xfooybarz"}""", true)]
    [InlineData("a|contains|all: [foo, bar]", """{"a":"xfooyz"}""", false)]
    [InlineData("a|contains|all: [foo, bar]", """{"a":["foo","bar"]}""", true)]
    [InlineData("a|contains|all: [foo, bar]", """{"a":{"x":"foo","y":{"z":"bar"}}}""", true)]
    public void A_list_is_an_or_and_all_makes_it_an_and_possibly_on_different_leaves(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a: 22", """{"a":22}""", true)]
    [InlineData("a: 22", """{"a":22.0}""", true)]
    [InlineData("a: 22", """{"a":2.2e1}""", true)]
    [InlineData("a: 22", """{"a":"22"}""", true)]
    [InlineData("a: 22", """{"a":"22.0"}""", false)]
    [InlineData("a: '22'", """{"a":22}""", true)]
    [InlineData("a: '22'", """{"a":22.0}""", false)]
    [InlineData("a: 22.5", """{"a":22.50}""", true)]
    [InlineData("a: true", """{"a":true}""", true)]
    [InlineData("a: true", """{"a":"True"}""", true)]
    [InlineData("a: false", """{"a":true}""", false)]
    [InlineData("a: 'false'", """{"a":false}""", true)]
    [InlineData("a: No", """{"a":"No"}""", true)]
    [InlineData("a|contains: 2", """{"a":1234}""", true)]
    public void Scalars_compare_as_text_and_a_rule_number_equals_a_record_number_by_value(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a: null", """{"b":1}""", true)]
    [InlineData("a: null", """{"a":null}""", true)]
    [InlineData("a: null", """{"a":""}""", false)]
    [InlineData("a: null", """{"a":"null"}""", false)]
    [InlineData("a: ~", """{"b":1}""", true)]
    [InlineData("a:", """{"b":1}""", true)]
    [InlineData("a: [x, null]", """{"b":1}""", true)]
    [InlineData("a.b: null", """{"a":null}""", true)]
    [InlineData("a.b: null", """{"a":"text"}""", true)]
    [InlineData("a.b: null", """{"a":{"b":1}}""", false)]
    [InlineData("a|exists: true", """{"a":null}""", true)]
    [InlineData("a|exists: true", """{"a":""}""", true)]
    [InlineData("a|exists: true", """{"b":1}""", false)]
    [InlineData("a|exists: false", """{"b":1}""", true)]
    [InlineData("a|exists: false", """{"a":null}""", false)]
    [InlineData("a.b|exists: true", """{"a":{"b":{}}}""", true)]
    [InlineData("a: x", """{"a":null}""", false)]
    [InlineData("a|contains: x", """{"b":"x"}""", false)]
    public void Null_holds_when_missing_or_json_null_and_exists_tests_presence_counting_a_present_null(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|neq: x", """{"a":"y"}""", true)]
    [InlineData("a|neq: x", """{"a":"X"}""", false)]
    [InlineData("a|neq: x", """{"b":"y"}""", false)]
    [InlineData("a|neq: [x, y]", """{"a":"y"}""", false)]
    [InlineData("a|neq: [x, y]", """{"a":"z"}""", true)]
    [InlineData("a|neq: 5", """{"a":5.0}""", false)]
    [InlineData("a|neq: 5", """{"a":6}""", true)]
    [InlineData("a|neq: null", """{"a":null}""", false)]
    [InlineData("a|neq: null", """{"a":"v"}""", true)]
    [InlineData("a|neq: x", """{"a":null}""", true)]
    [InlineData("a|neq: x", """{"a":["x","y"]}""", true)]
    [InlineData("a|neq: x", """{"a":["x"]}""", false)]
    [InlineData("a|contains|neq: adm", """{"a":"user"}""", true)]
    [InlineData("a|contains|neq: adm", """{"a":"admin"}""", false)]
    public void Neq_holds_for_a_present_value_that_differs_from_every_listed_value(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|re: '^Stop'", """{"a":"StopLogging"}""", true)]
    [InlineData("a|re: 'Log'", """{"a":"StopLogging"}""", true)]
    [InlineData("a|re: 'log'", """{"a":"StopLogging"}""", false)]
    [InlineData("a|re|i: 'log'", """{"a":"StopLogging"}""", true)]
    [InlineData("a|re: '^b$'", "{\"a\":\"a\\nb\"}", false)]
    [InlineData("a|re|m: '^b$'", "{\"a\":\"a\\nb\"}", true)]
    [InlineData("a|re: 'a.b'", "{\"a\":\"a\\nb\"}", false)]
    [InlineData("a|re|s: 'a.b'", "{\"a\":\"a\\nb\"}", true)]
    [InlineData("a|re: '^(Put|Delete)Bucket[A-Z][a-z]+$'", """{"a":"PutBucketPolicy"}""", true)]
    [InlineData("a|re: '^\\d{3}$'", """{"a":403}""", true)]
    [InlineData("a|re: 'x{2,3}'", """{"a":"axxb"}""", true)]
    [InlineData("a|re: '[^a-z]'", """{"a":"abc"}""", false)]
    [InlineData("a|re: 'x'", """{"a":null}""", false)]
    [InlineData("a|re|neq: '^Get'", """{"a":"PutObject"}""", true)]
    public void Re_searches_a_case_sensitive_regular_expression_with_the_i_m_and_s_sub_modifiers(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Fact]
    public void Re_takes_linear_time_on_a_pattern_that_would_make_a_backtracking_engine_explode()
    {
        var json = "{\"a\":\"" + new string('a', 50_000) + "!\"}";

        Assert.False(On("a|re: '^(a+)+$'", json));
    }

    [Theory]
    [InlineData("ip|cidr: 10.0.0.0/8", """{"ip":"10.1.2.3"}""", true)]
    [InlineData("ip|cidr: 10.0.0.0/8", """{"ip":"11.1.2.3"}""", false)]
    [InlineData("ip|cidr: 192.168.1.0/23", """{"ip":"192.168.0.7"}""", true)]
    [InlineData("ip|cidr: 192.168.1.0/23", """{"ip":"192.168.2.7"}""", false)]
    [InlineData("ip|cidr: 0.0.0.0/0", """{"ip":"8.8.8.8"}""", true)]
    [InlineData("ip|cidr: 10.0.0.0/8", """{"ip":"cloudtrail.amazonaws.com"}""", false)]
    [InlineData("ip|cidr: 10.0.0.0/8", """{"ip":"AWS Internal"}""", false)]
    [InlineData("ip|cidr: 0.0.0.0/0", """{"ip":"10"}""", false)]
    [InlineData("ip|cidr: 10.0.0.0/8", """{"ip":10}""", false)]
    [InlineData("ip|cidr: '2001:db8::/32'", """{"ip":"2001:db8:1::5"}""", true)]
    [InlineData("ip|cidr: '2001:db8::/32'", """{"ip":"2001:db9::5"}""", false)]
    [InlineData("ip|cidr: '2001:db8::/32'", """{"ip":"10.1.2.3"}""", false)]
    [InlineData("ip|cidr: [10.0.0.0/8, 172.16.0.0/12]", """{"ip":"172.20.0.1"}""", true)]
    public void Cidr_holds_for_ip_addresses_inside_the_network_and_never_for_other_text(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("n|gt: 5", """{"n":6}""", true)]
    [InlineData("n|gt: 5", """{"n":5}""", false)]
    [InlineData("n|gte: 5", """{"n":5}""", true)]
    [InlineData("n|lt: 5", """{"n":4.5}""", true)]
    [InlineData("n|lte: 5", """{"n":5.0}""", true)]
    [InlineData("n|lte: 5", """{"n":5.1}""", false)]
    [InlineData("n|gt: 5", """{"n":"6"}""", true)]
    [InlineData("n|gt: 5", """{"n":"six"}""", false)]
    [InlineData("n|gt: 5", """{"n":true}""", false)]
    [InlineData("n|gt: 5", """{"m":6}""", false)]
    [InlineData("n|gt: 5", """{"n":[1,9]}""", true)]
    public void Numeric_comparisons_hold_only_for_numbers(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|fieldref: b", """{"a":"x","b":"x"}""", true)]
    [InlineData("a|fieldref: b", """{"a":"x","b":"X"}""", false)]
    [InlineData("a|fieldref: b", """{"a":"x"}""", false)]
    [InlineData("a|fieldref: b.c", """{"a":"x","b":[{"c":"y"},{"c":"x"}]}""", true)]
    [InlineData("a|fieldref: b", """{"a":["p","q"],"b":"q"}""", true)]
    [InlineData("a|fieldref: b", """{"a":5,"b":5}""", true)]
    [InlineData("a|fieldref: b", """{"a":null,"b":null}""", false)]
    [InlineData("a|fieldref|neq: b", """{"a":"x","b":"y"}""", true)]
    [InlineData("a|fieldref|neq: b", """{"a":"x","b":"x"}""", false)]
    [InlineData("userIdentity.principalId|fieldref: requestParameters.userName", """{"userIdentity":{"principalId":"bob"},"requestParameters":{"userName":"bob"}}""", true)]
    public void Fieldref_compares_with_another_field_as_case_sensitive_text(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|base64: 'hello'", """{"a":"aGVsbG8="}""", true)]
    [InlineData("a|base64|contains: 'hello'", """{"a":"xxaGVsbG8=yy"}""", true)]
    [InlineData("a|base64: 'hello'", """{"a":"AGVSBG8="}""", true)]
    [InlineData("a|base64offset|contains: 'hello'", """{"a":"aGVsbG8="}""", true)]
    [InlineData("a|base64offset|contains: 'hello'", """{"a":"IGhlbGxv"}""", true)]
    [InlineData("a|base64offset|contains: 'hello'", """{"a":"ICBoZWxsbw=="}""", true)]
    [InlineData("a|base64offset|contains: 'hello'", """{"a":"Z29vZGJ5ZQ=="}""", false)]
    [InlineData("a|wide|base64: 'cmd'", """{"a":"YwBtAGQA"}""", true)]
    [InlineData("a|utf16le|base64: 'cmd'", """{"a":"YwBtAGQA"}""", true)]
    [InlineData("a|utf16be|base64: 'cmd'", """{"a":"AGMAbQBk"}""", true)]
    [InlineData("a|utf16|base64: 'cmd'", """{"a":"//5jAG0AZAA="}""", true)]
    [InlineData("a|wide|base64offset|contains: 'cmd'", """{"a":"xxYwBtAGQAyy"}""", true)]
    public void Base64_and_utf16_modifiers_encode_the_value_before_matching(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Theory]
    [InlineData("a|windash|contains: ' -enc '", """{"a":"ps /enc x"}""", true)]
    [InlineData("a|windash|contains: ' -enc '", """{"a":"ps -enc x"}""", true)]
    [InlineData("a|windash|contains: ' -enc '", "{\"a\":\"ps \u2013enc x\"}", true)]
    [InlineData("a|windash|contains: ' -enc '", "{\"a\":\"ps \u2014enc x\"}", true)]
    [InlineData("a|windash|contains: ' -enc '", "{\"a\":\"ps \u2015enc x\"}", true)]
    [InlineData("a|windash|contains: ' -enc '", """{"a":"ps +enc x"}""", false)]
    [InlineData("a|contains: ' -enc '", """{"a":"ps /enc x"}""", false)]
    public void Windash_makes_the_five_dash_characters_interchangeable(string entry, string json, bool expected)
    {
        Assert.Equal(expected, On(entry, json));
    }

    [Fact]
    public void Expand_replaces_placeholders_with_every_value_the_user_supplies()
    {
        var options = new SigmaReadOptions(false, new Dictionary<string, IReadOnlyList<string>> { ["admins"] = ["alice", "bob"] });
        const string Detection = "selection:\n  userIdentity.userName|expand: '%admins%'\ncondition: selection";

        Assert.True(Matches(Detection, """{"userIdentity":{"userName":"Bob"}}""", options));
        Assert.False(Matches(Detection, """{"userIdentity":{"userName":"carol"}}""", options));
        Assert.False(Matches(Detection, """{"userIdentity":{"userName":"%admins%"}}""", options));
    }
}
