using System.Globalization;
using System.Text.RegularExpressions;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.LogProcessor;

/// <summary>The LogProcessor's configuration, read from environment variables and validated at start.</summary>
/// <param name="Region">AWS_REGION: the region Security Hub and SNS are called in.</param>
/// <param name="TopicArn">FINDINGS_TOPIC_ARN: the SNS topic for email; null switches email off.</param>
/// <param name="EmailThreshold">EMAIL_MIN_SEVERITY: the lowest severity that is emailed (default HIGH).</param>
/// <param name="SecurityHubEnabled">SECURITY_HUB_ENABLED: whether findings go to Security Hub (default true).</param>
/// <param name="AccountId">ACCOUNT_ID: the account that imports findings (required with Security Hub).</param>
/// <param name="RulesLocation">RULES_LOCATION: an optional rules file, <c>s3://bucket/key</c> or a path in the package.</param>
/// <param name="ReaderOptions">MAX_DECOMPRESSED_BYTES: the decompression bound per log file.</param>
public sealed partial record LogProcessorSettings(
    string Region,
    string? TopicArn,
    Severity EmailThreshold,
    bool SecurityHubEnabled,
    string? AccountId,
    string? RulesLocation,
    LogReaderOptions ReaderOptions)
{
    /// <summary>Reads and validates the settings; every problem is reported at once, each naming its variable.</summary>
    /// <exception cref="InvalidOperationException">Some setting is missing or invalid.</exception>
    public static LogProcessorSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var problems = new List<string>();
        string? Value(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var region = Value("AWS_REGION");
        if (region is null)
        {
            problems.Add("AWS_REGION is not set (Lambda sets it; locally, export it)");
        }

        var topic = Value("FINDINGS_TOPIC_ARN");
        if (topic is not null && !TopicArnPattern().IsMatch(topic))
        {
            problems.Add($"FINDINGS_TOPIC_ARN '{topic}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
        }

        var threshold = Severity.High;
        if (Value("EMAIL_MIN_SEVERITY") is { } label && !SeverityLabels.TryParse(label, out threshold))
        {
            problems.Add($"EMAIL_MIN_SEVERITY '{label}' is not one of {string.Join(", ", SeverityLabels.All)}");
        }

        var securityHub = true;
        if (Value("SECURITY_HUB_ENABLED") is { } flag && !bool.TryParse(flag, out securityHub))
        {
            problems.Add($"SECURITY_HUB_ENABLED '{flag}' is not true or false");
        }

        var account = Value("ACCOUNT_ID");
        if (account is not null && !AccountIdPattern().IsMatch(account))
        {
            problems.Add($"ACCOUNT_ID '{account}' is not a 12-digit account id");
        }
        else if (account is null && securityHub)
        {
            problems.Add("ACCOUNT_ID is not set; Security Hub needs the importing account (the template passes AWS::AccountId)");
        }

        var readerOptions = LogReaderOptions.Default;
        if (Value("MAX_DECOMPRESSED_BYTES") is { } bound)
        {
            if (long.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
            {
                readerOptions = readerOptions with { MaxDecompressedBytes = bytes };
            }
            else
            {
                problems.Add($"MAX_DECOMPRESSED_BYTES '{bound}' is not a positive number of bytes");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("LogProcessor configuration is invalid: " + string.Join("; ", problems) + ".");
        }

        return new LogProcessorSettings(region!, topic, threshold, securityHub, account, Value("RULES_LOCATION"), readerOptions);
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicArnPattern();

    [GeneratedRegex(@"^\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();
}
