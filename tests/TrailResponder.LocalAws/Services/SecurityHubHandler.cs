using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TrailResponder.LocalAws.Faults;
using TrailResponder.LocalAws.Protocol;

namespace TrailResponder.LocalAws.Services;

/// <summary>Security Hub BatchImportFindings: per-finding ASFF checks, upsert by Id, injected per-finding failures.</summary>
internal sealed partial class SecurityHubHandler(SecurityHubStore store, FaultInjector faults) : IServiceHandler
{
    // The error code and message prefix AWS reports for a finding that breaks the ASFF schema (aws-wire.md §3);
    // the detail after the prefix imitates its JSON-schema wording and is our own.
    private const string InvalidInput = "InvalidInput";
    private const string FormatMessage = "Finding does not adhere to Amazon Finding Format.";

    private static readonly string[] RequiredStrings = ["SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "CreatedAt", "UpdatedAt", "Title", "Description"];
    private static readonly string[] TypeNamespaces = ["Software and Configuration Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications"];
    private static readonly string[] SeverityLabels = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

    public IReadOnlySet<string> Operations { get; } = new HashSet<string>(StringComparer.Ordinal) { "BatchImportFindings" };

    public ServiceReply Handle(ServiceCall call)
    {
        var injected = faults.TakeFindingFailures();
        var failed = new JsonArray();
        var succeeded = 0;
        foreach (var node in call.Input["Findings"]!.AsArray())
        {
            var finding = node!.AsObject();
            var id = finding["Id"]?.GetValue<string>() ?? "";
            var problem = FindProblem(finding);
            if (problem is null && injected.TryGetValue(id, out var fault))
            {
                failed.Add(new JsonObject { ["Id"] = id, ["ErrorCode"] = fault.Code, ["ErrorMessage"] = fault.Message });
                continue;
            }
            if (problem is not null)
            {
                failed.Add(new JsonObject { ["Id"] = id, ["ErrorCode"] = InvalidInput, ["ErrorMessage"] = $"{FormatMessage} {problem}" });
                continue;
            }
            store.Upsert(id, finding);
            succeeded++;
        }
        return ServiceReply.Json(new JsonObject { ["FailedCount"] = failed.Count, ["SuccessCount"] = succeeded, ["FailedFindings"] = failed }, "application/json");
    }

    private static string? FindProblem(JsonObject finding)
    {
        foreach (var name in RequiredStrings)
        {
            var value = finding[name]?.GetValue<string>();
            if (value is null)
            {
                return $"data should have required property '{name}'";
            }
            if (string.IsNullOrWhiteSpace(value))
            {
                return $"data.{name} should match pattern \".*\\S.*\"";
            }
        }
        if (finding["SchemaVersion"]!.GetValue<string>() != "2018-10-08")
        {
            return "data.SchemaVersion should be equal to one of the allowed values";
        }
        if (finding["Id"]!.GetValue<string>().Length > 512 || finding["GeneratorId"]!.GetValue<string>().Length > 512)
        {
            return "data.Id and data.GeneratorId should NOT be longer than 512 characters";
        }
        if (!AccountId().IsMatch(finding["AwsAccountId"]!.GetValue<string>()))
        {
            return "data.AwsAccountId should match pattern \"^[0-9]{12}$\"";
        }
        foreach (var name in new[] { "CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt" })
        {
            if (finding[name]?.GetValue<string>() is { } timestamp && !IsRfc3339(timestamp))
            {
                return $"data.{name} should match format \"date-time\"";
            }
        }
        if (finding["Title"]!.GetValue<string>().Length > 256)
        {
            return "data.Title should NOT be longer than 256 characters";
        }
        if (finding["Description"]!.GetValue<string>().Length > 1024)
        {
            return "data.Description should NOT be longer than 1024 characters";
        }
        if (finding["Types"] is not JsonArray types || types.Count == 0)
        {
            return "data should have required property 'Types'";
        }
        if (types.Count > 50)
        {
            return "data.Types should NOT have more than 50 items";
        }
        foreach (var type in types)
        {
            var text = type!.GetValue<string>();
            if (!TypeNamespaces.Contains(text.Split('/')[0], StringComparer.Ordinal))
            {
                return $"data.Types should match a supported namespace ('{text}')";
            }
        }
        if (finding["Severity"] is not JsonObject severity || (severity["Label"] is null && severity["Normalized"] is null))
        {
            return "data should have required property 'Severity' with 'Label' or 'Normalized'";
        }
        if (severity["Label"]?.GetValue<string>() is { } label && !SeverityLabels.Contains(label, StringComparer.Ordinal))
        {
            return "data.Severity.Label should be equal to one of the allowed values";
        }
        if (finding["Resources"] is not JsonArray resources || resources.Count == 0)
        {
            return "data should have required property 'Resources'";
        }
        if (resources.Count > 32)
        {
            return "data.Resources should NOT have more than 32 items";
        }
        for (var i = 0; i < resources.Count; i++)
        {
            foreach (var name in new[] { "Type", "Id" })
            {
                if (string.IsNullOrWhiteSpace(resources[i]?[name]?.GetValue<string>()))
                {
                    return $"data.Resources[{i}] should have required property '{name}'";
                }
            }
        }
        return null;
    }

    private static bool IsRfc3339(string text) =>
        Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();
}
