using System.Text;
using System.Text.Json;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.SampleTrail;

/// <summary>
/// The CIS rule ids the real rule engine finds in a record, so the generator's hand-worked expectations check the
/// engine and the engine checks the generator.
/// </summary>
internal static class CisRuleMatches
{
    private static readonly RuleSet Cis = new(BuiltInRules.Cis);

    public static IReadOnlyList<string> Match(string recordJson) => Match(Encoding.UTF8.GetBytes(recordJson));

    public static IReadOnlyList<string> Match(JsonElement record) => Match(Encoding.UTF8.GetBytes(record.GetRawText()));

    private static IReadOnlyList<string> Match(byte[] record) => Cis.CreateEvaluator().Match(record).Select(r => r.Id).ToList();
}
