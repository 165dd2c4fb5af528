using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Storage;
using TrailResponder.DigestValidator;
using TrailResponder.Tests.Core.Delivery;
using TrailResponder.Tests.Core.Digests;

namespace TrailResponder.Tests.DigestValidator;

public sealed class FunctionTests : IDisposable
{
    private const string ScheduleEvent = "digestvalidator-schedule.json";
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 2, 0, 30, TimeSpan.Zero);

    private readonly SignedTrailBuilder _trail;
    private readonly RecordingImporter _importer = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly StringWriter _log = new();
    private RecordingPublicKeySource _keys;

    public FunctionTests()
    {
        _trail = SignedTrailBuilder.Standard();
        _keys = new RecordingPublicKeySource(_trail.PublicKeys);
    }

    public void Dispose() => _trail.Dispose();

    // The sample schedule event fires at 2024-03-01T02:00Z, so it validates 00:00-01:00: the digests of hours 3 and 4.
    private WrittenDigest UsEastDigest(int hour) => _trail.Digests.Single(d => d.Key == SignedTrailBuilder.DigestKey("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour)));

    private Function CreateFunction(SignedTrailBuilder? trail = null, params (string Name, string? Value)[] overrides)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["FINDINGS_TOPIC_ARN"] = "arn:aws:sns:us-east-1:111122223333:findings",
            ["TRAIL_BUCKET"] = SignedTrailBuilder.Bucket,
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        var settings = DigestValidatorSettings.FromEnvironment(environment);
        if (trail is not null)
        {
            _keys = new RecordingPublicKeySource(trail.PublicKeys);
        }

        return new Function(new DigestValidatorServices(settings, (trail ?? _trail).Store, _keys, _importer, _publisher, _log, new FixedClock(Now)));
    }

    private static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));

    private static JsonElement Answer(Stream output) => JsonDocument.Parse(output).RootElement;

    private static JsonElement FindingJson(AsffFinding finding) => JsonDocument.Parse(finding.Json).RootElement;

    private AsffFinding SingleCriticalFinding()
    {
        var critical = _importer.Imported.Where(f => FindingJson(f).GetProperty("Severity").GetProperty("Label").GetString() == "CRITICAL");
        return Assert.Single(critical);
    }

    private Notification SingleEmailNaming(string key)
    {
        var email = Assert.Single(_publisher.Published);
        Assert.StartsWith("TrailResponder CRITICAL:", email.Subject, StringComparison.Ordinal);
        Assert.Contains($"s3://{SignedTrailBuilder.Bucket}/{key}", email.Body, StringComparison.Ordinal);
        return email;
    }

    [Fact]
    public async Task A_clean_hour_publishes_nothing_but_logs_its_counts_and_a_metric()
    {
        var answer = Answer(await CreateFunction().HandleAsync(Event(ScheduleEvent)));

        Assert.Empty(_importer.Imported);
        Assert.Empty(_publisher.Published);
        Assert.Equal("2024-03-01T00:00:00Z", answer.GetProperty("window").GetProperty("start").GetString());
        Assert.Equal("2024-03-01T01:00:00Z", answer.GetProperty("window").GetProperty("end").GetString());
        Assert.Equal(4, answer.GetProperty("digests").GetProperty("valid").GetInt32());
        Assert.Equal(0, answer.GetProperty("problems").GetInt32());
        var lines = _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var counts = Assert.Single(lines, l => l.TryGetProperty("message", out var m) && m.GetString() == "validated");
        Assert.Equal(4, counts.GetProperty("digestsValid").GetInt32());
        var metric = Assert.Single(lines, l => l.TryGetProperty("_aws", out _));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), metric.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        var declared = metric.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        Assert.Equal("TrailResponder", declared.GetProperty("Namespace").GetString());
        Assert.Contains(declared.GetProperty("Metrics").EnumerateArray(), m => m.GetProperty("Name").GetString() == "Gaps");
        Assert.Equal("DigestValidator", metric.GetProperty("Function").GetString());
        Assert.Equal(4, metric.GetProperty("DigestsValid").GetInt32());
        Assert.Equal(0, metric.GetProperty("LogFilesMissing").GetInt32());
    }

    [Fact]
    public async Task Public_keys_are_asked_for_once_per_digest_region_covering_the_chain_before_the_window()
    {
        await CreateFunction().HandleAsync(Event(ScheduleEvent));

        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [("eu-west-1", start.AddDays(-2), start.AddHours(3)), ("us-east-1", start.AddDays(-2), start.AddHours(3))],
            _keys.Calls);
    }

    [Fact]
    public async Task A_deleted_log_file_gives_a_critical_finding_and_is_named_in_the_single_email()
    {
        var deleted = UsEastDigest(4).LogKeys[0];
        _trail.Store.Remove(deleted);

        var answer = Answer(await CreateFunction().HandleAsync(Event(ScheduleEvent)));

        var finding = SingleCriticalFinding();
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/log-missing/{deleted}", finding.Id);
        var json = FindingJson(finding);
        Assert.Equal(IntegrityNotice.GeneratorId, json.GetProperty("GeneratorId").GetString());
        Assert.Equal($"arn:aws:s3:::{SignedTrailBuilder.Bucket}/{deleted}", json.GetProperty("Resources")[0].GetProperty("Id").GetString());
        Assert.Equal("AwsS3Object", json.GetProperty("Resources")[0].GetProperty("Type").GetString());
        Assert.Contains("Effects/Data Destruction", json.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, answer.GetProperty("problems").GetInt32());
        SingleEmailNaming(deleted);
    }

    [Fact]
    public async Task A_changed_digest_gives_a_critical_finding_and_is_named_in_the_single_email()
    {
        var digest = UsEastDigest(4);
        var changed = digest.Content with { LogFiles = [.. digest.Content.LogFiles.Skip(1)] };
        _trail.Store.Put(digest.Key, SignedTrailBuilder.Gzip(changed.ToJson()), _trail.Store.Metadata(digest.Key), _trail.Store.LastModified(digest.Key));

        await CreateFunction().HandleAsync(Event(ScheduleEvent));

        var finding = SingleCriticalFinding();
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/digest-invalid/{digest.Key}", finding.Id);
        var email = SingleEmailNaming(digest.Key);
        // The log files only the changed digest lists are vouched for by nothing: reported too, as HIGH.
        Assert.Contains("[HIGH] CloudTrail log file not vouched for by any digest", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_digest_gives_a_critical_finding_and_is_named_in_the_single_email()
    {
        var deleted = UsEastDigest(3).Key;
        _trail.Store.Remove(deleted);

        await CreateFunction().HandleAsync(Event(ScheduleEvent));

        var finding = SingleCriticalFinding();
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/digest-missing/{deleted}", finding.Id);
        var email = SingleEmailNaming(deleted);
        Assert.Contains($"named as the previous digest by {UsEastDigest(4).Key}", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_hour_in_the_chain_gives_a_critical_gap_finding_naming_both_digests()
    {
        using var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour), withDigest: hour != 3);
        }

        await CreateFunction(trail).HandleAsync(Event(ScheduleEvent));

        var newer = SignedTrailBuilder.DigestKey("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 4));
        var older = SignedTrailBuilder.DigestKey("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 2));
        var finding = SingleCriticalFinding();
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/gap/{newer}", finding.Id);
        Assert.Contains("CloudTrail digest missing for an hour", FindingJson(finding).GetProperty("Title").GetString(), StringComparison.Ordinal);
        var email = SingleEmailNaming(newer);
        Assert.Contains(older, email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_region_whose_digests_stopped_gives_a_high_no_digest_finding_and_email_naming_trail_region_and_since_when()
    {
        using var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour), withDigest: hour <= 2);
            trail.AddHour("eu-west-1", SignedTrailBuilder.StandardEnd("eu-west-1", hour));
        }

        var answer = Answer(await CreateFunction(trail).HandleAsync(Event(ScheduleEvent)));

        // The 02:00 run validates 00:00-01:00 and waits for files delivered by 00:55 (an hour to settle, less the
        // 5-minute delivery tolerance): two of the window's three us-east-1 log files; the third is pending.
        Assert.Equal(1, answer.GetProperty("noDigest").GetInt32());
        Assert.Equal(2, answer.GetProperty("logFiles").GetProperty("unverified").GetInt32());
        Assert.Equal(1, answer.GetProperty("pendingLogFiles").GetInt32());
        var folder = $"AWSLogs/{SignedTrailBuilder.Account}/CloudTrail-Digest/us-east-1/";
        var finding = Assert.Single(_importer.Imported, f => f.Id.Contains("/no-digest/", StringComparison.Ordinal));
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/no-digest/management-events/{folder}", finding.Id);
        var json = FindingJson(finding);
        Assert.Equal("HIGH", json.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("No CloudTrail digest for trail management-events in account 111122223333, region us-east-1", json.GetProperty("Title").GetString());
        Assert.StartsWith(
            $"no digest for trail management-events since 2024-02-29T23:05:07Z in account 111122223333, region us-east-1 (its last digest is {trail.Digests[4].Key})",
            json.GetProperty("Description").GetString(),
            StringComparison.Ordinal);
        Assert.Equal($"arn:aws:s3:::{SignedTrailBuilder.Bucket}/{folder}", json.GetProperty("Resources")[0].GetProperty("Id").GetString());
        Assert.Equal("management-events", json.GetProperty("ProductFields").GetProperty("trailresponder/Trail").GetString());
        Assert.Contains("TTPs/Defense Evasion", json.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        var email = Assert.Single(_publisher.Published);
        Assert.Equal("TrailResponder HIGH: 3 CloudTrail integrity problems in example-trail-bucket", email.Subject);
        Assert.Contains("[HIGH] No CloudTrail digest for trail management-events in account 111122223333, region us-east-1\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("  Trail:  management-events\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("Why:    no digest for trail management-events since 2024-02-29T23:05:07Z", email.Body, StringComparison.Ordinal);
        Assert.Contains("[HIGH] CloudTrail log file not vouched for by any digest", email.Body, StringComparison.Ordinal);
        var metric = _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.TryGetProperty("_aws", out _));
        Assert.Equal(1, metric.GetProperty("NoDigest").GetInt32());
    }

    [Fact]
    public async Task A_range_over_an_old_day_without_digests_reports_every_settled_log_file_unverified_and_no_digest_per_region()
    {
        using var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour), withDigest: false);
            trail.AddHour("eu-west-1", SignedTrailBuilder.StandardEnd("eu-west-1", hour), withDigest: false);
        }

        var answer = Answer(await CreateFunction(trail, ("TRAIL_NAME", SignedTrailBuilder.TrailName)).HandleAsync(Event("digestvalidator-range.json")));

        // A manual range is judged as of the clock (02:00:30): only us-east-1's 00:59 file, delivered 01:02, is too recent.
        Assert.Equal(23, answer.GetProperty("logFiles").GetProperty("unverified").GetInt32());
        Assert.Equal(1, answer.GetProperty("pendingLogFiles").GetInt32());
        Assert.Equal(2, answer.GetProperty("noDigest").GetInt32());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("configurationError").ValueKind);
        Assert.Equal(
            ["TR-DIGEST/111122223333/eu-west-1/no-digest/management-events/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/", "TR-DIGEST/111122223333/us-east-1/no-digest/management-events/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/"],
            _importer.Imported.Select(f => f.Id).Where(id => id.Contains("/no-digest/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(25, _importer.Imported.Count);
        Assert.Contains("no digest for trail management-events since at least", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TRAIL_NAME_that_matches_no_digest_chain_while_other_chains_exist_is_reported_as_a_configuration_error()
    {
        var answer = Answer(await CreateFunction(null, ("TRAIL_NAME", "other-trail")).HandleAsync(Event(ScheduleEvent)));

        Assert.StartsWith("trail name 'other-trail' matches no digest chain", answer.GetProperty("configurationError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, answer.GetProperty("digests").GetProperty("valid").GetInt32());
        var finding = Assert.Single(_importer.Imported, f => f.Id.Contains("/configuration/", StringComparison.Ordinal));
        Assert.Equal("TR-DIGEST/unknown/unknown/configuration/other-trail/AWSLogs/", finding.Id);
        var json = FindingJson(finding);
        Assert.Equal("HIGH", json.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal("DigestValidator configuration error: TRAIL_NAME 'other-trail' matches no digest chain", json.GetProperty("Title").GetString());
        Assert.Equal("AwsS3Bucket", json.GetProperty("Resources")[0].GetProperty("Type").GetString());
        Assert.Equal($"arn:aws:s3:::{SignedTrailBuilder.Bucket}", json.GetProperty("Resources")[0].GetProperty("Id").GetString());
        Assert.Equal(["Software and Configuration Checks/AWS Security Best Practices"], json.GetProperty("Types").EnumerateArray().Select(t => t.GetString()));
        var email = Assert.Single(_publisher.Published);
        Assert.Contains("[HIGH] DigestValidator configuration error: TRAIL_NAME 'other-trail' matches no digest chain", email.Body, StringComparison.Ordinal);
        Assert.Contains("while digests of trail management-events are there", email.Body, StringComparison.Ordinal);
        Assert.Contains("Set TRAIL_NAME", email.Body, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"ERROR\",\"message\":\"configuration error\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_the_same_event_again_imports_the_same_finding_ids_so_Security_Hub_updates_them()
    {
        _trail.Store.Remove(UsEastDigest(4).LogKeys[1]);
        _trail.Store.Remove(UsEastDigest(3).Key);

        await CreateFunction().HandleAsync(Event(ScheduleEvent));
        var first = _importer.Imported.Select(f => f.Id).ToList();
        _importer.Imported.Clear();
        await CreateFunction().HandleAsync(Event(ScheduleEvent));

        Assert.Equal(2, first.Count);
        Assert.Equal(first, _importer.Imported.Select(f => f.Id));
    }

    [Fact]
    public async Task A_manual_range_validates_every_digest_of_that_range()
    {
        var answer = Answer(await CreateFunction().HandleAsync(Event("digestvalidator-range.json")));

        Assert.Equal("range", answer.GetProperty("window").GetProperty("trigger").GetString());
        Assert.Equal(10, answer.GetProperty("digests").GetProperty("valid").GetInt32());
        Assert.Equal(30, answer.GetProperty("logFiles").GetProperty("valid").GetInt32());
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task An_event_that_is_neither_a_schedule_nor_a_range_is_refused()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"Records\":[]}"))));

        Assert.Contains("Scheduled Event", error.Message, StringComparison.Ordinal);
        Assert.Empty(_keys.Calls);
    }

    [Fact]
    public async Task An_event_that_is_not_json_is_refused()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes("hourly"))));

        Assert.StartsWith("The event is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_fails_the_invocation_so_Lambda_retries_it()
    {
        _trail.Store.Unreadable.Add(UsEastDigest(4).Key);

        await Assert.ThrowsAsync<TrailObjectStoreException>(() => CreateFunction().HandleAsync(Event(ScheduleEvent)));
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_digest_and_a_log_file_that_cannot_be_read_are_invalid_findings_while_every_other_file_is_still_judged()
    {
        var unreadableDigest = UsEastDigest(4);
        var unreadableLog = _trail.Digests.Single(d => d.Key == SignedTrailBuilder.DigestKey("eu-west-1", SignedTrailBuilder.StandardEnd("eu-west-1", 4))).LogKeys[0];
        _trail.Store.MetadataFaults[unreadableDigest.Key] = "its metadata is malformed";
        _trail.Store.ObjectFaults[unreadableLog] = "it is a folder, not a file";

        var answer = Answer(await CreateFunction().HandleAsync(Event(ScheduleEvent)));

        Assert.Equal(3, answer.GetProperty("digests").GetProperty("valid").GetInt32());
        Assert.Equal(1, answer.GetProperty("digests").GetProperty("invalid").GetInt32());
        Assert.Equal(1, answer.GetProperty("logFiles").GetProperty("invalid").GetInt32());
        var ids = _importer.Imported.Select(f => f.Id).ToList();
        Assert.Contains($"TR-DIGEST/111122223333/us-east-1/digest-invalid/{unreadableDigest.Key}", ids);
        Assert.Contains($"TR-DIGEST/111122223333/eu-west-1/log-invalid/{unreadableLog}", ids);
        var email = Assert.Single(_publisher.Published);
        Assert.Contains("signature verification failed (its metadata cannot be read: its metadata is malformed)", email.Body, StringComparison.Ordinal);
        Assert.Contains("cannot be read: it is a folder, not a file", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_email_fails_the_invocation_after_the_findings_were_imported()
    {
        _trail.Store.Remove(UsEastDigest(4).LogKeys[0]);
        _publisher.Failure = new InvalidOperationException("SNS is down");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateFunction().HandleAsync(Event(ScheduleEvent)));

        Assert.Equal("SNS is down", error.Message);
        Assert.Single(_importer.Imported);
    }

    [Fact]
    public async Task With_Security_Hub_and_email_switched_off_problems_are_only_logged()
    {
        _trail.Store.Remove(UsEastDigest(4).LogKeys[0]);
        var settings = DigestValidatorSettings.FromEnvironment(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "us-east-1",
            ["SECURITY_HUB_ENABLED"] = "false",
            ["TRAIL_BUCKET"] = SignedTrailBuilder.Bucket,
        });

        var answer = Answer(await new Function(new DigestValidatorServices(settings, _trail.Store, _keys, null, null, _log, new FixedClock(Now))).HandleAsync(Event(ScheduleEvent)));

        Assert.Equal(1, answer.GetProperty("problems").GetInt32());
        Assert.Equal(0, answer.GetProperty("findingsImported").GetInt32());
        Assert.Contains("\"message\":\"integrity problem\"", _log.ToString(), StringComparison.Ordinal);
    }
}
