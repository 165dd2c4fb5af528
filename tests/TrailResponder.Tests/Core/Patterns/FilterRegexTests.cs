using System.Text;
using System.Text.RegularExpressions;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Tests.Core.Patterns;

public class FilterRegexTests
{
    private static FilterRegex Regex(string body) => Assert.Single(FilterPattern.Parse("{ $.a = %" + body + "% }").Regexes);

    private static FilterPatternException Refusal(string body) =>
        Assert.Throws<FilterPatternException>(() => FilterPattern.Parse("{ $.a = %" + body + "% }"));

    // Where the regex body starts in "{ $.a = %...% }".
    private const int BodyStart = 9;

    [Theory]
    [InlineData("^Describe", "DescribeInstances", true)]
    [InlineData("^Describe", "ListDescribe", false)]
    [InlineData("Instances$", "DescribeInstances\n", true)]
    [InlineData("Instances\\z", "DescribeInstances\n", false)]
    [InlineData("^$", "\n", true)]
    [InlineData("a.c", "a\nc", false)]
    [InlineData("a.c", "a\u00e9c", true)]
    [InlineData("^\\w+$", "caf\u00e9", true)]
    [InlineData("\\bcat\\b", "a cat!", true)]
    [InlineData("\\bcat\\b", "concatenate", false)]
    [InlineData("\\Bcat\\B", "concatenate", true)]
    [InlineData("^x{2,4}$", "xxxx", true)]
    [InlineData("^x{2,4}$", "xxxxx", false)]
    [InlineData("^x{2,4}$", "x", false)]
    [InlineData("^ab{0}c$", "ac", true)]
    [InlineData("^a|b$", "xxb", true)]
    [InlineData("^a|b$", "xxa", false)]
    [InlineData("a^*b", "ab", true)]
    [InlineData("a^b", "ab", false)]
    [InlineData("\\18", "\u00018", true)]
    [InlineData("[a-z-[aeiou]]", "e", false)]
    [InlineData("[]a]", "]", true)]
    [InlineData("a{b", "a{b", true)]
    [InlineData("^[0-9]{12}$", "111122223333", true)]
    [InlineData("arn:aws:iam::[0-9]{12}:root", "arn:aws:iam::111122223333:root", true)]
    public void Regexes_mean_what_they_mean_to_dotnet(string body, string value, bool expected)
    {
        Assert.Equal(expected, Regex(body).IsMatch(value));
        Assert.Equal(expected, new Regex(body, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking).IsMatch(value));
    }

    [Fact]
    public void Generated_regexes_match_the_same_values_as_the_dotnet_engine_they_replace()
    {
        // Fixed seed: the same thousand regexes every run, built from the whole allowed syntax, compared on short
        // values (every branch of the automaton) and long ones (automata of more than 64 states, several words).
        var random = new Random(12);
        string[] atoms = ["a", "b", ".", "\\w", "\\W", "\\d", "\\s", "[ab]", "[^a]", "[a-c]", "\\n", "\\x61", "\\u00e9", "[\\w-[b]]", "[]a]", "\\.", "{", "}", "_", "[\\b]", "\\012", "\\p{L}", "\\P{Ll}", "\\cA"];
        string[] quantifiers = ["", "", "", "*", "+", "?", "{0}", "{2}", "{0,2}", "{1,3}", "{2,}", "*?", "{1,2}?"];
        string[] longQuantifiers = ["{30,70}", "{65}", "{0,64}", "{63,}", "{1,100}"];
        string[] anchors = ["^", "$", "\\b", "\\B", "\\A", "\\z", "\\Z"];
        char[] letters = ['a', 'b', 'c', ' ', '\n', '1', '\u00e9', '_', '\u200D', 'A', '.', '{', '\u0001', '\b'];
        var compared = 0;
        for (var n = 0; n < 1000; n++)
        {
            var large = n % 10 == 0;
            var body = new StringBuilder();
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                var roll = random.Next(10);
                body.Append(roll == 0 ? "|" : roll <= 2 ? anchors[random.Next(anchors.Length)] + (random.Next(4) == 0 ? "?" : "")
                    : atoms[random.Next(atoms.Length)] + (large && random.Next(3) == 0 ? longQuantifiers[random.Next(longQuantifiers.Length)] : quantifiers[random.Next(quantifiers.Length)]));
            }

            var text = body.ToString();
            var reference = new Regex(text, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            var regex = Regex(text);
            for (var k = 0; k < 20; k++)
            {
                var value = new string([.. Enumerable.Range(0, random.Next(0, large ? 300 : 9)).Select(i => large && i % 2 == 0 ? "ab\n"[random.Next(3)] : letters[random.Next(letters.Length)])]);
                Assert.True(reference.IsMatch(value) == regex.IsMatch(value), $"%{text}% on \"{System.Text.RegularExpressions.Regex.Escape(value)}\"");
                compared++;
            }
        }

        Assert.Equal(20_000, compared);
    }

    [Fact]
    public void The_regex_of_the_issue_compiles_to_a_fixed_number_of_states_not_a_lazily_grown_DFA()
    {
        // a[ab]{500}c slowed the old engine to under 1 MB/s (NonBacktracking's DFA blew up and it fell back to an NFA);
        // here it is 504 states: two per alternative, one per character. The time per character is fixed by that number.
        var regex = Regex("a[ab]{500}c");

        Assert.Equal(504, regex.StateCount);
        Assert.False(regex.IsMatch(new string('a', 5000) + "b"));
        Assert.True(regex.IsMatch("a" + new string('b', 500) + "c"));
        Assert.False(regex.IsMatch("a" + new string('b', 499) + "c"));
    }

    [Fact]
    public void A_typical_regex_needs_well_under_a_kilobyte_of_tables()
    {
        Assert.InRange(Regex("^Describe").TableBytes, 1, 1024);
        Assert.InRange(Regex("^arn:aws:iam::[0-9]{12}:root$").TableBytes, 1, 1024);
    }

    [Fact]
    public void A_regex_at_every_bound_at_once_still_needs_under_46_KB_of_tables()
    {
        // Every boundary kind (16 gap tables), 240 single characters and one set cut into 7,600 places (nearly the
        // 256 classes allowed), and states up to the limit: about the largest tables a regex can have.
        var singles = string.Concat(Enumerable.Range(0, 240).Select(i => $"\\u{0x4000 + i:X4}"));
        var fragmented = "[" + string.Concat(Enumerable.Range(0, 3800).Select(i => $"\\u{0x100 + (2 * i):X4}")) + "]";
        var regex = Regex("^\\b" + singles + fragmented + "\\B.{250}$|\\z");

        Assert.InRange(regex.ClassCount, 240, FilterRegex.MaxCharacterClasses);
        Assert.True(regex.StateCount > FilterRegex.MaxStates - 64, $"{regex.StateCount} states");
        Assert.InRange(regex.TableBytes, 40_000, 46 * 1024);
    }

    [Theory]
    [InlineData("a{100000}", 1, "the repetition count 100000 is above the limit of 500")]
    [InlineData("a[ab]{4000}c", 5, "the repetition count 4000 is above the limit of 500")]
    [InlineData("a{1,501}", 1, "the repetition count 501 is above the limit of 500")]
    [InlineData("a{99999999999}", 11, "invalid regex: Quantifier and capture group numbers must be less than or equal to Int32.MaxValue.")]
    [InlineData("[ab]{500}x[ab]{30}", 10, "needs more than 512 automaton states")]
    [InlineData("\\G", 0, "\\G is not supported")]
    [InlineData("\\1", 1, "invalid regex: Reference to undefined group number 1.")]
    [InlineData("a\\q", 2, "invalid regex: Unrecognized escape sequence \\q.")]
    [InlineData("[z-a]", 3, "invalid regex: [x-y] range in reverse order.")]
    [InlineData("a**", 2, "invalid regex: Nested quantifier '*'.")]
    [InlineData("*a", 0, "invalid regex: Quantifier '*' following nothing.")]
    [InlineData("\\p{Foo}", 6, "invalid regex: Unknown property 'Foo'.")]
    [InlineData("[ab", 2, "invalid regex: Unterminated [] set.")]
    public void Regexes_beyond_the_bounds_or_the_syntax_are_refused_at_the_character_responsible(string body, int offset, string problem)
    {
        var error = Refusal(body);

        Assert.Equal(BodyStart + offset, error.Position);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"filter pattern error at character {BodyStart + offset + 1}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regex_telling_apart_too_many_kinds_of_characters_is_refused()
    {
        var body = string.Concat(Enumerable.Range(0x100, FilterRegex.MaxCharacterClasses).Select(c => $"\\u{c:X4}"));

        Assert.Contains($"more than {FilterRegex.MaxCharacterClasses} classes of characters", Refusal(body).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regex_whose_sets_are_cut_into_too_many_ranges_is_refused_at_the_set()
    {
        // Every other code unit from U+0100: each one starts and stops a range.
        var set = "[" + string.Concat(Enumerable.Range(0, (FilterRegex.MaxSetBoundaries / 2) + 1).Select(i => $"\\u{0x100 + (2 * i):X4}")) + "]";

        var error = Refusal("x" + set);

        Assert.Equal(BodyStart + 1, error.Position);
        Assert.Contains($"more than {FilterRegex.MaxSetBoundaries} places", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parentheses_nested_too_deep_are_refused_before_the_parser_recurses_into_them()
    {
        var deep = "{ " + new string('(', 100_000) + "$.a = 1" + new string(')', 100_000) + " }";

        var error = Assert.Throws<FilterPatternException>(() => FilterPattern.Parse(deep));

        Assert.Equal(2 + FilterPattern.MaxNesting, error.Position);
        Assert.Contains($"nest more than {FilterPattern.MaxNesting} deep", error.Problem, StringComparison.Ordinal);
    }
}
