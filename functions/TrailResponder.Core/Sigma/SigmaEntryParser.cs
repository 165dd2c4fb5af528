using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Sigma;

/// <summary>Reads one map entry, <c>field|modifier|...: value or list</c>, into a <see cref="SigmaEntry"/>.</summary>
/// <remarks>Modifiers and what they may be combined with follow sigma.md; anything else is an error naming it.</remarks>
internal static partial class SigmaEntryParser
{
    private static readonly string[] Known =
    [
        "contains", "startswith", "endswith", "all", "exists", "cased", "neq", "windash", "re", "i", "m", "s",
        "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "cidr", "gt", "gte", "lt", "lte", "expand", "fieldref",
    ];

    private static readonly string[] Kinds = ["contains", "startswith", "endswith", "re", "cidr", "gt", "gte", "lt", "lte", "fieldref", "exists"];
    private static readonly string[] Encodings = ["base64", "base64offset", "utf16le", "utf16be", "utf16", "wide"];

    // What each kind of match may be combined with; the string kinds (none, contains, startswith, endswith) take the rest.
    private static readonly Dictionary<string, string[]> Companions = new(StringComparer.Ordinal)
    {
        ["re"] = ["all", "neq", "i", "m", "s"],
        ["cidr"] = ["all", "neq"],
        ["fieldref"] = ["all", "neq"],
        ["gt"] = ["all"],
        ["gte"] = ["all"],
        ["lt"] = ["all"],
        ["lte"] = ["all"],
        ["exists"] = [],
    };

    /// <summary>Parses an entry of a map; an empty field name (<c>'|re': ...</c>) searches the whole record, like keywords.</summary>
    public static SigmaEntry Parse(string key, YamlNode value, int line, SigmaParseContext context)
    {
        var parts = key.Split('|');
        var field = parts[0].Length == 0 ? SigmaField.Record : SigmaField.Parse(parts[0])
            ?? throw new SigmaRuleException(line, $"'{Label(key)}': '{parts[0]}' is not a field name (empty step between dots)");
        var modifiers = parts[1..];
        var scalars = Scalars(key, value, line);
        context.Count(scalars.Count, line);
        CheckModifiers(key, modifiers, scalars, line);
        var kind = modifiers.FirstOrDefault(Kinds.Contains);
        if (kind is null && field.IsRecord)
        {
            kind = "contains";
        }

        var written = Written(key, scalars);
        if (kind == "exists")
        {
            var exists = scalars[0];
            return exists.Kind == SigmaScalarKind.Boolean
                ? new SigmaEntry(field, written, exists.Text == "true" ? SigmaEntryMode.Exists : SigmaEntryMode.Missing, [])
                : throw new SigmaRuleException(line, $"'{Label(key)}': exists takes true or false, not {exists}");
        }

        var mode = modifiers.Contains("neq") ? SigmaEntryMode.NotEqual : modifiers.Contains("all") ? SigmaEntryMode.All : SigmaEntryMode.Any;
        var matchers = scalars.Select(s => Matcher(key, kind, modifiers, s, context)).ToArray();
        return new SigmaEntry(field, written, mode, matchers);
    }

    private static List<SigmaScalar> Scalars(string key, YamlNode value, int line)
    {
        var nodes = value is YamlSequenceNode sequence ? sequence.Children : [value];
        var scalars = new List<SigmaScalar>();
        foreach (var node in nodes)
        {
            scalars.Add(SigmaScalar.From(node)
                ?? throw new SigmaRuleException((int)node.Start.Line, $"'{Label(key)}': a value must be a single string, number, boolean or null, not a {(node is YamlMappingNode ? "map" : "list")}"));
        }

        return scalars.Count > 0 ? scalars : throw new SigmaRuleException(line, $"'{Label(key)}': the list of values is empty");
    }

    private static void CheckModifiers(string key, string[] modifiers, List<SigmaScalar> values, int line)
    {
        SigmaRuleException Error(string message) => new(line, $"'{Label(key)}': {message}");

        foreach (var modifier in modifiers)
        {
            if (!Known.Contains(modifier, StringComparer.Ordinal))
            {
                throw Error($"unknown modifier '{modifier}' (supported: {string.Join(", ", Known)})");
            }
        }

        if (modifiers.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Error($"the modifier '{twice.Key}' is given twice");
        }

        var kinds = modifiers.Where(Kinds.Contains).ToArray();
        if (kinds.Length > 1)
        {
            throw Error($"'{kinds[0]}' and '{kinds[1]}' cannot be combined");
        }

        if (kinds.Length == 1 && Companions.TryGetValue(kinds[0], out var companions)
            && modifiers.FirstOrDefault(m => m != kinds[0] && !companions.Contains(m)) is { } stranger)
        {
            throw Error($"'{stranger}' cannot be combined with '{kinds[0]}'");
        }

        if (modifiers.FirstOrDefault(m => m is "i" or "m" or "s") is { } flag && !modifiers.Contains("re"))
        {
            throw Error($"'{flag}' is a sub-modifier of 're'");
        }

        if (modifiers.Contains("all") && values.Count < 2)
        {
            throw Error("'all' needs a list of at least two values");
        }

        if (modifiers.Contains("all") && modifiers.Contains("neq"))
        {
            throw Error("'all' and 'neq' cannot be combined ('neq' already excludes every value)");
        }

        if (modifiers.Contains("exists") && values.Count != 1)
        {
            throw Error("'exists' takes a single true or false");
        }

        var encodings = modifiers.Where(Encodings.Contains).ToArray();
        if (encodings.Length > 0)
        {
            if (!modifiers.Contains("base64") && !modifiers.Contains("base64offset"))
            {
                throw Error($"'{encodings[0]}' must be followed by 'base64' or 'base64offset'");
            }

            if (modifiers.Contains("base64") && modifiers.Contains("base64offset"))
            {
                throw Error("'base64' and 'base64offset' cannot be combined");
            }

            if (encodings.Count(e => e is "utf16le" or "utf16be" or "utf16" or "wide") > 1)
            {
                throw Error("only one of 'utf16le', 'utf16be', 'utf16' and 'wide' can be given");
            }

            if (modifiers.Contains("windash"))
            {
                throw Error("'windash' cannot be combined with base64 encoding");
            }
        }

        if (values.Any(v => v.Kind == SigmaScalarKind.Null) && modifiers.Any(m => m != "neq"))
        {
            throw Error($"null takes no modifier other than 'neq' (it tests that the field is missing or null)");
        }
    }

    private static SigmaMatcher Matcher(string key, string? kind, string[] modifiers, SigmaScalar value, SigmaParseContext context)
    {
        SigmaRuleException Error(string message) => new(value.Line, $"'{Label(key)}': {message}");

        if (value.Kind == SigmaScalarKind.Null)
        {
            return NullMatcher.Instance;
        }

        if (value.Text.Length > SigmaLimits.MaxValueLength)
        {
            throw Error($"a value is longer than {SigmaLimits.MaxValueLength:N0} characters");
        }

        switch (kind)
        {
            case "re":
                return SigmaRegex.Compile(value.Text, modifiers, Error);
            case "cidr":
                return SigmaCidr.Parse(value.Text) is { } network
                    ? new CidrMatcher(network)
                    : throw Error($"{value} is not an IPv4 or IPv6 network such as 10.0.0.0/8");
            case "gt" or "gte" or "lt" or "lte":
                return value.Kind == SigmaScalarKind.Number
                    ? new ComparisonMatcher(kind, value.Number)
                    : throw Error($"'{kind}' compares numbers; {value} is not a number");
            case "fieldref":
                return SigmaField.Parse(value.Text) is { } other && value.Kind == SigmaScalarKind.String
                    ? new FieldRefMatcher(other)
                    : throw Error($"'fieldref' takes a field name; {value} is not one");
        }

        // A plain number compares numerically with a JSON number; any string modifier makes it text.
        var stringModifiers = kind is not null || modifiers.Any(m => m != "all" && m != "neq");
        if (value.Kind == SigmaScalarKind.Number && !stringModifiers)
        {
            return new NumberMatcher(value.Number, value.Text);
        }

        var texts = modifiers.Contains("expand") ? Expand(value.Text, context, Error) : [value.Text];
        context.Count(texts.Count - 1, value.Line);
        var leading = kind is "contains" or "endswith";
        var trailing = kind is "contains" or "startswith";
        var cased = modifiers.Contains("cased");
        if (modifiers.Contains("base64") || modifiers.Contains("base64offset"))
        {
            var encoded = texts.SelectMany(t => SigmaEncoding.Encode(t, modifiers, Error)).ToArray();
            context.Count(encoded.Length - texts.Count, value.Line);
            return new GlobMatcher(encoded.Select(e => SigmaGlob.Compile(e, leading, trailing, cased, windash: false, literal: true)).ToArray(), value.ToString());
        }

        return new GlobMatcher(texts.Select(t => SigmaGlob.Compile(t, leading, trailing, cased, modifiers.Contains("windash"))).ToArray(), value.ToString());
    }

    // Every combination of the placeholders' values; a placeholder without values is an error.
    private static List<string> Expand(string text, SigmaParseContext context, Func<string, SigmaRuleException> error)
    {
        var results = new List<string> { string.Empty };
        var position = 0;
        foreach (Match placeholder in Placeholder().Matches(text))
        {
            var literal = text[position..placeholder.Index];
            var name = placeholder.Groups[1].Value;
            if (!context.Placeholders.TryGetValue(name, out var values) || values.Count == 0)
            {
                throw error($"the placeholder %{name}% has no value (give it with --placeholder {name}=VALUE)");
            }

            results = results.SelectMany(r => values.Select(v => r + literal + v)).ToList();
            if (results.Count > SigmaLimits.MaxValuesPerRule)
            {
                throw error($"expanding the placeholders gives more than {SigmaLimits.MaxValuesPerRule:N0} values");
            }

            position = placeholder.Index + placeholder.Length;
        }

        return results.Select(r => r + text[position..]).ToList();
    }

    private static string Written(string key, List<SigmaScalar> values)
    {
        var text = new StringBuilder(Label(key)).Append(": ");
        text.Append(values.Count == 1 ? values[0].ToString() : $"[{string.Join(", ", values)}]");
        return text.Length > 200 ? text.ToString(0, 197) + "..." : text.ToString();
    }

    // Keyword lists have no field: name them as such in messages.
    private static string Label(string key) => key.Length == 0 || key[0] == '|' ? "keywords" + key : key;

    [GeneratedRegex("%([A-Za-z0-9_.-]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
