using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.Integration;

public class InvokeEndToEndTests : LocalAwsTest
{
    private (int ExitCode, string Output, string Error) Invoke(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(["invoke", .. args], output, error, new CliEnvironment(environment, Credentials));
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string EventPath(string name) => Path.Combine(AppContext.BaseDirectory, "events", name);

    [Fact]
    public void Invoking_the_LogProcessor_with_a_sample_event_prints_its_logs_and_response()
    {
        var factory = new CloudTrailEventFactory(51, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using (var file = new MemoryStream())
        {
            CloudTrailLogFileWriter.Write(file, [factory.RootApiCall(), factory.ManagementRead()]);
            Endpoint.S3.PutObject(Bucket, Key, file.ToArray());
        }

        var (exitCode, output, error) = Invoke(Environment(), "LogProcessor", "--event", EventPath("logprocessor-s3-notification.json"));

        Assert.Equal(0, exitCode);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("findings").GetInt32());
        Assert.Contains("\"message\":\"log file processed\"", error, StringComparison.Ordinal);
        Assert.Single(Endpoint.SecurityHub.Findings);
    }

    [Fact]
    public void Rules_options_reach_the_LogProcessor_as_its_rules_location()
    {
        var factory = new CloudTrailEventFactory(53, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using (var file = new MemoryStream())
        {
            CloudTrailLogFileWriter.Write(file, [factory.RootApiCall(), factory.ManagementRead()]);
            Endpoint.S3.PutObject(Bucket, Key, file.ToArray());
        }

        var folder = Path.Combine(Path.GetTempPath(), $"tr-invoke-rules-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "root.yml"), "title: Root describes\nid: root-describes\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    userIdentity.type: Root\n    eventName|startswith: Describe\n  condition: s\n");
        File.WriteAllText(Path.Combine(folder, "off.yaml"), "disable: [CIS-4.3]\n");

        var (exitCode, output, error) = Invoke(Environment(), "LogProcessor", "--event", EventPath("logprocessor-s3-notification.json"), "--rules", Path.Combine(folder, "root.yml"), "--rules", Path.Combine(folder, "off.yaml"));
        var refused = Invoke(Environment(), "DigestValidator", "--event", EventPath("digestvalidator-schedule.json"), "--rules", folder);

        Assert.Equal(0, exitCode);
        Assert.Equal(1, JsonDocument.Parse(output).RootElement.GetProperty("findings").GetInt32());
        Assert.StartsWith("root-describes/", Assert.Single(Endpoint.SecurityHub.Findings).Key, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"rules loaded\"", error, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--rules: only the LogProcessor runs detection rules, not DigestValidator", refused.Error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Invoking_the_responder_with_an_allowed_change_answers_allow()
    {
        var (exitCode, output, _) = Invoke(Environment(), "securitygroupresponder", "--event", EventPath("securitygroup-https-opened-allowed.json"));

        Assert.Equal(0, exitCode);
        Assert.Equal("allow", JsonDocument.Parse(output).RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void Env_options_configure_the_function_like_the_template_would()
    {
        var environment = Environment();
        environment.Remove("ACCOUNT_ID");

        var refused = Invoke(environment, "SecurityGroupResponder", "--event", EventPath("securitygroup-https-opened-allowed.json"));
        var accepted = Invoke(environment, "SecurityGroupResponder", "--event", EventPath("securitygroup-https-opened-allowed.json"), "--env", "SECURITY_HUB_ENABLED=false");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("ACCOUNT_ID is not set", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, accepted.ExitCode);
    }

    [Fact]
    public void A_function_that_fails_exits_1_with_the_error_Lambda_would_record()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tr-invoke-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"hello\": 1}");

        var (exitCode, _, error) = Invoke(Environment(), "LogProcessor", "--event", path);

        Assert.Equal(1, exitCode);
        Assert.Contains("function error: FormatException: The event is not one the LogProcessor handles", error, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Theory]
    [InlineData("NoSuchFunction", "logprocessor-s3-notification.json", "no function named 'NoSuchFunction'")]
    [InlineData("LogProcessor", "missing.json", "no such event file")]
    public void Unknown_functions_and_missing_events_are_usage_errors(string function, string eventName, string message)
    {
        var (exitCode, _, error) = Invoke(Environment(), function, "--event", EventPath(eventName));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
