using System.Globalization;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.LogProcessor;

/// <summary>The LogProcessor's configuration, read from environment variables and validated at start.</summary>
/// <param name="Delivery">AWS_REGION, ACCOUNT_ID, FINDINGS_TOPIC_ARN, SECURITY_HUB_ENABLED.</param>
/// <param name="EmailThreshold">EMAIL_MIN_SEVERITY: the lowest severity that is emailed (default HIGH).</param>
/// <param name="RulesLocation">RULES_LOCATION: optional rules, <c>s3://bucket/key</c> (a file), <c>s3://bucket/prefix/</c> (a folder) or a file or folder in the package; several separated by commas.</param>
/// <param name="ReaderOptions">MAX_DECOMPRESSED_BYTES: the decompression bound per log file.</param>
/// <param name="Backstop">SECURITY_GROUP_BACKSTOP (default true): hand security-group changes to the responder.</param>
/// <param name="Responder">DRY_RUN and the security-group policy variables, shared with the SecurityGroupResponder.</param>
/// <param name="Timeout">FUNCTION_TIMEOUT_SECONDS: the function's timeout, for <see cref="InvocationDeadline"/>; null for none.</param>
public sealed record LogProcessorSettings(
    DeliverySettings Delivery,
    Severity EmailThreshold,
    string? RulesLocation,
    LogReaderOptions ReaderOptions,
    bool Backstop,
    SecurityGroupResponderSettings Responder,
    TimeSpan? Timeout = null)
{
    /// <summary>Reads and validates the settings; every problem is reported at once, each naming its variable.</summary>
    /// <exception cref="InvalidOperationException">Some setting is missing or invalid.</exception>
    public static LogProcessorSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var problems = new List<string>();
        var delivery = DeliverySettings.Read(environment, problems);

        var threshold = Severity.High;
        if (EnvironmentValue.Get(environment, "EMAIL_MIN_SEVERITY") is { } label && !SeverityLabels.TryParse(label, out threshold))
        {
            problems.Add($"EMAIL_MIN_SEVERITY '{label}' is not one of {string.Join(", ", SeverityLabels.All)}");
        }

        var readerOptions = LogReaderOptions.Default;
        if (EnvironmentValue.Get(environment, "MAX_DECOMPRESSED_BYTES") is { } bound)
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

        var backstop = EnvironmentValue.Boolean(environment, "SECURITY_GROUP_BACKSTOP", defaultValue: true, problems);
        var responder = SecurityGroupResponderSettings.Read(environment, problems);
        var timeout = InvocationDeadline.ReadTimeout(environment, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("LogProcessor configuration is invalid: " + string.Join("; ", problems) + ".");
        }

        return new LogProcessorSettings(delivery, threshold, EnvironmentValue.Get(environment, "RULES_LOCATION"), readerOptions, backstop, responder, timeout);
    }
}
