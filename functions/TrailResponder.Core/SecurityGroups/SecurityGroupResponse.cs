namespace TrailResponder.Core.SecurityGroups;

/// <summary>Which path saw the change: EventBridge in real time, or the LogProcessor reading the delivered log file.</summary>
public enum ResponsePath
{
    /// <summary>The EventBridge event, seconds after the call.</summary>
    RealTime,

    /// <summary>The log file, minutes later: acts only on violating rules that are still present.</summary>
    Backstop,
}

/// <summary>What the responder did: the final decision, what it revoked, what was already gone, whether it notified.</summary>
/// <param name="Decision">The decision after any look-ups in AWS.</param>
/// <param name="Revoked">Rule ids revoked now.</param>
/// <param name="AlreadyGone">Violating rules that no longer existed (revoked earlier, or by someone else).</param>
/// <param name="DryRun">True when nothing was revoked because the responder runs in dry-run mode.</param>
/// <param name="Notified">Whether an email and a finding were sent.</param>
public sealed record SecurityGroupResponse(
    SecurityGroupDecision Decision,
    IReadOnlyList<string> Revoked,
    IReadOnlyList<string> AlreadyGone,
    bool DryRun,
    bool Notified);

/// <summary>Revoking failed after retries; the CRITICAL notice has been sent, and the invocation must fail.</summary>
public sealed class SecurityGroupRevocationException(string message, Exception inner) : Exception(message, inner);
