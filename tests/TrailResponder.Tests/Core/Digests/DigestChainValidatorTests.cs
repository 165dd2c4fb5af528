using System.Text;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Storage;

namespace TrailResponder.Tests.Core.Digests;

public sealed class DigestChainValidatorTests : IDisposable
{
    private readonly SignedTrailBuilder trail = SignedTrailBuilder.Standard();

    public void Dispose() => trail.Dispose();

    [Fact]
    public async Task Clean_trail_across_day_and_month_boundaries_in_two_regions_is_entirely_valid()
    {
        var report = await Validate();

        Assert.True(report.AllValid, Describe(report));
        Assert.Equal(new VerdictCounts(10, 0, 0, 0), report.Digests);
        Assert.Equal(new VerdictCounts(30, 0, 0, 0), report.LogFiles);
        Assert.Empty(report.Gaps);
        Assert.Empty(report.ChainRestarts);
        Assert.Empty(report.OffChainDigests);
        Assert.Equal(0, report.PendingLogFiles);
        Assert.Contains(report.Verdicts, v => v.Key.Contains("/2024/02/29/", StringComparison.Ordinal));
        Assert.Contains(report.Verdicts, v => v.Key.Contains("/2024/03/01/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Log_file_changed_by_one_byte_is_invalid_because_its_hash_does_not_match()
    {
        var log = trail.Digests[4].LogKeys[1];
        var content = SignedTrailBuilder.Gunzip(trail.Store.Content(log));
        content[^3] ^= 0x01;
        trail.Store.Put(log, SignedTrailBuilder.Gzip(content), lastModified: trail.Store.LastModified(log));

        var report = await Validate();

        var verdict = Verdict(report, log);
        Assert.Equal(VerdictStatus.Invalid, verdict.Status);
        Assert.StartsWith("hash value doesn't match", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(new VerdictCounts(29, 1, 0, 0), report.LogFiles);
        Assert.Equal(10, report.Digests.Valid);
    }

    [Fact]
    public async Task Deleted_log_file_is_missing()
    {
        var log = trail.Digests[2].LogKeys[0];
        trail.Store.Remove(log);

        var report = await Validate();

        var verdict = Verdict(report, log);
        Assert.Equal(VerdictStatus.Missing, verdict.Status);
        Assert.Contains("not found", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains(trail.Digests[2].Key, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_digest_fails_its_signature_and_leaves_its_log_files_unverified_while_its_neighbours_stay_valid()
    {
        var changed = trail.Digests[4];
        var json = Encoding.UTF8.GetString(changed.Json).Replace("GetObject", "GetObjekt", StringComparison.Ordinal);
        json = json.Replace(changed.Content.LogFiles[0].HashValue, new string('0', 64), StringComparison.Ordinal);
        trail.Store.Put(changed.Key, SignedTrailBuilder.Gzip(Encoding.UTF8.GetBytes(json)), trail.Store.Metadata(changed.Key));

        var report = await Validate();

        var verdict = Verdict(report, changed.Key);
        Assert.Equal(VerdictStatus.Invalid, verdict.Status);
        Assert.Equal("signature verification failed", verdict.Reason);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[6].Key).Status);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[2].Key).Status);
        Assert.All(changed.LogKeys, log => Assert.Equal(VerdictStatus.Unverified, Verdict(report, log).Status));
        Assert.Contains("which is invalid", Verdict(report, changed.LogKeys[0]).Reason, StringComparison.Ordinal);
        Assert.Equal(new VerdictCounts(9, 1, 0, 0), report.Digests);
    }

    [Fact]
    public async Task Digest_deleted_mid_chain_is_missing_and_the_walk_continues_to_older_digests()
    {
        var deleted = trail.Digests[4];
        trail.Store.Remove(deleted.Key);

        var report = await Validate();

        var verdict = Verdict(report, deleted.Key);
        Assert.Equal(VerdictStatus.Missing, verdict.Status);
        Assert.Contains(trail.Digests[6].Key, verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[6].Key).Status);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[2].Key).Status);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[0].Key).Status);
        Assert.All(deleted.LogKeys, log => Assert.Equal(VerdictStatus.Unverified, Verdict(report, log).Status));
        Assert.Contains("not listed in any digest", Verdict(report, deleted.LogKeys[0]).Reason, StringComparison.Ordinal);
        Assert.Equal(new VerdictCounts(9, 0, 1, 0), report.Digests);
        Assert.Equal(new VerdictCounts(27, 0, 0, 3), report.LogFiles);
    }

    [Fact]
    public async Task Signature_from_a_key_that_is_not_cloudtrails_is_rejected()
    {
        using var attacker = TestSigningKey.Create(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        var forged = trail.Digests[5];
        trail.Write(forged.Region, forged.Content, attacker);

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, forged.Key).Status);
        Assert.Equal("signature verification failed", Verdict(report, forged.Key).Reason);
    }

    [Fact]
    public async Task Signature_metadata_that_is_not_hex_is_rejected()
    {
        var digest = trail.Digests[3];
        trail.Store.Put(digest.Key, trail.Store.Content(digest.Key), new Dictionary<string, string> { ["signature"] = "zz" + digest.Signature[2..], ["signature-algorithm"] = "SHA256withRSA" });

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.StartsWith("signature verification failed", Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_whose_previous_hash_is_wrong_is_invalid_as_a_broken_chain_even_though_its_signature_holds()
    {
        var broken = trail.Resign(trail.Digests[8], d => d with { PreviousDigestHashValue = new string('a', 64) });

        var report = await Validate();

        var verdict = Verdict(report, broken.Key);
        Assert.Equal(VerdictStatus.Invalid, verdict.Status);
        Assert.StartsWith("chain broken: previousDigestHashValue", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[6].Key).Status);
        Assert.Equal(new VerdictCounts(9, 1, 0, 0), report.Digests);
        Assert.All(broken.LogKeys, log => Assert.Equal(VerdictStatus.Unverified, Verdict(report, log).Status));
    }

    [Fact]
    public async Task Digest_whose_previous_signature_is_wrong_is_invalid_as_a_broken_chain()
    {
        var broken = trail.Resign(trail.Digests[9], d => d with { PreviousDigestSignature = trail.Digests[1].Signature });

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, broken.Key).Status);
        Assert.Contains("previousDigestSignature is not the signature of", Verdict(report, broken.Key).Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[7].Key).Status);
    }

    [Fact]
    public async Task Re_signing_a_digest_breaks_the_link_from_the_next_digest_which_still_names_the_original()
    {
        var resigned = trail.Resign(trail.Digests[6], d => d with { PreviousDigestHashValue = new string('a', 64) });

        var report = await Validate();

        Assert.StartsWith("chain broken: previousDigestHashValue", Verdict(report, resigned.Key).Reason, StringComparison.Ordinal);
        Assert.StartsWith("chain broken: previousDigestHashValue", Verdict(report, trail.Digests[8].Key).Reason, StringComparison.Ordinal);
        Assert.Contains("previousDigestSignature is not the signature of", Verdict(report, trail.Digests[8].Key).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_naming_itself_as_previous_breaks_the_chain_without_looping_and_older_digests_are_still_walked()
    {
        var looping = trail.Resign(trail.Digests[8], d => d with { PreviousDigestS3Object = d.DigestS3Object });

        var report = await Validate();

        Assert.StartsWith("chain broken", Verdict(report, looping.Key).Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[6].Key).Status);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[0].Key).Status);
        Assert.Equal(new VerdictCounts(9, 1, 0, 0), report.Digests);
    }

    [Fact]
    public async Task Key_rotation_with_adjacent_validity_windows_validates_every_digest_with_its_own_key()
    {
        using var rotated = new SignedTrailBuilder();
        var rotation = SignedTrailBuilder.StandardStart.AddHours(2);
        var first = rotated.AddKey(SignedTrailBuilder.StandardStart.AddDays(-30), rotation);
        var second = rotated.AddKey(rotation, rotation.AddDays(30));
        for (var hour = 0; hour < 5; hour++)
        {
            var end = SignedTrailBuilder.StandardEnd("us-east-1", hour);
            rotated.SigningKey = end < rotation ? first : second;
            rotated.AddHour("us-east-1", end);
        }

        var report = await Validate(rotated);

        Assert.True(report.AllValid, Describe(report));
        Assert.Equal(first.Fingerprint, rotated.Digests[0].Content.DigestPublicKeyFingerprint);
        Assert.Equal(second.Fingerprint, rotated.Digests[4].Content.DigestPublicKeyFingerprint);
    }

    [Fact]
    public async Task Digest_signed_with_a_key_after_its_validity_window_is_invalid_as_expired()
    {
        using var expired = new SignedTrailBuilder();
        var old = expired.AddKey(SignedTrailBuilder.StandardStart.AddDays(-60), SignedTrailBuilder.StandardStart.AddDays(-30));
        expired.SigningKey = old;
        var digest = expired.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 0))!;

        var report = await Validate(expired);

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.Contains("had expired", Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_whose_key_is_unknown_is_invalid_with_the_clis_message()
    {
        var digest = trail.Digests[9];
        var report = await new DigestChainValidator(trail.Store, new PublicKeySet([]), new DigestValidationOptions()).ValidateAsync();

        Assert.Equal(
            $"public key not found in region {SignedTrailBuilder.HomeRegion} for fingerprint {trail.SigningKey.Fingerprint}",
            Verdict(report, digest.Key).Reason);
        Assert.Equal(10, report.Digests.Invalid);
    }

    [Fact]
    public async Task Empty_hour_digest_is_valid_and_proves_no_log_file_was_delivered()
    {
        using var quiet = new SignedTrailBuilder();
        quiet.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 0));
        var empty = quiet.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 1), logFiles: 0)!;
        quiet.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 2));

        var report = await Validate(quiet);

        Assert.True(report.AllValid, Describe(report));
        Assert.Contains("\"logFiles\":[]", Encoding.UTF8.GetString(empty.Json), StringComparison.Ordinal);
        Assert.Contains("\"newestEventTime\":null", Encoding.UTF8.GetString(empty.Json), StringComparison.Ordinal);
        Assert.Equal(new VerdictCounts(3, 0, 0, 0), report.Digests);
        Assert.Equal(6, report.LogFiles.Valid);
        Assert.Empty(report.Gaps);
    }

    [Fact]
    public async Task Hour_without_a_digest_is_a_gap_and_its_log_files_are_unverified()
    {
        using var gappy = new SignedTrailBuilder();
        gappy.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 0));
        gappy.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 1), withDigest: false);
        gappy.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 2));

        var report = await Validate(gappy);

        var gap = Assert.Single(report.Gaps);
        Assert.Equal(SignedTrailBuilder.StandardEnd("us-east-1", 0), gap.From);
        Assert.Equal(SignedTrailBuilder.StandardEnd("us-east-1", 1), gap.To);
        Assert.Equal(gappy.Digests[0].Key, gap.OlderDigestKey);
        Assert.Equal(gappy.Digests[1].Key, gap.NewerDigestKey);
        Assert.Equal(3, gap.LogFilesInGap);
        Assert.Equal(new VerdictCounts(2, 0, 0, 0), report.Digests);
        Assert.Equal(new VerdictCounts(6, 0, 0, 3), report.LogFiles);
        Assert.All(
            report.Verdicts.Where(v => v.Status == VerdictStatus.Unverified),
            v => Assert.Contains("falls in a gap", v.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chain_that_restarts_after_validation_was_off_is_reported_and_the_log_files_in_between_are_unverified()
    {
        using var restarted = new SignedTrailBuilder();
        restarted.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 0));
        restarted.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 1));
        restarted.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 2), withDigest: false);
        var start = restarted.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 3), startsChain: true)!;
        restarted.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 4));

        var report = await Validate(restarted);

        var restart = Assert.Single(report.ChainRestarts);
        Assert.Equal(restarted.Digests[1].Key, restart.OlderDigestKey);
        Assert.Equal(start.Key, restart.NewDigestKey);
        Assert.Equal(SignedTrailBuilder.StandardEnd("us-east-1", 1), restart.From);
        Assert.Equal(SignedTrailBuilder.StandardEnd("us-east-1", 2), restart.To);
        Assert.Equal(3, restart.LogFilesInBetween);
        Assert.Equal(new VerdictCounts(4, 0, 0, 0), report.Digests);
        Assert.Equal(new VerdictCounts(12, 0, 0, 3), report.LogFiles);
        Assert.Contains("between two chains", report.Verdicts.First(v => v.Status == VerdictStatus.Unverified).Reason, StringComparison.Ordinal);
        Assert.Null(start.Content.PreviousDigestSignature);
    }

    [Fact]
    public async Task Digest_copied_to_another_key_is_invalid_as_moved()
    {
        var original = trail.Digests[9];
        var copy = SignedTrailBuilder.DigestKey(original.Region, SignedTrailBuilder.StandardEnd(original.Region, 5));
        trail.Store.Put(copy, trail.Store.Content(original.Key), trail.Store.Metadata(original.Key));

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, copy).Status);
        Assert.StartsWith("has been moved from its original location", Verdict(report, copy).Reason, StringComparison.Ordinal);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, original.Key).Status);
    }

    [Fact]
    public async Task Digest_in_a_bucket_other_than_the_one_validated_is_invalid_as_moved()
    {
        var report = await Validate(options: new DigestValidationOptions { BucketName = "another-bucket" });

        Assert.All(report.Verdicts.Where(v => v.Kind == VerdictFileKind.Digest), v => Assert.StartsWith("has been moved", v.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"digestStartTime\":", "invalid format: not valid JSON")]
    [InlineData("[1,2]", "invalid format: expected a JSON object")]
    public async Task Digest_that_is_not_a_json_object_is_invalid_format(string json, string reason)
    {
        var digest = trail.Digests[7];
        trail.Store.Put(digest.Key, SignedTrailBuilder.Gzip(Encoding.UTF8.GetBytes(json)), trail.Store.Metadata(digest.Key));

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.StartsWith(reason, Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digestEndTime")]
    [InlineData("digestPublicKeyFingerprint")]
    [InlineData("previousDigestSignature")]
    [InlineData("logFiles")]
    public async Task Digest_missing_a_required_field_is_invalid_format_naming_the_field(string field)
    {
        var digest = trail.Digests[7];
        var node = System.Text.Json.Nodes.JsonNode.Parse(digest.Json)!.AsObject();
        node.Remove(field);
        trail.Store.Put(digest.Key, SignedTrailBuilder.Gzip(Encoding.UTF8.GetBytes(node.ToJsonString())), trail.Store.Metadata(digest.Key));

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.Equal($"invalid format: field {field}: required field is missing", Verdict(report, digest.Key).Reason);
    }

    [Fact]
    public async Task Digest_that_is_not_gzip_is_invalid_format()
    {
        var digest = trail.Digests[7];
        trail.Store.Put(digest.Key, digest.Json, trail.Store.Metadata(digest.Key));

        var report = await Validate();

        Assert.StartsWith("invalid format", Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_claiming_another_signature_algorithm_is_invalid()
    {
        var digest = trail.Resign(trail.Digests[7], d => d with { DigestSignatureAlgorithm = "SHA1withRSA" });

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.Contains("unsupported signature algorithm 'SHA1withRSA' in field digestSignatureAlgorithm", Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_metadata_naming_another_algorithm_is_invalid()
    {
        var digest = trail.Digests[7];
        trail.Store.Put(digest.Key, trail.Store.Content(digest.Key), new Dictionary<string, string> { ["signature"] = digest.Signature, ["signature-algorithm"] = "MD5withRSA" });

        var report = await Validate();

        Assert.Contains("unsupported signature algorithm 'MD5withRSA'", Verdict(report, digest.Key).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("signature-algorithm")]
    public async Task Digest_without_signature_metadata_fails_signature_verification(string absent)
    {
        var digest = trail.Digests[7];
        var metadata = new Dictionary<string, string>(trail.Store.Metadata(digest.Key));
        metadata.Remove(absent);
        trail.Store.Put(digest.Key, trail.Store.Content(digest.Key), metadata);

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, digest.Key).Status);
        Assert.Equal($"signature verification failed (no '{absent}' metadata)", Verdict(report, digest.Key).Reason);
    }

    [Fact]
    public async Task Log_file_that_no_digest_lists_but_is_older_than_the_newest_digest_is_unverified()
    {
        var planted = trail.AddLogFile("us-east-1", SignedTrailBuilder.StandardStart.AddMinutes(70), SignedTrailBuilder.StandardStart.AddMinutes(72));

        var report = await Validate();

        Assert.Equal(VerdictStatus.Unverified, Verdict(report, planted.S3Object).Status);
        Assert.Contains("not listed in any digest", Verdict(report, planted.S3Object).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_delivered_after_the_newest_digest_is_pending_not_judged()
    {
        var recent = SignedTrailBuilder.StandardEnd("us-east-1", 4).AddMinutes(10);
        var pending = trail.AddLogFile("us-east-1", recent, recent.AddMinutes(3));

        var report = await Validate();

        Assert.DoesNotContain(report.Verdicts, v => v.Key == pending.S3Object);
        Assert.Equal(1, report.PendingLogFiles);
        Assert.True(report.AllValid);
    }

    [Fact]
    public async Task Digests_that_stop_leave_the_later_settled_log_files_unverified_and_report_no_digest_for_the_trail_since_its_last_digest()
    {
        using var stopped = StoppedAfterHour(2);

        var report = await Validate(stopped, Settled(SignedTrailBuilder.StandardEnd("us-east-1", 4).AddHours(2)));

        Assert.Equal(new VerdictCounts(3, 0, 0, 0), report.Digests);
        Assert.Equal(new VerdictCounts(9, 0, 0, 6), report.LogFiles);
        Assert.Equal(0, report.PendingLogFiles);
        Assert.All(
            report.Verdicts.Where(v => v.Status == VerdictStatus.Unverified),
            v => Assert.EndsWith("no later digest of its account and region exists", v.Reason, StringComparison.Ordinal));
        var silence = Assert.Single(report.Silences);
        Assert.Equal(SignedTrailBuilder.TrailName, silence.TrailName);
        Assert.Equal("us-east-1", silence.Folder.Region);
        Assert.Equal(stopped.Digests[2].Key, silence.LastDigestKey);
        Assert.Equal(SignedTrailBuilder.StandardEnd("us-east-1", 2), silence.Since);
        Assert.Equal(6, silence.LogFiles);
        Assert.Equal($"AWSLogs/{SignedTrailBuilder.Account}/CloudTrail-Digest/us-east-1/", silence.DigestFolder);
        Assert.StartsWith(
            $"no digest for trail management-events since 2024-02-29T23:05:07Z in account 111122223333, region us-east-1 (its last digest is {stopped.Digests[2].Key}), although 6 log files delivered from 2024-02-29T23:23:00Z to 2024-03-01T01:02:00Z are in no digest",
            silence.Describe(),
            StringComparison.Ordinal);
        Assert.Null(report.TrailNameMismatch);
    }

    [Fact]
    public async Task Without_a_settle_time_log_files_after_the_last_digest_stay_pending_and_nothing_is_reported()
    {
        using var stopped = StoppedAfterHour(2);

        var report = await Validate(stopped);

        Assert.Equal(6, report.PendingLogFiles);
        Assert.True(report.AllValid);
        Assert.Empty(report.Silences);
    }

    [Fact]
    public async Task Log_files_delivered_within_the_settle_time_stay_pending()
    {
        using var stopped = StoppedAfterHour(2);

        // Settled before 00:35:07, less the 5-minute delivery tolerance: hour 3's three files and hour 4's first.
        var report = await Validate(stopped, Settled(SignedTrailBuilder.StandardEnd("us-east-1", 4).AddMinutes(30)));

        Assert.Equal(4, report.LogFiles.Unverified);
        Assert.Equal(2, report.PendingLogFiles);
        Assert.Equal(4, Assert.Single(report.Silences).LogFiles);
    }

    [Fact]
    public async Task Without_a_given_time_the_settle_time_counts_back_from_the_newest_file_in_the_store()
    {
        using var stopped = StoppedAfterHour(2);

        // The newest file is hour 4's last log file, delivered 01:02: settled means delivered by 23:57.
        var report = await Validate(stopped, new DigestValidationOptions { SettleTime = TimeSpan.FromHours(1) });

        Assert.Equal(2, report.LogFiles.Unverified);
        Assert.Equal(4, report.PendingLogFiles);
    }

    [Fact]
    public async Task Region_that_delivers_no_digest_at_all_leaves_its_log_files_unverified_and_is_reported_naming_trail_and_region()
    {
        using var silentRegion = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            silentRegion.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour));
            silentRegion.AddHour("eu-west-1", SignedTrailBuilder.StandardEnd("eu-west-1", hour), withDigest: false);
        }

        var now = SignedTrailBuilder.StandardEnd("eu-west-1", 4).AddHours(2);
        var named = await Validate(silentRegion, Settled(now) with { TrailName = SignedTrailBuilder.TrailName });
        var any = await Validate(silentRegion, Settled(now));

        Assert.Equal(new VerdictCounts(15, 0, 0, 15), named.LogFiles);
        Assert.All(named.Verdicts.Where(v => v.Status == VerdictStatus.Unverified), v => Assert.Contains("/eu-west-1/", v.Key, StringComparison.Ordinal));
        var silence = Assert.Single(named.Silences);
        Assert.Equal(("eu-west-1", SignedTrailBuilder.TrailName, (DateTimeOffset?)null, 15), (silence.Folder.Region, silence.TrailName, silence.Since, silence.LogFiles));
        Assert.StartsWith("no digest for trail management-events since at least 2024-02-29T20:25:00Z in account 111122223333, region eu-west-1 (none in the folders listed)", silence.Describe(), StringComparison.Ordinal);
        Assert.Null(named.TrailNameMismatch);
        var anyTrail = Assert.Single(any.Silences);
        Assert.Null(anyTrail.TrailName);
        Assert.EndsWith("digests of other trails are there: management-events", anyTrail.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_deleted_digest_is_reported_missing_and_not_as_digests_that_stopped()
    {
        trail.Store.Remove(trail.Digests[4].Key);

        var report = await Validate(options: Settled(SignedTrailBuilder.StandardEnd("us-east-1", 4).AddHours(2)));

        Assert.Equal(VerdictStatus.Missing, Verdict(report, trail.Digests[4].Key).Status);
        Assert.Equal(3, report.LogFiles.Unverified);
        Assert.Empty(report.Silences);
    }

    [Fact]
    public async Task Of_two_trails_sharing_a_folder_only_the_one_whose_digests_stopped_is_reported()
    {
        var first = trail.Digests[0];
        var otherKey = first.Key.Replace("_management-events_", "_audit-trail_", StringComparison.Ordinal);
        trail.Write("us-east-1", first.Content with { DigestS3Object = otherKey, LogFiles = [], PreviousDigestS3Bucket = null, PreviousDigestS3Object = null, PreviousDigestHashValue = null, PreviousDigestSignature = null }, trail.SigningKey);
        var late = SignedTrailBuilder.StandardStart.AddHours(2).AddMinutes(10);
        var orphan = trail.AddLogFile("us-east-1", late, late.AddMinutes(3));

        var report = await Validate(options: Settled(SignedTrailBuilder.StandardEnd("us-east-1", 4).AddHours(2)));

        Assert.Equal(VerdictStatus.Valid, Verdict(report, otherKey).Status);
        Assert.Equal(VerdictStatus.Unverified, Verdict(report, orphan.S3Object).Status);
        var silence = Assert.Single(report.Silences);
        Assert.Equal("audit-trail", silence.TrailName);
        Assert.Equal(otherKey, silence.LastDigestKey);
        Assert.Equal(1, silence.LogFiles);
    }

    [Fact]
    public async Task Trail_name_matching_no_chain_while_other_chains_exist_is_a_configuration_mismatch()
    {
        using var logsOnly = new SignedTrailBuilder();
        logsOnly.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 0), withDigest: false);

        var wrong = await Validate(options: new DigestValidationOptions { TrailName = "other-trail" });
        var right = await Validate(options: new DigestValidationOptions { TrailName = SignedTrailBuilder.TrailName });
        var noDigestsAnywhere = await Validate(logsOnly, new DigestValidationOptions { TrailName = "other-trail" });

        Assert.NotNull(wrong.TrailNameMismatch);
        Assert.Equal(("other-trail", "AWSLogs/"), (wrong.TrailNameMismatch.TrailName, wrong.TrailNameMismatch.Location));
        Assert.Equal([SignedTrailBuilder.TrailName], wrong.TrailNameMismatch.TrailsFound);
        Assert.Equal(0, wrong.Digests.Total);
        Assert.StartsWith("trail name 'other-trail' matches no digest chain in the folders listed, while digests of trail management-events are there", wrong.TrailNameMismatch.Describe(), StringComparison.Ordinal);
        Assert.Null(right.TrailNameMismatch);
        Assert.Null(noDigestsAnywhere.TrailNameMismatch);
    }

    [Fact]
    public async Task Log_file_with_a_second_gzip_member_appended_is_invalid_with_the_clis_reason()
    {
        var log = trail.Digests[1].LogKeys[0];
        var appended = trail.Store.Content(log).Concat(SignedTrailBuilder.Gzip("{\"Records\":[]}"u8.ToArray())).ToArray();
        trail.Store.Put(log, appended, lastModified: trail.Store.LastModified(log));

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, log).Status);
        Assert.StartsWith("unexpected data after end of compressed stream", Verdict(report, log).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_that_is_not_gzip_is_invalid_format()
    {
        var log = trail.Digests[1].LogKeys[0];
        trail.Store.Put(log, SignedTrailBuilder.Gunzip(trail.Store.Content(log)), lastModified: trail.Store.LastModified(log));

        var report = await Validate();

        Assert.StartsWith("invalid format", Verdict(report, log).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_larger_than_the_decompression_limit_is_invalid_without_being_read_whole()
    {
        var report = await Validate(options: new DigestValidationOptions { MaxLogFileBytes = 20 });

        Assert.All(
            report.Verdicts.Where(v => v.Kind == VerdictFileKind.LogFile),
            v => Assert.Equal("decompressed size exceeds the limit of 20 bytes", v.Reason));
    }

    [Fact]
    public async Task Start_and_end_time_limit_the_walk_like_the_aws_cli()
    {
        var options = new DigestValidationOptions
        {
            StartTime = SignedTrailBuilder.StandardEnd("us-east-1", 2),
            EndTime = SignedTrailBuilder.StandardEnd("us-east-1", 2).AddMinutes(30),
            Region = "us-east-1",
        };

        var report = await Validate(options: options);

        var digests = report.Verdicts.Where(v => v.Kind == VerdictFileKind.Digest).Select(v => v.Key).ToList();
        Assert.Equal([trail.Digests[6].Key, trail.Digests[4].Key], digests);
        Assert.True(report.AllValid, Describe(report));
    }

    [Fact]
    public async Task With_a_time_range_only_the_date_folders_around_it_are_listed()
    {
        var options = new DigestValidationOptions
        {
            StartTime = SignedTrailBuilder.StandardEnd("us-east-1", 2),
            EndTime = SignedTrailBuilder.StandardEnd("us-east-1", 2).AddMinutes(30),
            Region = "us-east-1",
        };

        await Validate(options: options);

        Assert.NotEmpty(trail.Store.ListedPrefixes);
        Assert.All(trail.Store.ListedPrefixes, p => Assert.Matches(@"^AWSLogs/\d{12}/CloudTrail(-Digest)?/us-east-1/\d{4}/\d{2}/\d{2}/$", p));
    }

    [Fact]
    public async Task Account_region_and_trail_filters_select_chains()
    {
        var report = await Validate(options: new DigestValidationOptions { Region = "eu-west-1", AccountId = SignedTrailBuilder.Account, TrailName = SignedTrailBuilder.TrailName });
        var none = await Validate(options: new DigestValidationOptions { TrailName = "other-trail" });

        Assert.Equal(5, report.Digests.Valid);
        Assert.All(report.Verdicts, v => Assert.Contains("eu-west-1", v.Key, StringComparison.Ordinal));
        Assert.Equal(0, none.Digests.Total);
    }

    [Theory]
    [InlineData(true, VerdictStatus.Valid)]
    [InlineData(false, VerdictStatus.Invalid)]
    public async Task Backfill_digest_is_validated_as_its_own_chain_and_needs_its_generation_time(bool withGenerationTime, VerdictStatus expected)
    {
        var late = trail.AddLogFile("us-east-1", SignedTrailBuilder.StandardStart.AddMinutes(30), SignedTrailBuilder.StandardStart.AddMinutes(31));
        var end = SignedTrailBuilder.StandardEnd("us-east-1", 0);
        var key = SignedTrailBuilder.DigestKey("us-east-1", end).Replace(".json.gz", "_backfill.json.gz", StringComparison.Ordinal);
        var metadata = withGenerationTime ? new Dictionary<string, string> { ["backfill-generation-timestamp"] = "2024-03-02 10:00:00Z" } : null;
        trail.Write("us-east-1", trail.Digests[0].Content with { DigestS3Object = key, LogFiles = [late], PreviousDigestS3Object = null, PreviousDigestS3Bucket = null, PreviousDigestSignature = null, PreviousDigestHashValue = null }, trail.SigningKey, extraMetadata: metadata);

        var report = await Validate();

        Assert.Equal(expected, Verdict(report, key).Status);
        Assert.Equal(expected == VerdictStatus.Valid ? VerdictStatus.Valid : VerdictStatus.Unverified, Verdict(report, late.S3Object).Status);
        Assert.Equal(withGenerationTime ? 11 : 10, report.Digests.Valid);
        Assert.Empty(report.ChainRestarts);
    }

    [Fact]
    public async Task Digest_whose_metadata_cannot_be_read_is_invalid_with_the_reason_and_every_other_file_is_still_judged()
    {
        var digest = trail.Digests[6];
        trail.Store.MetadataFaults[digest.Key] = "Metadata file 'x.metadata.json' is not valid JSON: 's' is an invalid start of a value.";

        var report = await Validate();

        var verdict = Verdict(report, digest.Key);
        Assert.Equal(VerdictStatus.Invalid, verdict.Status);
        Assert.Equal("signature verification failed (its metadata cannot be read: Metadata file 'x.metadata.json' is not valid JSON: 's' is an invalid start of a value.)", verdict.Reason);
        Assert.Equal(new VerdictCounts(9, 1, 0, 0), report.Digests);
        Assert.All(digest.LogKeys, log => Assert.Contains($"listed only in digest {digest.Key}, which is invalid", Verdict(report, log).Reason, StringComparison.Ordinal));
        Assert.Equal(new VerdictCounts(27, 0, 0, 3), report.LogFiles);
    }

    [Fact]
    public async Task Digest_that_cannot_be_read_is_invalid_and_the_walk_goes_on_to_older_digests()
    {
        var digest = trail.Digests[6];
        trail.Store.ObjectFaults[digest.Key] = "'/mirror/x.json.gz' is a folder, not a file.";

        var report = await Validate();

        Assert.Equal("cannot be read: '/mirror/x.json.gz' is a folder, not a file.", Verdict(report, digest.Key).Reason);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[4].Key).Status);
        Assert.Equal(VerdictStatus.Valid, Verdict(report, trail.Digests[0].Key).Status);
        Assert.Equal(new VerdictCounts(9, 1, 0, 0), report.Digests);
    }

    [Fact]
    public async Task Log_file_that_cannot_be_read_is_invalid_with_the_reason_and_every_other_file_is_still_judged()
    {
        var log = trail.Digests[1].LogKeys[0];
        trail.Store.ObjectFaults[log] = "File '/mirror/x.json.gz' could not be read: Access to the path is denied.";

        var report = await Validate();

        Assert.Equal(VerdictStatus.Invalid, Verdict(report, log).Status);
        Assert.Equal("cannot be read: File '/mirror/x.json.gz' could not be read: Access to the path is denied.", Verdict(report, log).Reason);
        Assert.Equal(new VerdictCounts(29, 1, 0, 0), report.LogFiles);
        Assert.Equal(10, report.Digests.Valid);
    }

    [Fact]
    public async Task Store_that_cannot_be_read_stops_validation_instead_of_giving_a_verdict()
    {
        trail.Store.Unreadable.Add(trail.Digests[1].LogKeys[0]);

        await Assert.ThrowsAsync<TrailObjectStoreException>(() => Validate());
    }

    // A log file delivered an hour before "now" should be in a digest: the function's default SETTLE_HOURS.
    private static DigestValidationOptions Settled(DateTimeOffset now) => new() { SettleTime = TimeSpan.FromHours(1), Now = now };

    // us-east-1 only, five hours of log files; digests for the first hours up to and including the given one.
    private static SignedTrailBuilder StoppedAfterHour(int lastDigestHour)
    {
        var builder = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            builder.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour), withDigest: hour <= lastDigestHour);
        }

        return builder;
    }

    private Task<DigestValidationReport> Validate(SignedTrailBuilder? builder = null, DigestValidationOptions? options = null)
    {
        builder ??= trail;
        return new DigestChainValidator(builder.Store, builder.PublicKeys, options ?? new DigestValidationOptions()).ValidateAsync();
    }

    private static FileVerdict Verdict(DigestValidationReport report, string key) =>
        Assert.Single(report.Verdicts, v => v.Key == key);

    private static string Describe(DigestValidationReport report) =>
        string.Join(Environment.NewLine, report.Verdicts.Where(v => v.Status != VerdictStatus.Valid).Select(v => $"{v.Status} {v.Key}: {v.Reason}"));
}
