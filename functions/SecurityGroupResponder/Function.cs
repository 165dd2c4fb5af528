using System.Text.Json;
using System.Text.Json.Serialization;
using TrailResponder.Aws;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Core.Streams;

namespace TrailResponder.Responder;

/// <summary>
/// The SecurityGroupResponder Lambda function: <c>SecurityGroupResponder::TrailResponder.Responder.Function::HandleAsync</c>.
/// </summary>
/// <remarks>
/// Triggered by EventBridge "AWS API Call via CloudTrail" events for AuthorizeSecurityGroupIngress/Egress and
/// ModifySecurityGroupRules. The decision and the response are Core's, shared with the CLI and the LogProcessor backstop.
/// </remarks>
public sealed class Function
{
    // EventBridge events are at most 256 KB.
    private const int MaxEventBytes = 256 * 1024;
    private readonly SecurityGroupResponder _responder;
    private readonly JsonLineLog _log;

    /// <summary>The constructor the Lambda runtime calls: configuration from the environment.</summary>
    public Function()
        : this(ResponderServices.FromEnvironment(AwsClients.ProcessEnvironment()))
    {
    }

    /// <summary>Builds the function from explicit services (tests and <c>trailresponder invoke</c>).</summary>
    public Function(ResponderServices services)
    {
        _log = new JsonLineLog(services.Log);
        var settings = services.Settings;
        _responder = new SecurityGroupResponder(
            new SecurityGroupPolicy(settings.Responder.Policy),
            services.SecurityGroups,
            new SecurityGroupNotice(settings.Delivery.Asff, settings.Responder.ExemptTagText),
            services.Publisher,
            services.Importer,
            settings.Responder.DryRun,
            _log);
    }

    /// <summary>Handles one EventBridge event (or a bare CloudTrail record); returns the decision as JSON.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(new BoundedReadStream(input, MaxEventBytes, "The event")).ConfigureAwait(false);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"The event is not valid JSON: {e.Message}", e);
        }

        var change = SecurityGroupChange.Parse(root);
        var response = await _responder.RespondAsync(change, ResponsePath.RealTime, CancellationToken.None).ConfigureAwait(false);
        var decision = response.Decision;
        var output = new MemoryStream();
        JsonSerializer.Serialize(
            output,
            new ResponderAnswer(
                decision.Decision.ToString().ToLowerInvariant(),
                decision.GroupId,
                response.Revoked,
                response.AlreadyGone,
                [.. response.AlreadyFixed.Select(r => new AlreadyFixedAnswer(r.Rule, r.Now?.Describe()))],
                response.DryRun ? [.. response.StillViolating.Select(r => r.Rule)] : [],
                response.DryRun,
                decision.Reasons),
            ResponderJson.Default.ResponderAnswer);
        output.Position = 0;
        return output;
    }
}

/// <summary>The function's answer: what it decided and did.</summary>
/// <param name="Decision">revoke, allow, exempt or ignore: the policy's verdict on what the event did.</param>
/// <param name="GroupId">The group changed.</param>
/// <param name="Revoked">Rule ids revoked.</param>
/// <param name="AlreadyGone">Condemned rules that no longer existed when the responder looked.</param>
/// <param name="AlreadyFixed">Condemned rules that no longer violated when the responder looked (changed or gone): not revoked.</param>
/// <param name="WouldRevoke">Dry run: the condemned rules that still violated, which a real run would revoke.</param>
/// <param name="DryRun">Whether the function runs in dry-run mode.</param>
/// <param name="Reasons">Why, for people.</param>
public sealed record ResponderAnswer(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("groupId")] string? GroupId,
    [property: JsonPropertyName("revoked")] IReadOnlyList<string> Revoked,
    [property: JsonPropertyName("alreadyGone")] IReadOnlyList<string> AlreadyGone,
    [property: JsonPropertyName("alreadyFixed")] IReadOnlyList<AlreadyFixedAnswer> AlreadyFixed,
    [property: JsonPropertyName("wouldRevoke")] IReadOnlyList<string> WouldRevoke,
    [property: JsonPropertyName("dryRun")] bool DryRun,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons);

/// <summary>A rule that was already fixed: its id, and what it is now (null when it no longer exists).</summary>
public sealed record AlreadyFixedAnswer(
    [property: JsonPropertyName("ruleId")] string RuleId,
    [property: JsonPropertyName("now")] string? Now);

/// <summary>Source-generated serialization of the answer.</summary>
[JsonSerializable(typeof(ResponderAnswer))]
public sealed partial class ResponderJson : JsonSerializerContext;
