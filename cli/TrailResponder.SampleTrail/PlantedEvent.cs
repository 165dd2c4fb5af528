namespace TrailResponder.SampleTrail;

/// <summary>A record put into a sample trail on purpose, with the CIS rules it must (and only must) trigger.</summary>
/// <param name="Json">The complete record object.</param>
/// <param name="EventId">Its <c>eventID</c>.</param>
/// <param name="EventName">Its <c>eventName</c>.</param>
/// <param name="ExpectedRuleIds">The CIS v3.0.0 rules ("CIS-4.1" .. "CIS-4.15") it matches, in rule order; empty for near misses and non-CIS threats.</param>
/// <param name="Description">What the event represents, for test messages and the demo.</param>
/// <param name="Category">Why it was planted.</param>
public sealed record PlantedEvent(
    string Json,
    string EventId,
    string EventName,
    IReadOnlyList<string> ExpectedRuleIds,
    string Description,
    PlantedEventCategory Category);

/// <summary>Why an event was planted.</summary>
public enum PlantedEventCategory
{
    /// <summary>Matches a CIS monitoring filter (sign-in, root use, denied calls, governance changes).</summary>
    CisViolation,

    /// <summary>Gives a principal more power than it had (admin policies, keys or passwords for others).</summary>
    PrivilegeEscalation,

    /// <summary>Blinds the defenders (logging, detectors, recorders, keys switched off).</summary>
    DefenceEvasion,

    /// <summary>Opens data or network paths to the world.</summary>
    Exposure,

    /// <summary>Looks alarming but must trigger no CIS rule: the cases the patterns exclude on purpose.</summary>
    NearMiss,
}

/// <summary>Where in a sample trail a planted event landed.</summary>
/// <param name="Event">The planted event.</param>
/// <param name="RelativePath">The log file holding it, relative to the trail root, with forward slashes.</param>
public sealed record PlantedEventPlacement(PlantedEvent Event, string RelativePath);
