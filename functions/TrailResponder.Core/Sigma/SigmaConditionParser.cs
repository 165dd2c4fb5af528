using System.Globalization;

namespace TrailResponder.Core.Sigma;

/// <summary>
/// Parses a condition: identifiers combined with <c>and</c>, <c>or</c>, <c>not</c> and parentheses (<c>not</c> binds
/// tightest, then <c>and</c>), and <c>1 of</c> / <c>all of</c> / <c>N of</c> a pattern or <c>them</c>.
/// </summary>
internal sealed class SigmaConditionParser
{
    private const string NearIsV1 = "'near' is a Sigma v1 aggregation; write a temporal correlation rule instead";

    private readonly List<string> _tokens;
    private readonly IReadOnlyDictionary<string, SigmaNode> _identifiers;
    private readonly string _condition;
    private readonly int _line;
    private int _position;
    private int _depth;

    private SigmaConditionParser(string condition, IReadOnlyDictionary<string, SigmaNode> identifiers, int line)
    {
        _condition = condition;
        _identifiers = identifiers;
        _line = line;
        _tokens = Tokenize(condition);
    }

    /// <summary>The node for a condition over the given identifiers (their bodies, by name).</summary>
    public static SigmaNode Parse(string condition, IReadOnlyDictionary<string, SigmaNode> identifiers, int line)
    {
        if (condition.Length > SigmaLimits.MaxConditionLength)
        {
            throw new SigmaRuleException(line, $"condition: longer than {SigmaLimits.MaxConditionLength:N0} characters");
        }

        var parser = new SigmaConditionParser(condition, identifiers, line);
        if (parser._tokens.Count == 0)
        {
            throw new SigmaRuleException(line, "condition: it is empty");
        }

        var node = parser.Or();
        if (parser._position == parser._tokens.Count)
        {
            return node;
        }

        var extra = parser._tokens[parser._position];
        throw parser.Error(IsKeyword(extra, "near") ? NearIsV1 : $"unexpected '{extra}'");
    }

    private SigmaNode Or()
    {
        var terms = new List<SigmaNode> { And() };
        while (Accept("or"))
        {
            terms.Add(And());
        }

        return terms.Count == 1 ? terms[0] : new AtLeastNode(1, terms);
    }

    private SigmaNode And()
    {
        var terms = new List<SigmaNode> { Not() };
        while (Accept("and"))
        {
            terms.Add(Not());
        }

        return terms.Count == 1 ? terms[0] : new AllNode(terms);
    }

    private SigmaNode Not()
    {
        if (!Accept("not"))
        {
            return Primary();
        }

        Enter();
        var node = new NotNode(Not());
        _depth--;
        return node;
    }

    private SigmaNode Primary()
    {
        var token = Next("an identifier, 'not', '(' or 'N of'");
        if (token == "(")
        {
            Enter();
            var inner = Or();
            _depth--;
            return Accept(")") ? inner : throw Error("a '(' is not closed");
        }

        if (token == ")" || IsKeyword(token, "and") || IsKeyword(token, "or") || IsKeyword(token, "of") || IsKeyword(token, "them"))
        {
            throw Error($"expected an identifier, 'not', '(' or 'N of' before '{token}'");
        }

        if (IsKeyword(token, "near"))
        {
            throw Error(NearIsV1);
        }

        if (_position < _tokens.Count && IsKeyword(_tokens[_position], "of"))
        {
            _position++;
            return Quantified(token, Next("a pattern or 'them' after 'of'"));
        }

        return _identifiers.TryGetValue(token, out var body)
            ? new IdentifierNode(token, body)
            : throw Error($"'{token}' is not a search identifier of this rule (known: {string.Join(", ", _identifiers.Keys)})");
    }

    // '1 of selection*', 'all of filter_*', '2 of them': over the identifiers the pattern names, 'them' for all but
    // those starting with '_'.
    private SigmaNode Quantified(string quantifier, string pattern)
    {
        var names = IsKeyword(pattern, "them")
            ? _identifiers.Keys.Where(n => !n.StartsWith('_')).ToArray()
            : _identifiers.Keys.Where(n => SigmaGlob.Compile(pattern, false, false, cased: true, windash: false).IsMatch(n)).ToArray();
        if (names.Length == 0)
        {
            throw Error($"no search identifier matches '{pattern}' (known: {string.Join(", ", _identifiers.Keys)})");
        }

        var nodes = names.Select(n => (SigmaNode)new IdentifierNode(n, _identifiers[n])).ToArray();
        if (IsKeyword(quantifier, "all"))
        {
            return nodes.Length == 1 ? nodes[0] : new AllNode(nodes);
        }

        if (!int.TryParse(quantifier, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw Error($"'{quantifier} of': the quantifier must be 'all' or a whole number of at least 1");
        }

        if (count > nodes.Length)
        {
            throw Error($"'{quantifier} of {pattern}': only {nodes.Length} identifier{(nodes.Length == 1 ? string.Empty : "s")} match");
        }

        return nodes.Length == 1 ? nodes[0] : new AtLeastNode(count, nodes);
    }

    private void Enter()
    {
        if (++_depth > SigmaLimits.MaxConditionDepth)
        {
            throw Error($"nested more than {SigmaLimits.MaxConditionDepth} deep");
        }
    }

    private bool Accept(string keyword)
    {
        if (_position < _tokens.Count && (keyword is "(" or ")" ? _tokens[_position] == keyword : IsKeyword(_tokens[_position], keyword)))
        {
            _position++;
            return true;
        }

        return false;
    }

    private string Next(string expected) => _position < _tokens.Count ? _tokens[_position++] : throw Error($"expected {expected} at the end");

    private static bool IsKeyword(string token, string keyword) => token.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private SigmaRuleException Error(string message) => new(_line, $"condition '{_condition}': {message}");

    private List<string> Tokenize(string condition)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < condition.Length)
        {
            var c = condition[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '|')
            {
                throw new SigmaRuleException(_line, $"condition '{condition}': '{condition[i..].Trim()}' is a Sigma v1 aggregation; write a correlation rule instead");
            }
            else
            {
                var start = i;
                while (i < condition.Length && !char.IsWhiteSpace(condition[i]) && condition[i] is not ('(' or ')' or '|'))
                {
                    i++;
                }

                tokens.Add(condition[start..i]);
            }
        }

        return tokens;
    }
}
