using System.Text.RegularExpressions;

namespace TrailResponder.Core.Delivery;

/// <summary>Where every function delivers: the region, the importing account, the email topic, Security Hub on or off.</summary>
/// <param name="Region">AWS_REGION.</param>
/// <param name="AccountId">ACCOUNT_ID: the account that imports findings (required with Security Hub).</param>
/// <param name="TopicArn">FINDINGS_TOPIC_ARN: the SNS topic for email; null switches email off.</param>
/// <param name="SecurityHubEnabled">SECURITY_HUB_ENABLED (default true).</param>
public sealed partial record DeliverySettings(string Region, string? AccountId, string? TopicArn, bool SecurityHubEnabled)
{
    /// <summary>Where findings are imported.</summary>
    public AsffContext Asff => new(Region, AccountId ?? "000000000000");

    /// <summary>Reads the settings, adding each problem (naming its variable) to <paramref name="problems"/>.</summary>
    public static DeliverySettings Read(IReadOnlyDictionary<string, string?> environment, List<string> problems)
    {
        var region = EnvironmentValue.Get(environment, "AWS_REGION");
        if (region is null)
        {
            problems.Add("AWS_REGION is not set (Lambda sets it; locally, export it)");
        }

        var topic = EnvironmentValue.Get(environment, "FINDINGS_TOPIC_ARN");
        if (topic is not null && !TopicArnPattern().IsMatch(topic))
        {
            problems.Add($"FINDINGS_TOPIC_ARN '{topic}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
        }

        var securityHub = EnvironmentValue.Boolean(environment, "SECURITY_HUB_ENABLED", defaultValue: true, problems);
        var account = EnvironmentValue.Get(environment, "ACCOUNT_ID");
        if (account is not null && !AccountIdPattern().IsMatch(account))
        {
            problems.Add($"ACCOUNT_ID '{account}' is not a 12-digit account id");
        }
        else if (account is null && securityHub)
        {
            problems.Add("ACCOUNT_ID is not set; Security Hub needs the importing account (the template passes AWS::AccountId)");
        }

        return new DeliverySettings(region ?? string.Empty, account, topic, securityHub);
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicArnPattern();

    [GeneratedRegex(@"^\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();
}

/// <summary>Reads configuration values from an environment dictionary: blank means unset.</summary>
public static class EnvironmentValue
{
    /// <summary>The trimmed value, or null when the variable is absent or blank.</summary>
    public static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A true/false variable; anything else is a problem naming the variable.</summary>
    public static bool Boolean(IReadOnlyDictionary<string, string?> environment, string name, bool defaultValue, List<string> problems)
    {
        if (Get(environment, name) is not { } text)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"{name} '{text}' is not true or false");
        return defaultValue;
    }
}
