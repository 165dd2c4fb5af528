namespace TrailResponder.LocalAws.Models;

/// <summary>What part of the model a request broke.</summary>
internal enum ViolationKind
{
    UnknownOperation,
    UnsupportedOperation,
    UnknownParameter,
    MissingParameter,
    InvalidType,
    InvalidValue,
    MalformedBody,
}

/// <summary>A request that does not fit the service model; the pipeline turns it into the service's error shape.</summary>
internal sealed class ModelViolationException(ViolationKind kind, string message) : Exception(message)
{
    public ViolationKind Kind { get; } = kind;
}
