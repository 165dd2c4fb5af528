using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Sigma;

/// <summary>The kinds of YAML scalar a Sigma value can be.</summary>
internal enum SigmaScalarKind
{
    /// <summary><c>null</c>, <c>~</c> or nothing.</summary>
    Null,

    /// <summary>Quoted, or plain text that is not another kind.</summary>
    String,

    /// <summary>A plain decimal integer or float.</summary>
    Number,

    /// <summary>Plain <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>A YAML scalar typed by the YAML 1.2 core schema (so a plain <c>No</c> stays the text "No").</summary>
internal readonly partial record struct SigmaScalar(SigmaScalarKind Kind, string Text, double Number, int Line)
{
    /// <summary>Types a scalar node; null for a node that is not a scalar.</summary>
    public static SigmaScalar? From(YamlNode node)
    {
        if (node is not YamlScalarNode scalar)
        {
            return null;
        }

        var text = scalar.Value ?? string.Empty;
        var line = (int)node.Start.Line;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag == "tag:yaml.org,2002:str")
        {
            return new SigmaScalar(SigmaScalarKind.String, text, 0, line);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return new SigmaScalar(SigmaScalarKind.Null, text, 0, line);
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return new SigmaScalar(SigmaScalarKind.Boolean, text.ToLowerInvariant(), 0, line);
        }

        return DecimalNumber().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? new SigmaScalar(SigmaScalarKind.Number, text, number, line)
            : new SigmaScalar(SigmaScalarKind.String, text, 0, line);
    }

    /// <summary>The value as a rule writes it, for messages and explanations.</summary>
    public override string ToString() => Kind switch
    {
        SigmaScalarKind.Null => "null",
        SigmaScalarKind.String => $"'{Text}'",
        _ => Text,
    };

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalNumber();
}
