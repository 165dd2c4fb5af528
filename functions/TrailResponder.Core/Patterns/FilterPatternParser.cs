using System.Globalization;
using System.Text;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Patterns;

/// <summary>Recursive-descent parser for CloudWatch Logs JSON filter patterns (see filter-patterns.md, A.2).</summary>
internal sealed class FilterPatternParser
{
    private const string RegexSymbols = ":_#=@/;,-^$?[]{}|\\*+.";
    private readonly string _text;
    private int _position;
    private int _depth;

    private FilterPatternParser(string text) => _text = text;

    public static PatternExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FilterPatternParser(text).ParsePattern();
    }

    private PatternExpression ParsePattern()
    {
        SkipSpace();
        if (!TryTake('{'))
        {
            throw Error(_position == _text.Length
                ? "the pattern is empty"
                : "a JSON filter pattern starts with '{' (space-delimited and plain-text patterns are not supported)");
        }

        var expression = ParseOr();
        SkipSpace();
        if (!TryTake('}'))
        {
            throw Error(_position == _text.Length ? "missing the closing '}'" : "expected '&&', '||' or the closing '}'");
        }

        SkipSpace();
        if (_position != _text.Length)
        {
            throw Error("unexpected text after the closing '}'");
        }

        return expression;
    }

    private PatternExpression ParseOr()
    {
        var terms = new List<PatternExpression> { ParseAnd() };
        while (TryTakeOperator("||"))
        {
            terms.Add(ParseAnd());
        }

        return terms.Count == 1 ? terms[0] : new AnyOf(terms);
    }

    private PatternExpression ParseAnd()
    {
        var terms = new List<PatternExpression> { ParsePrimary() };
        while (TryTakeOperator("&&"))
        {
            terms.Add(ParsePrimary());
        }

        return terms.Count == 1 ? terms[0] : new AllOf(terms);
    }

    private PatternExpression ParsePrimary()
    {
        SkipSpace();
        if (TryTake('('))
        {
            if (++_depth > FilterPattern.MaxNesting)
            {
                throw Error($"parentheses nest more than {FilterPattern.MaxNesting} deep", _position - 1);
            }

            var inner = ParseOr();
            _depth--;
            SkipSpace();
            if (!TryTake(')'))
            {
                throw Error("expected ')' to close the '(' group");
            }

            return inner;
        }

        return ParseCondition();
    }

    private PatternExpression ParseCondition()
    {
        if (_position >= _text.Length || _text[_position] != '$')
        {
            throw Error(_position >= _text.Length ? "the pattern ends where a condition should start" : "expected a condition starting with a selector such as $.eventName");
        }

        if (!FieldPath.TryParse(_text, ref _position, out var selector, out var error))
        {
            throw Error(error!);
        }

        SkipSpace();
        var keywordStart = _position;
        if (TryTakeKeyword("IS"))
        {
            SkipSpace();
            if (TryTakeKeyword("NULL"))
            {
                return new KeywordCondition(selector!, KeywordTest.IsNull);
            }

            if (TryTakeKeyword("TRUE"))
            {
                return new KeywordCondition(selector!, KeywordTest.IsTrue);
            }

            if (TryTakeKeyword("FALSE"))
            {
                return new KeywordCondition(selector!, KeywordTest.IsFalse);
            }

            if (TryTakeKeyword("NOT"))
            {
                throw Error("IS NOT is not supported: use != for values or NOT EXISTS for absent members", keywordStart);
            }

            throw Error("expected NULL, TRUE or FALSE after IS");
        }

        if (TryTakeKeyword("NOT"))
        {
            SkipSpace();
            if (TryTakeKeyword("EXISTS"))
            {
                return new KeywordCondition(selector!, KeywordTest.NotExists);
            }

            throw Error("expected EXISTS after NOT");
        }

        if (TryTakeKeyword("EXISTS"))
        {
            throw Error("EXISTS is not supported: test presence with '= *'", keywordStart);
        }

        var op = ParseOperator(selector!);
        SkipSpace();
        var valueStart = _position;
        var value = ParseValue();
        if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual) && value.Number is null)
        {
            throw Error($"the operator {Symbol(op)} compares numbers only, but '{value.Text}' is not a number", valueStart);
        }

        return new Comparison(selector!, op, value);
    }

    private ComparisonOperator ParseOperator(FieldPath selector)
    {
        if (TryTakeOperator("!="))
        {
            return ComparisonOperator.NotEqual;
        }

        if (TryTakeOperator("<="))
        {
            return ComparisonOperator.LessOrEqual;
        }

        if (TryTakeOperator(">="))
        {
            return ComparisonOperator.GreaterOrEqual;
        }

        if (TryTakeOperator("="))
        {
            return ComparisonOperator.Equal;
        }

        if (TryTakeOperator("<"))
        {
            return ComparisonOperator.Less;
        }

        if (TryTakeOperator(">"))
        {
            return ComparisonOperator.Greater;
        }

        var hint = _position < _text.Length && char.IsAsciiLetterLower(_text[_position]) ? " (keywords are upper-case)" : string.Empty;
        throw Error($"expected =, !=, <, <=, >, >=, IS or NOT EXISTS after {selector}{hint}");
    }

    private PatternValue ParseValue()
    {
        if (_position >= _text.Length)
        {
            throw Error("expected a value");
        }

        return _text[_position] switch
        {
            '"' => ParseQuoted(),
            '%' => ParseRegex(),
            _ => ParseBareToken(),
        };
    }

    private PatternValue ParseQuoted()
    {
        var open = _position++;
        var text = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            if (c == '"')
            {
                return new PatternValue(text.ToString(), IsQuoted: true, Number: null, Regex: null);
            }

            // Only \" and \\ are escapes (what the AWS CDK emits); any other backslash stands for itself.
            if (c == '\\' && _position < _text.Length && _text[_position] is '"' or '\\')
            {
                c = _text[_position++];
            }

            text.Append(c);
        }

        throw Error("the quoted value is never closed", open);
    }

    private PatternValue ParseRegex()
    {
        var open = _position++;
        var end = _text.IndexOf('%', _position);
        if (end < 0)
        {
            throw Error("the regex is never closed with '%'", open);
        }

        var body = _text[_position..end];
        if (body.Length == 0)
        {
            throw Error("the regex is empty", open);
        }

        for (var i = 0; i < body.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(body[i]) && !RegexSymbols.Contains(body[i], StringComparison.Ordinal))
            {
                throw Error($"'{body[i]}' is not allowed in a filter-pattern regex (no groups, no spaces, ASCII only)", _position + i);
            }
        }

        FilterRegex regex;
        try
        {
            regex = FilterRegex.Compile(body);
        }
        catch (FilterRegexException e)
        {
            throw Error(e.Problem, _position + e.Offset);
        }

        _position = end + 1;
        return new PatternValue(body, IsQuoted: false, Number: null, regex);
    }

    private PatternValue ParseBareToken()
    {
        var start = _position;
        while (_position < _text.Length && !IsTokenBreak(_text[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            throw Error("expected a value (a quoted string, a number, a word, * or %regex%)");
        }

        var text = _text[start.._position];
        return new PatternValue(text, IsQuoted: false, ParseNumber(text), Regex: null);
    }

    private static bool IsTokenBreak(char c) => char.IsWhiteSpace(c) || c is '(' or ')' or '{' or '}' or '"' or '&' or '|' or '=' or '!' or '<' or '>';

    // JSON-style numbers only (optional sign, digits, fraction, exponent): "Infinity" or "0x10" are words.
    private static double? ParseNumber(string token)
    {
        var i = 0;
        if (i < token.Length && token[i] is '+' or '-')
        {
            i++;
        }

        var digits = 0;
        while (i < token.Length && char.IsAsciiDigit(token[i]))
        {
            i++;
            digits++;
        }

        if (i < token.Length && token[i] == '.')
        {
            i++;
            while (i < token.Length && char.IsAsciiDigit(token[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return null;
        }

        if (i < token.Length && token[i] is 'e' or 'E')
        {
            i++;
            if (i < token.Length && token[i] is '+' or '-')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < token.Length && char.IsAsciiDigit(token[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return null;
            }
        }

        return i == token.Length ? double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
    }

    private static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.NotEqual => "!=",
        _ => "=",
    };

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private bool TryTake(char c)
    {
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private bool TryTakeOperator(string op)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _position, op, 0, op.Length) == 0)
        {
            _position += op.Length;
            return true;
        }

        return false;
    }

    private bool TryTakeKeyword(string keyword)
    {
        var end = _position + keyword.Length;
        if (string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) == 0
            && (end == _text.Length || !FieldPath.IsNameCharacter(_text[end])))
        {
            _position = end;
            return true;
        }

        return false;
    }

    private FilterPatternException Error(string problem, int? at = null) => new(_text, at ?? _position, problem);
}
