namespace TrailResponder.Core.SecurityGroups;

/// <summary>A security-group policy that cannot be used; each problem names the setting and the bad value.</summary>
public sealed class SecurityGroupPolicyException : Exception
{
    /// <summary>Creates the exception from every problem found, so that one run shows them all.</summary>
    public SecurityGroupPolicyException(IReadOnlyList<string> problems)
        : base("invalid security-group policy: " + string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public SecurityGroupPolicyException()
        : this(["unknown problem"])
    {
    }

    /// <summary>Creates the exception with one problem.</summary>
    public SecurityGroupPolicyException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public SecurityGroupPolicyException(string message, Exception innerException)
        : base("invalid security-group policy: " + message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Each problem, e.g. <c>ALLOWED_INGRESS_PORTS: '8o' is not a port or port range</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
