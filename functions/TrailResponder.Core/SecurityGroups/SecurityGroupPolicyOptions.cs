namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// The settings of the security-group policy, as written by an operator; <see cref="SecurityGroupPolicy"/> compiles them.
/// </summary>
/// <remarks>
/// <para>Defaults follow Security Hub control EC2.18: TCP 80 and 443 may be open to the world, no UDP port may,
/// egress is not checked, and a group tagged <c>TrailResponder:Exempt=true</c> is exempt.</para>
/// <para>JSON keys (file) and environment variables:</para>
/// <list type="table">
/// <item><term><c>allowedIngressPorts</c> / <c>ALLOWED_INGRESS_PORTS</c></term><description>TCP ports and ranges that may be open to 0.0.0.0/0 or ::/0; default <c>80,443</c>; <c>none</c> for none.</description></item>
/// <item><term><c>allowedIngressUdpPorts</c> / <c>ALLOWED_INGRESS_UDP_PORTS</c></term><description>The same for UDP; default none (EC2.18 authorizes no UDP port by default).</description></item>
/// <item><term><c>forbiddenPorts</c> / <c>FORBIDDEN_PORTS</c></term><description>TCP/UDP ports never open to the world, even when also allowed: forbidden wins. Default none.</description></item>
/// <item><term><c>checkEgress</c> / <c>CHECK_EGRESS</c></term><description><c>true</c> to hold world-open egress rules to the same port lists; default <c>false</c>.</description></item>
/// <item><term><c>allowWorldIcmp</c> / <c>ALLOW_WORLD_ICMP</c></term><description><c>false</c> to condemn ICMP/ICMPv6 open to the world; default <c>true</c> (ICMP exposes no port).</description></item>
/// <item><term><c>exemptGroupIds</c> / <c>EXEMPT_GROUP_IDS</c></term><description>Groups never touched (<c>sg-...</c>).</description></item>
/// <item><term><c>exemptTag</c> / <c>EXEMPT_TAG</c></term><description><c>Key=Value</c> (or <c>Key</c> for any value) marking exempt groups; <c>none</c> disables.</description></item>
/// <item><term><c>exemptPrincipals</c> / <c>EXEMPT_PRINCIPALS</c></term><description>ARN patterns (<c>*</c> matches any text) of callers allowed to open ports, matched against the caller ARN and, for assumed roles, the role ARN.</description></item>
/// <item><term><c>responderRoleArn</c> / <c>RESPONDER_ROLE_ARN</c></term><description>The responder's own role: its calls are ignored so that it never reacts to itself.</description></item>
/// </list>
/// <para>Lists are JSON arrays or comma-separated text, so no value (a tag value included) can hold a comma.
/// An empty environment variable means "use the default".</para>
/// </remarks>
public sealed record SecurityGroupPolicyOptions
{
    /// <summary>The tag key that exempts a group by default.</summary>
    public const string DefaultExemptTagKey = "TrailResponder:Exempt";

    /// <summary>TCP ports that may be open to the world (and, with <see cref="CheckEgress"/>, to world destinations).</summary>
    public IReadOnlyList<PortRange> AllowedIngressPorts { get; init; } = [new PortRange(80, 80), new PortRange(443, 443)];

    /// <summary>UDP ports that may be open to the world.</summary>
    public IReadOnlyList<PortRange> AllowedIngressUdpPorts { get; init; } = [];

    /// <summary>TCP/UDP ports condemned whenever a world-open rule covers them, even if they are also allowed.</summary>
    public IReadOnlyList<PortRange> ForbiddenPorts { get; init; } = [];

    /// <summary>Whether egress rules are held to the policy.</summary>
    public bool CheckEgress { get; init; }

    /// <summary>Whether ICMP and ICMPv6 open to the world are acceptable.</summary>
    public bool AllowWorldIcmp { get; init; } = true;

    /// <summary>Groups the responder never touches.</summary>
    public IReadOnlyList<string> ExemptGroupIds { get; init; } = [];

    /// <summary>The tag that exempts a group; null for no exemption by tag.</summary>
    public SecurityGroupTagCondition? ExemptTag { get; init; } = new(DefaultExemptTagKey, "true");

    /// <summary>ARN patterns of principals allowed to open ports; <c>*</c> matches any run of characters.</summary>
    public IReadOnlyList<string> ExemptPrincipals { get; init; } = [];

    /// <summary>The responder's own IAM role ARN, whose calls are ignored.</summary>
    public string? ResponderRoleArn { get; init; }

    /// <summary>The EC2.18 defaults.</summary>
    public static SecurityGroupPolicyOptions Default { get; } = new();

    /// <summary>Reads a policy JSON file (comments and trailing commas allowed); absent keys keep their defaults.</summary>
    /// <exception cref="SecurityGroupPolicyException">The file is not JSON, has an unknown key, or a bad value.</exception>
    public static SecurityGroupPolicyOptions FromJson(Stream json) => SecurityGroupPolicyOptionsReader.FromJson(json);

    /// <summary>Reads the policy from environment variables (<c>ALLOWED_INGRESS_PORTS</c>, ...); absent or empty ones keep their defaults.</summary>
    /// <exception cref="SecurityGroupPolicyException">A variable has a bad value.</exception>
    public static SecurityGroupPolicyOptions FromEnvironment(IReadOnlyDictionary<string, string?> variables) =>
        SecurityGroupPolicyOptionsReader.FromEnvironment(variables);

    /// <summary>Every problem with these settings, each naming the setting and the value; empty when usable.</summary>
    public IReadOnlyList<string> Validate() => SecurityGroupPolicyOptionsReader.Validate(this);
}
