using System.CommandLine;
using System.Text.Json;
using Amazon.Runtime;
using TrailResponder.Cli;
using TrailResponder.Cli.Storage;
using TrailResponder.LocalAws;
using TrailResponder.Tests.Core.Digests;
using TrailResponder.Tests.DigestValidator;

namespace TrailResponder.Tests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly SignedTrailBuilder trail = SignedTrailBuilder.Standard();
    private readonly string folder = Directory.CreateTempSubdirectory("trailresponder-validate-").FullName;
    private readonly string bucket;
    private readonly string keysFile;

    public ValidateCommandTests()
    {
        bucket = Path.Combine(folder, "bucket");
        keysFile = Path.Combine(folder, "keys.json");
        Mirror(trail, bucket);
        File.WriteAllText(keysFile, ListPublicKeysOutput(trail));
    }

    public void Dispose()
    {
        trail.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Clean_mirror_exits_0_and_prints_one_valid_json_line_per_file_then_a_summary()
    {
        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json");

        Assert.Equal(ValidateCommand.ExitValid, exit);
        var lines = JsonLines(output);
        Assert.Equal(10 + 30 + 1, lines.Count);
        Assert.All(lines[..^1], line => Assert.Equal("valid", line.GetProperty("status").GetString()));
        Assert.Equal(10, lines.Count(l => Kind(l) == "digest"));
        Assert.Equal(30, lines.Count(l => Kind(l) == "log"));
        Assert.Contains(lines, l => Key(l) == trail.Digests[0].Key);
        var summary = lines[^1];
        Assert.Equal("summary", summary.GetProperty("kind").GetString());
        Assert.Equal(10, summary.GetProperty("digestsValid").GetInt32());
        Assert.Equal(30, summary.GetProperty("logFilesValid").GetInt32());
        Assert.Equal(0, summary.GetProperty("logFilesUnverified").GetInt32());
    }

    [Fact]
    public async Task Tampered_log_file_and_deleted_digest_exit_1_with_their_verdicts()
    {
        var tampered = trail.Digests[0].LogKeys[0];
        File.WriteAllBytes(PathOf(tampered), SignedTrailBuilder.Gzip("{\"Records\":[]}"u8.ToArray()));
        File.Delete(PathOf(trail.Digests[5].Key));

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json");

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        var lines = JsonLines(output);
        var log = Assert.Single(lines, l => Key(l) == tampered);
        Assert.Equal("invalid", log.GetProperty("status").GetString());
        Assert.StartsWith("hash value doesn't match", log.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var digest = Assert.Single(lines, l => Key(l) == trail.Digests[5].Key);
        Assert.Equal("missing", digest.GetProperty("status").GetString());
        Assert.Equal(3, lines[^1].GetProperty("logFilesUnverified").GetInt32());
    }

    [Fact]
    public async Task Digest_sidecar_without_a_signature_makes_the_digest_invalid()
    {
        File.WriteAllText(PathOf(trail.Digests[9].Key) + LocalFolderTrailStore.MetadataSuffix, "{\"signature-algorithm\":\"SHA256withRSA\"}");

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json");

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        var digest = Assert.Single(JsonLines(output), l => Key(l) == trail.Digests[9].Key);
        Assert.Equal("signature verification failed (no 'signature' metadata)", digest.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Region_without_any_digest_leaves_its_settled_log_files_unverified_and_says_no_digest_for_the_trail_exit_1()
    {
        foreach (var digest in trail.Digests.Where(d => d.Region == "eu-west-1"))
        {
            File.Delete(PathOf(digest.Key));
            File.Delete(PathOf(digest.Key) + LocalFolderTrailStore.MetadataSuffix);
        }

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json", "--trail-name", SignedTrailBuilder.TrailName);

        // A folder is judged as of its newest file (the last us-east-1 digest, written 01:07:07): eu-west-1 log files
        // delivered by 00:02:07 were due in a digest (11), the four after that are pending.
        Assert.Equal(ValidateCommand.ExitProblems, exit);
        var lines = JsonLines(output);
        Assert.Equal(11, lines.Count(l => Kind(l) == "log" && l.GetProperty("status").GetString() == "unverified"));
        var silence = Assert.Single(lines, l => Kind(l) == "no-digest");
        Assert.Equal(SignedTrailBuilder.TrailName, silence.GetProperty("trail").GetString());
        Assert.Equal("eu-west-1", silence.GetProperty("region").GetString());
        Assert.Equal($"AWSLogs/{SignedTrailBuilder.Account}/CloudTrail-Digest/eu-west-1/", silence.GetProperty("digestFolder").GetString());
        Assert.False(silence.TryGetProperty("since", out _));
        Assert.Equal(11, silence.GetProperty("logFiles").GetInt32());
        Assert.StartsWith("no digest for trail management-events since at least 2024-02-29T20:25:00Z in account 111122223333, region eu-west-1", silence.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, lines[^1].GetProperty("noDigest").GetInt32());
        Assert.Equal(4, lines[^1].GetProperty("pendingLogFiles").GetInt32());
        Assert.False(lines[^1].GetProperty("configurationError").GetBoolean());
    }

    [Fact]
    public async Task Digests_that_stopped_are_reported_in_text_as_no_digest_since_the_last_one()
    {
        var last = trail.Digests.Where(d => d.Region == "us-east-1").ToList()[2];
        foreach (var digest in trail.Digests.Where(d => d.Region == "us-east-1").Skip(3))
        {
            File.Delete(PathOf(digest.Key));
        }

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        var text = output.ReplaceLineEndings("\n");
        Assert.Contains(
            $"NO DIGEST (1): log files kept arriving but the trail's digests did not\n  no digest for trail management-events since 2024-02-29T23:05:07Z in account 111122223333, region us-east-1 (its last digest is {last.Key}), although 3 log files delivered from 2024-02-29T23:23:00Z to 2024-03-01T00:02:00Z are in no digest",
            text,
            StringComparison.Ordinal);
        Assert.Contains("UNVERIFIED (3):", text, StringComparison.Ordinal);
        Assert.Contains("3 log files no digest lists yet were not judged", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trail_name_matching_no_digest_chain_while_others_exist_is_a_configuration_error_exit_2()
    {
        var (exit, output, error) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json", "--trail-name", "other-trail");

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.StartsWith("Configuration error: --trail-name names no trail here; trail name 'other-trail' matches no digest chain in the folders listed, while digests of trail management-events are there", error, StringComparison.Ordinal);
        var lines = JsonLines(output);
        var mismatch = Assert.Single(lines, l => Kind(l) == "configuration-error");
        Assert.Equal("other-trail", mismatch.GetProperty("trailName").GetString());
        Assert.Equal([SignedTrailBuilder.TrailName], mismatch.GetProperty("trailsFound").EnumerateArray().Select(t => t.GetString()));
        Assert.True(lines[^1].GetProperty("configurationError").GetBoolean());
    }

    [Fact]
    public async Task Keys_a_digest_names_cannot_drive_the_terminal_in_text_output()
    {
        var digest = trail.Digests[9];
        var planted = digest.Content.LogFiles[0] with { S3Object = "AWSLogs/\u001b[2J\nINVALID (0):.json.gz" };
        File.WriteAllBytes(PathOf(digest.Key), SignedTrailBuilder.Gzip((digest.Content with { LogFiles = [planted] }).ToJson()));

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        Assert.DoesNotContain('\u001b', output);
        Assert.Contains(@"  Log file  AWSLogs/\u001B[2J\nINVALID (0):.json.gz" + "\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_output_lists_problems_first_and_ends_with_a_summary()
    {
        File.Delete(PathOf(trail.Digests[1].LogKeys[0]));

        var (exit, output, _) = await Run("validate", bucket, "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        Assert.Contains("MISSING (1):", output, StringComparison.Ordinal);
        Assert.Contains(trail.Digests[1].LogKeys[0], output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("MISSING", StringComparison.Ordinal) < output.IndexOf("SUMMARY", StringComparison.Ordinal));
        Assert.Contains("10/10 digest files valid", output, StringComparison.Ordinal);
        Assert.Contains("29/30 log files valid, 1 missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Region_and_time_options_narrow_what_is_examined()
    {
        var (exit, output, _) = await Run(
            "validate", bucket, "--public-keys", keysFile, "--format", "json",
            "--region", "eu-west-1", "--account", SignedTrailBuilder.Account, "--trail-name", SignedTrailBuilder.TrailName,
            "--start-time", "2024-03-01", "--end-time", "2024-03-01T00:30:00Z");

        // As in the AWS CLI: digests ending from the start to an hour after the end are listed, and the walk stops after
        // the first valid digest that starts before the start time.
        Assert.Equal(ValidateCommand.ExitValid, exit);
        var lines = JsonLines(output);
        Assert.Equal([trail.Digests[9].Key, trail.Digests[7].Key], lines.Where(l => Kind(l) == "digest").Select(Key));
        Assert.Equal(trail.Digests[9].LogKeys.Concat(trail.Digests[7].LogKeys).Order(StringComparer.Ordinal), lines.Where(l => Kind(l) == "log").Select(Key));
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--start-time", "yesterday-ish")]
    [InlineData("--account", "12345")]
    [InlineData("--bogus")]
    public async Task Bad_options_are_usage_errors_with_exit_code_2(params string[] extra)
    {
        var (exit, _, error) = await Run(["validate", bucket, "--public-keys", keysFile, .. extra]);

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Missing_public_keys_option_is_a_usage_error()
    {
        var (exit, _, error) = await Run("validate", bucket);

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.Contains("--public-keys", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_public_key_file_is_a_usage_error_naming_the_file_and_field()
    {
        File.WriteAllText(keysFile, "{\"PublicKeyList\":[{\"Value\":\"AAEC\"}]}");

        var (exit, _, error) = await Run("validate", bucket, "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.Contains(keysFile, error, StringComparison.Ordinal);
        Assert.Contains("PublicKeyList[0].Fingerprint", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_that_does_not_exist_exits_3()
    {
        var (exit, _, error) = await Run("validate", Path.Combine(folder, "nowhere"), "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitSourceUnreadable, exit);
        Assert.Contains("nowhere", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sidecar_that_is_not_json_makes_its_digest_invalid_naming_the_file_while_every_other_file_is_judged_exit_1()
    {
        var digest = trail.Digests[9];
        File.WriteAllText(PathOf(digest.Key) + LocalFolderTrailStore.MetadataSuffix, "signature=abc");

        var (exit, output, error) = await Run("validate", bucket, "--public-keys", keysFile, "--format", "json");

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        Assert.Equal("", error);
        var lines = JsonLines(output);
        var verdict = Assert.Single(lines, l => Key(l) == digest.Key);
        Assert.Equal("invalid", verdict.GetProperty("status").GetString());
        Assert.StartsWith($"signature verification failed (its metadata cannot be read: Metadata file '{PathOf(digest.Key)}.metadata.json' is not valid JSON", verdict.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(9, lines[^1].GetProperty("digestsValid").GetInt32());
        Assert.Equal(27, lines[^1].GetProperty("logFilesValid").GetInt32());
        Assert.Equal(3, lines[^1].GetProperty("logFilesUnverified").GetInt32());
    }

    [Fact]
    public async Task Folder_where_a_listed_log_file_should_be_makes_that_log_file_invalid_while_every_other_file_is_judged_exit_1()
    {
        var log = trail.Digests[2].LogKeys[1];
        File.Delete(PathOf(log));
        Directory.CreateDirectory(PathOf(log));

        var (exit, output, error) = await Run("validate", bucket, "--public-keys", keysFile);

        Assert.Equal(ValidateCommand.ExitProblems, exit);
        Assert.Equal("", error);
        Assert.Contains($"INVALID (1):\n  Log file  {log}\n      cannot be read: '{PathOf(log)}' is a folder, not a file.", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("10/10 digest files valid", output, StringComparison.Ordinal);
        Assert.Contains("29/30 log files valid, 1 invalid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_s3_bucket_with_keys_from_CloudTrail_gives_the_same_verdicts_as_its_mirror()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var usEast = LocalAwsCli.UsEastTrail(hours: 5);
        usEast.Store.Remove(usEast.Digests[3].LogKeys[1]);
        usEast.Store.Remove(usEast.Digests[1].Key);
        LocalTrailBucket.Upload(endpoint, usEast);
        var mirror = Path.Combine(folder, "us-east");
        Mirror(usEast, mirror);
        var usEastKeys = Path.Combine(folder, "us-east-keys.json");
        File.WriteAllText(usEastKeys, ListPublicKeysOutput(usEast));

        var (s3Exit, s3Output, s3Error) = LocalAwsCli.Run(ValidateCommand.Create(() => LocalAwsCli.Access(endpoint)), "validate", $"s3://{SignedTrailBuilder.Bucket}", "--format", "json");
        var (localExit, localOutput, _) = await Run("validate", mirror, "--public-keys", usEastKeys, "--format", "json");

        Assert.Equal("", s3Error);
        Assert.Equal(ValidateCommand.ExitProblems, s3Exit);
        Assert.Equal(localExit, s3Exit);
        Assert.Equal(localOutput, s3Output);
        var lines = JsonLines(s3Output);
        Assert.Equal("missing", Assert.Single(lines, l => Key(l) == usEast.Digests[3].LogKeys[1]).GetProperty("status").GetString());
        Assert.Equal("missing", Assert.Single(lines, l => Key(l) == usEast.Digests[1].Key).GetProperty("status").GetString());
        Assert.Equal(4, lines[^1].GetProperty("digestsValid").GetInt32());
    }

    [Fact]
    public async Task An_s3_bucket_validated_for_a_time_range_judges_the_digests_of_that_range()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var usEast = LocalAwsCli.UsEastTrail(hours: 5);
        LocalTrailBucket.Upload(endpoint, usEast);

        var (exit, output, error) = LocalAwsCli.Run(
            ValidateCommand.Create(() => LocalAwsCli.Access(endpoint)),
            "validate", $"s3://{SignedTrailBuilder.Bucket}/", "--start-time", "2024-03-01T00:00:00Z", "--end-time", "2024-03-01T01:00:00Z");

        Assert.Equal("", error);
        Assert.Equal(ValidateCommand.ExitValid, exit);
        Assert.Contains($"s3://{SignedTrailBuilder.Bucket}/", output, StringComparison.Ordinal);
        Assert.Contains("2/2 digest files valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_s3_bucket_that_does_not_exist_exits_3_saying_so()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();

        var (exit, _, error) = LocalAwsCli.Run(ValidateCommand.Create(() => LocalAwsCli.Access(endpoint)), "validate", "s3://no-such-trail-bucket/team-a");

        Assert.Equal(ValidateCommand.ExitSourceUnreadable, exit);
        Assert.Contains("s3://no-such-trail-bucket/team-a/", error, StringComparison.Ordinal);
        Assert.Contains("the bucket does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_s3_root_without_a_region_is_a_usage_error_saying_to_pass_aws_region()
    {
        var access = new AwsAccess(new Dictionary<string, string?>(), new BasicAWSCredentials("AKIDLOCALTEST", "local-test-secret"));

        var (exit, _, error) = LocalAwsCli.Run(ValidateCommand.Create(() => access), "validate", "s3://bucket");

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.Contains("--aws-region", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_profile_is_a_usage_error_naming_it()
    {
        var access = new AwsAccess(new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1" });

        var (exit, _, error) = LocalAwsCli.Run(ValidateCommand.Create(() => access), "validate", "s3://bucket", "--profile", "no-such-profile-for-trailresponder-tests");

        Assert.Equal(ValidateCommand.ExitUsage, exit);
        Assert.Contains("'no-such-profile-for-trailresponder-tests' was not found", error, StringComparison.Ordinal);
    }

    private string PathOf(string key) => Path.Combine(bucket, key.Replace('/', Path.DirectorySeparatorChar));

    private static Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CliApp.Run(args, output, error);
        return Task.FromResult((exit, output.ToString(), error.ToString()));
    }

    private static string? Kind(JsonElement line) => line.GetProperty("kind").GetString();

    private static string? Key(JsonElement line) => line.TryGetProperty("key", out var key) ? key.GetString() : null;

    private static List<JsonElement> JsonLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    // What 'aws s3 sync' leaves behind, plus the metadata sidecars a mirror needs: files keep S3's last-modified time.
    private static void Mirror(SignedTrailBuilder trail, string directory)
    {
        foreach (var key in trail.Store.Keys)
        {
            var path = Path.Combine(directory, key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, trail.Store.Content(key));
            File.SetLastWriteTimeUtc(path, trail.Store.LastModified(key).UtcDateTime);
            var metadata = trail.Store.Metadata(key);
            if (metadata.Count > 0)
            {
                File.WriteAllText(path + LocalFolderTrailStore.MetadataSuffix, JsonSerializer.Serialize(metadata));
            }
        }
    }

    // The shape 'aws cloudtrail list-public-keys' prints: ISO-8601 times, base64 DER values.
    private static string ListPublicKeysOutput(SignedTrailBuilder trail) =>
        JsonSerializer.Serialize(new
        {
            PublicKeyList = trail.PublicKeys.Keys.Select(k => new
            {
                Value = Convert.ToBase64String(k.Der.Span),
                ValidityStartTime = k.ValidityStart.ToString("yyyy-MM-dd'T'HH:mm:ss+00:00", System.Globalization.CultureInfo.InvariantCulture),
                ValidityEndTime = k.ValidityEnd.ToString("yyyy-MM-dd'T'HH:mm:ss+00:00", System.Globalization.CultureInfo.InvariantCulture),
                k.Fingerprint,
            }),
        });
}
