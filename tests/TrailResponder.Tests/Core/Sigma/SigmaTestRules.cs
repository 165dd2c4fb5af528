using System.Text;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Tests.Core.Sigma;

/// <summary>Builds Sigma rules from YAML text and evaluates them both ways: alone, and in a rule set beside the built-ins.</summary>
internal static class SigmaTestRules
{
    public static SigmaFile Read(string yaml, string source = "rule.yml", SigmaReadOptions? options = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return SigmaFileReader.Read(source, stream, options ?? SigmaReadOptions.Default);
    }

    /// <summary>A CloudTrail rule whose detection is <paramref name="detection"/> (YAML written at column 0).</summary>
    public static string Document(string detection, string extra = "") =>
        "title: Test rule\n" + extra + "logsource:\n  product: aws\n  service: cloudtrail\ndetection:\n"
        + string.Join("\n", detection.Split('\n').Select(l => "  " + l)) + "\n";

    public static SigmaRule Rule(string detection, SigmaReadOptions? options = null)
    {
        var file = Read(Document(detection), options: options);
        Assert.True(file.Errors.Count == 0, string.Join("\n", file.Errors));
        return Assert.Single(file.Rules);
    }

    /// <summary>The error of a rule whose detection is invalid.</summary>
    public static string ErrorOf(string detection, SigmaReadOptions? options = null) =>
        Assert.Single(Read(Document(detection), options: options).Errors);

    /// <summary>Whether the detection matches the record; the rule-set path (shared layout, index) must agree.</summary>
    public static bool Matches(string detection, string json, SigmaReadOptions? options = null)
    {
        var rule = Rule(detection, options);
        var bytes = Encoding.UTF8.GetBytes(json);
        var alone = rule.Detection.Matches(bytes);
        var set = new RuleSet([.. BuiltInRules.All, rule.ToDetectionRule()]);
        var inSet = set.CreateEvaluator().Match(bytes).Any(r => r.Id == rule.RuleId);
        Assert.True(alone == inSet, $"alone: {alone}, in a rule set: {inSet}");
        return alone;
    }
}
