namespace TrailResponder.Core.SecurityGroups;

/// <summary>A CloudTrail record that cannot be read as a security-group change; the message names the field.</summary>
public sealed class SecurityGroupEventFormatException : FormatException
{
    /// <summary>Creates the exception for a field path such as <c>requestParameters.ipPermissions.items[0].fromPort</c>.</summary>
    public SecurityGroupEventFormatException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public SecurityGroupEventFormatException()
        : this("(record)", "not a security-group change")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public SecurityGroupEventFormatException(string message)
        : base(message)
    {
        Field = "(record)";
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public SecurityGroupEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "(record)";
    }

    /// <summary>The path of the offending field in the record.</summary>
    public string Field { get; }
}
