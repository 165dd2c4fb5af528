using TrailResponder.Core.Delivery;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Responder;

/// <summary>The function's configuration: where it delivers, and how it responds (dry run, policy).</summary>
/// <param name="Delivery">AWS_REGION, ACCOUNT_ID, FINDINGS_TOPIC_ARN, SECURITY_HUB_ENABLED.</param>
/// <param name="Responder">DRY_RUN and the policy variables (ALLOWED_INGRESS_PORTS, EXEMPT_TAG, RESPONDER_ROLE_ARN, ...).</param>
public sealed record ResponderSettings(DeliverySettings Delivery, SecurityGroupResponderSettings Responder)
{
    /// <summary>Reads and validates the settings; every problem is reported at once, each naming its variable.</summary>
    /// <exception cref="InvalidOperationException">Some setting is missing or invalid.</exception>
    public static ResponderSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var problems = new List<string>();
        var settings = new ResponderSettings(DeliverySettings.Read(environment, problems), SecurityGroupResponderSettings.Read(environment, problems));
        return problems.Count == 0
            ? settings
            : throw new InvalidOperationException("SecurityGroupResponder configuration is invalid: " + string.Join("; ", problems) + ".");
    }
}
