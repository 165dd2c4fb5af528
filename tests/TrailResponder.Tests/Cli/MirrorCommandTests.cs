using System.CommandLine;
using System.Text.Json;
using Amazon.Runtime;
using TrailResponder.Cli;
using TrailResponder.Cli.Storage;
using TrailResponder.LocalAws;
using TrailResponder.Tests.Core.Digests;
using TrailResponder.Tests.DigestValidator;

namespace TrailResponder.Tests.Cli;

/// <summary>Runs one CLI command against the local AWS endpoint, never through the process environment.</summary>
internal static class LocalAwsCli
{
    public static AwsAccess Access(LocalAwsEndpoint endpoint) =>
        new(LocalTrailBucket.Environment(endpoint), new BasicAWSCredentials("AKIDLOCALTEST", "local-test-secret"));

    /// <summary>Parses and invokes like CliApp (parse errors are exit code 2).</summary>
    public static (int Exit, string Output, string Error) Run(Command command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parsed = new RootCommand { command }.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return (2, "", string.Join("\n", parsed.Errors.Select(e => e.Message)));
        }

        var exit = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A us-east-1 trail (the only region the endpoint serves) of <paramref name="hours"/> consecutive hours.</summary>
    public static SignedTrailBuilder UsEastTrail(int hours)
    {
        var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < hours; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour));
        }

        return trail;
    }

    /// <summary>The shape 'aws cloudtrail list-public-keys' prints.</summary>
    public static string ListPublicKeysOutput(SignedTrailBuilder trail) =>
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

public sealed class MirrorCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("trailresponder-mirror-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string directory, string key) => Path.Combine(directory, key.Replace('/', Path.DirectorySeparatorChar));

    [Fact]
    public async Task A_bucket_of_more_than_a_thousand_keys_is_mirrored_whole_validates_offline_and_a_second_run_downloads_nothing()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var trail = LocalAwsCli.UsEastTrail(hours: 260);
        LocalTrailBucket.Upload(endpoint, trail);
        Assert.True(trail.Store.Keys.Count > 1000);
        var mirror = Path.Combine(folder, "bucket");

        var (exit, output, error) = LocalAwsCli.Run(MirrorCommand.Create(() => LocalAwsCli.Access(endpoint)), "mirror", $"s3://{SignedTrailBuilder.Bucket}", mirror);

        Assert.Equal(MirrorCommand.ExitOk, exit);
        Assert.Equal("", error);
        Assert.Contains($"{trail.Store.Keys.Count} downloaded", output, StringComparison.Ordinal);
        foreach (var key in trail.Store.Keys)
        {
            Assert.Equal(trail.Store.Content(key), File.ReadAllBytes(PathOf(mirror, key)));
        }

        var digest = trail.Digests[^1];
        var sidecar = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(PathOf(mirror, digest.Key) + LocalFolderTrailStore.MetadataSuffix))!;
        Assert.Equal(digest.Signature, sidecar["signature"]);

        var keysFile = Path.Combine(folder, "keys.json");
        File.WriteAllText(keysFile, LocalAwsCli.ListPublicKeysOutput(trail));
        using var validateOutput = new StringWriter();
        using var validateError = new StringWriter();
        var validateExit = CliApp.Run(["validate", mirror, "--public-keys", keysFile, "--format", "json"], validateOutput, validateError);
        Assert.Equal(ValidateCommand.ExitValid, validateExit);
        var summary = JsonDocument.Parse(validateOutput.ToString().Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(260, summary.GetProperty("digestsValid").GetInt32());
        Assert.Equal(780, summary.GetProperty("logFilesValid").GetInt32());

        var (again, againOutput, _) = LocalAwsCli.Run(MirrorCommand.Create(() => LocalAwsCli.Access(endpoint)), "mirror", $"s3://{SignedTrailBuilder.Bucket}", mirror);
        Assert.Equal(MirrorCommand.ExitOk, again);
        Assert.Contains($"0 downloaded (0 bytes), {trail.Store.Keys.Count} already present", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_range_mirrors_only_the_date_folders_around_it()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var trail = new SignedTrailBuilder();
        var days = new[] { 0, 3, 6 }.Select(d => SignedTrailBuilder.StandardStart.AddDays(d).AddMinutes(5)).ToArray();
        foreach (var end in days)
        {
            trail.AddHour("us-east-1", end, startsChain: true);
        }

        LocalTrailBucket.Upload(endpoint, trail);
        var mirror = Path.Combine(folder, "range");

        var (exit, _, error) = LocalAwsCli.Run(
            MirrorCommand.Create(() => LocalAwsCli.Access(endpoint)),
            "mirror", $"s3://{SignedTrailBuilder.Bucket}", mirror, "--start-time", days[1].AddHours(-1).ToString("O"), "--end-time", days[1].ToString("O"), "--region", "us-east-1", "--account", SignedTrailBuilder.Account);

        Assert.Equal(MirrorCommand.ExitOk, exit);
        Assert.Equal("", error);
        Assert.True(File.Exists(PathOf(mirror, trail.Digests[1].Key)));
        Assert.All(trail.Digests[1].LogKeys, key => Assert.True(File.Exists(PathOf(mirror, key))));
        Assert.False(File.Exists(PathOf(mirror, trail.Digests[0].Key)));
        Assert.False(File.Exists(PathOf(mirror, trail.Digests[2].Key)));
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_exits_3_saying_so()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();

        var (exit, _, error) = LocalAwsCli.Run(MirrorCommand.Create(() => LocalAwsCli.Access(endpoint)), "mirror", "s3://no-such-trail-bucket", Path.Combine(folder, "x"));

        Assert.Equal(MirrorCommand.ExitSourceUnreadable, exit);
        Assert.Contains("the bucket does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./local-folder")]
    [InlineData("s3://")]
    public void A_source_that_is_not_an_s3_url_is_a_usage_error(string source)
    {
        var (exit, _, error) = LocalAwsCli.Run(MirrorCommand.Create(() => throw new InvalidOperationException("AWS must not be reached")), "mirror", source, Path.Combine(folder, "x"));

        Assert.Equal(MirrorCommand.ExitUsage, exit);
        Assert.Contains("s3://BUCKET[/PREFIX]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--end-time", "2024-03-02")]
    [InlineData("--start-time", "soon")]
    [InlineData("--account", "12345")]
    [InlineData("--concurrency", "0")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        var (exit, _, error) = LocalAwsCli.Run(MirrorCommand.Create(() => throw new InvalidOperationException("AWS must not be reached")), "mirror", "s3://bucket", Path.Combine(folder, "x"), option, value);

        Assert.Equal(MirrorCommand.ExitUsage, exit);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_region_the_error_says_to_pass_aws_region()
    {
        var access = new AwsAccess(new Dictionary<string, string?>(), new BasicAWSCredentials("AKIDLOCALTEST", "local-test-secret"));

        var (exit, _, error) = LocalAwsCli.Run(MirrorCommand.Create(() => access), "mirror", "s3://bucket", Path.Combine(folder, "x"));

        Assert.Equal(MirrorCommand.ExitUsage, exit);
        Assert.Contains("--aws-region", error, StringComparison.Ordinal);
    }
}
