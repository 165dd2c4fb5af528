using System.Text;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Tests.Core.Patterns;

public class FilterPatternTests
{
    // The two documented example events of the CloudWatch Logs "Filter and pattern syntax" page.
    private const string FirstExample = """{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null}""";
    private const string SecondExample = """{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}""";

    private static bool Matches(string pattern, string json) => FilterPattern.Parse(pattern).Matches(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{ $.eventType = "UpdateTrail" }""")]
    [InlineData("{ $.sourceIPAddress != 123.123.* }")]
    [InlineData("""{ $.arrayKey[0] = "value" }""")]
    [InlineData("{ $.objectList[1].id = 2 }")]
    [InlineData("{ $.SomeObject IS NULL }")]
    [InlineData("{ $.SomeOtherObject NOT EXISTS }")]
    public void Documented_examples_match_the_first_example_event(string pattern)
    {
        Assert.True(Matches(pattern, FirstExample));
    }

    [Theory]
    [InlineData("""{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }""", true)]
    [InlineData("""{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }""", true)]
    [InlineData("""{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }""", false)]
    [InlineData("""{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }""", false)]
    [InlineData("{ $.coordinates[2][0] = 7 }", true)]
    [InlineData("{ $.coordinates[3][0] = 7 }", false)]
    public void Documented_precedence_examples_give_the_documented_results(string pattern, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, SecondExample));
    }

    [Theory]
    [InlineData("""{ $.code = "AccessDenied*" }""", """{"code":"AccessDeniedException"}""", true)]
    [InlineData("""{ $.code = "*UnauthorizedOperation" }""", """{"code":"Client.UnauthorizedOperation"}""", true)]
    [InlineData("""{ $.code = "*UnauthorizedOperation" }""", """{"code":"UnauthorizedAccess"}""", false)]
    [InlineData("""{ $.code = "Access*Exception" }""", """{"code":"AccessDeniedException"}""", true)]
    [InlineData("""{ $.code = "Access*Denied*Exception" }""", """{"code":"AccessException"}""", false)]
    [InlineData("""{ $.code = "*Denied*" }""", """{"code":"Denied"}""", true)]
    [InlineData("""{ $.code = "AccessDenied" }""", """{"code":"accessdenied"}""", false)]
    [InlineData("{ $.name = ConsoleLogin }", """{"name":"ConsoleLogin"}""", true)]
    [InlineData("{ $.source = kms.amazonaws.com }", """{"source":"kms.amazonaws.com"}""", true)]
    [InlineData("{ $.text = \"caf\u00e9\" }", """{"text":"caf\u00e9"}""", true)]
    [InlineData("""{ $.text = "say \"hi\"" }""", """{"text":"say \"hi\""}""", true)]
    [InlineData("""{ $.path = "C:\\temp" }""", """{"path":"C:\\temp"}""", true)]
    public void String_equality_is_exact_case_sensitive_with_star_wildcards(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Theory]
    [InlineData("{ $.n = 400 }", """{"n":400}""", true)]
    [InlineData("{ $.n = 400 }", """{"n":400.0}""", true)]
    [InlineData("{ $.n = 4e2 }", """{"n":400}""", true)]
    [InlineData("{ $.n != 400 }", """{"n":401}""", true)]
    [InlineData("{ $.n > 399.5 }", """{"n":400}""", true)]
    [InlineData("{ $.n >= 400 }", """{"n":400}""", true)]
    [InlineData("{ $.n < -5 }", """{"n":-6}""", true)]
    [InlineData("{ $.n <= +1e+3 }", """{"n":1000}""", true)]
    [InlineData("{ $.n < 0.75 }", """{"n":0.75}""", false)]
    [InlineData("{ $.n > 1 }", """{"n":"5"}""", false)]
    [InlineData("""{ $.n = "400" }""", """{"n":400}""", false)]
    [InlineData("{ $.n = 400 }", """{"n":"400"}""", true)]
    [InlineData("{ $.n = 400 }", """{"n":"400.0"}""", false)]
    public void Numbers_compare_numerically_only_with_unquoted_numbers(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Theory]
    [InlineData("{ $.a = x }", """{"b":"x"}""", false)]
    [InlineData("{ $.a != x }", """{"b":"x"}""", false)]
    [InlineData("{ $.a > 1 }", """{"b":2}""", false)]
    [InlineData("{ $.a NOT EXISTS }", """{"b":1}""", true)]
    [InlineData("{ $.a.b.c NOT EXISTS }", """{"a":null}""", true)]
    [InlineData("{ $.a.b NOT EXISTS }", """{"a":{"b":null}}""", false)]
    [InlineData("{ $.a = x }", """{"a":null}""", false)]
    [InlineData("{ $.a != x }", """{"a":null}""", false)]
    [InlineData("{ $.a IS NULL }", """{"a":null}""", true)]
    [InlineData("{ $.a IS NULL }", """{"b":null}""", false)]
    [InlineData("{ $.a = x }", """{"a":{"x":1}}""", false)]
    [InlineData("{ $.a != x }", """{"a":["x"]}""", false)]
    [InlineData("{ $.a IS NULL }", """{"a":{}}""", false)]
    public void Missing_null_and_container_values_follow_the_project_rules(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Theory]
    [InlineData("{ $.b IS TRUE }", """{"b":true}""", true)]
    [InlineData("{ $.b IS TRUE }", """{"b":"true"}""", false)]
    [InlineData("{ $.b IS FALSE }", """{"b":false}""", true)]
    [InlineData("{ $.b IS FALSE }", """{"b":0}""", false)]
    [InlineData("{ $.b = true }", """{"b":true}""", false)]
    [InlineData("""{ $.b = "false" }""", """{"b":"false"}""", true)]
    [InlineData("""{ $.b != "true" }""", """{"b":false}""", false)]
    public void Only_IS_TRUE_and_IS_FALSE_match_json_booleans(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Theory]
    [InlineData("{ $.a = * }", """{"a":"x"}""", true)]
    [InlineData("""{ $.a = "*" }""", """{"a":7}""", true)]
    [InlineData("{ $.a = * }", """{"a":false}""", true)]
    [InlineData("{ $.a = * }", """{"a":null}""", false)]
    [InlineData("{ $.a = * }", """{"a":{}}""", false)]
    [InlineData("{ $.a = * }", "{}", false)]
    [InlineData("{ $.a != * }", """{"a":"x"}""", false)]
    public void A_lone_star_tests_for_a_present_non_null_scalar(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Theory]
    [InlineData("{ $.eventName = %^Describe% }", """{"eventName":"DescribeInstances"}""", true)]
    [InlineData("{ $.eventName = %^Describe% }", """{"eventName":"ListDescribe"}""", false)]
    [InlineData("{ $.eventName != %Instances$% }", """{"eventName":"DescribeVpcs"}""", true)]
    [InlineData("{ $.code = %AUTHORIZED% }", """{"code":"UNAUTHORIZED_X"}""", true)]
    [InlineData("{ $.n = %4% }", """{"n":4}""", false)]
    public void Regex_values_search_string_values(string pattern, string json, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, json));
    }

    [Fact]
    public void A_member_that_appears_twice_is_read_from_its_last_occurrence()
    {
        Assert.True(Matches("{ $.a.b = 2 }", """{"a":{"b":1},"a":{"b":2}}"""));
        Assert.False(Matches("{ $.a.b = 1 }", """{"a":{"b":1},"a":"flat"}"""));
    }

    [Fact]
    public void Escaped_member_names_and_values_are_matched_unescaped()
    {
        Assert.True(Matches("{ $.eventName = ConsoleLogin }", """{"\u0065ventName":"Console\u004cogin"}"""));
    }

    [Fact]
    public void Whitespace_around_operators_is_optional()
    {
        Assert.True(Matches("{($.eventName=ConsoleLogin)&&($.n>=1)}", """{"eventName":"ConsoleLogin","n":1}"""));
    }

    [Fact]
    public void Selectors_list_every_distinct_path_the_pattern_reads()
    {
        var pattern = FilterPattern.Parse("{ $.a = 1 || ($.b.c[0] = x && $.a != 2) }");

        Assert.Equal(["$.a", "$.b.c[0]"], pattern.Selectors.Select(s => s.Text));
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("$.a = 1", 0, "starts with '{'")]
    [InlineData("{ $.a = 1", 9, "closing '}'")]
    [InlineData("{ $.a = 1 } x", 12, "after the closing")]
    [InlineData("{ a = 1 }", 2, "selector")]
    [InlineData("{ $. = 1 }", 4, "member name")]
    [InlineData("{ $.a[x] = 1 }", 6, "array index")]
    [InlineData("{ $.a 1 }", 6, "expected =, !=")]
    [InlineData("{ $.a is null }", 6, "upper-case")]
    [InlineData("{ $.a IS NOT NULL }", 6, "IS NOT is not supported")]
    [InlineData("{ $.a EXISTS }", 6, "EXISTS is not supported")]
    [InlineData("{ $.a IS MAYBE }", 9, "NULL, TRUE or FALSE")]
    [InlineData("{ $.a NOT THERE }", 10, "EXISTS after NOT")]
    [InlineData("{ $.a = }", 8, "expected a value")]
    [InlineData("""{ $.a = "open }""", 8, "never closed")]
    [InlineData("{ $.a > abc }", 8, "compares numbers only")]
    [InlineData("{ ($.a = 1 }", 11, "')'")]
    [InlineData("{ $.a = 1 && }", 13, "selector")]
    [InlineData("{ $.a = %a b% }", 10, "not allowed in a filter-pattern regex")]
    [InlineData("{ $.a = %(x)% }", 9, "not allowed")]
    [InlineData("{ $.a = %x }", 8, "never closed")]
    public void Malformed_patterns_report_the_problem_and_its_position(string pattern, int position, string problem)
    {
        var error = Assert.Throws<FilterPatternException>(() => FilterPattern.Parse(pattern));

        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(new string(' ', position) + "^", error.Message, StringComparison.Ordinal);
    }
}
