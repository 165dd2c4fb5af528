namespace TrailResponder.Core.SecurityGroups;

/// <summary>Which path saw the change: EventBridge in real time, or the LogProcessor reading the delivered log file.</summary>
public enum ResponsePath
{
    /// <summary>The EventBridge event, seconds after the call.</summary>
    RealTime,

    /// <summary>The log file, minutes later (or a backfill, months later): acts only on rules that still violate.</summary>
    Backstop,
}

/// <summary>
/// What the responder did: the final decision, the condemned rules as it found them just before acting, what it revoked,
/// and whether it notified.
/// </summary>
/// <param name="Decision">The decision after any look-ups in AWS.</param>
/// <param name="StillViolating">Condemned rules that still violated the policy when re-read: what was revoked, or in a dry run would have been.</param>
/// <param name="Revoked">Rule ids revoked now.</param>
/// <param name="AlreadyFixed">Condemned rules that no longer violated when re-read (changed in place, or gone): never revoked.</param>
/// <param name="DryRun">True when nothing was revoked because the responder runs in dry-run mode.</param>
/// <param name="Notified">Whether an email and a finding were sent.</param>
public sealed record SecurityGroupResponse(
    SecurityGroupDecision Decision,
    IReadOnlyList<RecheckedRule> StillViolating,
    IReadOnlyList<string> Revoked,
    IReadOnlyList<RecheckedRule> AlreadyFixed,
    bool DryRun,
    bool Notified)
{
    /// <summary>The already-fixed rules that no longer exist (revoked earlier, or deleted by someone).</summary>
    public IReadOnlyList<string> AlreadyGone => [.. AlreadyFixed.Where(r => r.Now is null).Select(r => r.Rule)];

    /// <summary>A response that did nothing in EC2: Ignore, Allow, Exempt.</summary>
    internal static SecurityGroupResponse Untouched(SecurityGroupDecision decision, bool dryRun, bool notified) =>
        new(decision, [], [], [], dryRun, notified);
}

/// <summary>Revoking failed after retries; the CRITICAL notice has been sent, and the invocation must fail.</summary>
public sealed class SecurityGroupRevocationException(string message, Exception inner) : Exception(message, inner);
