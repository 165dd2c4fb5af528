namespace TrailResponder.Tests.Template;

public class SampleEventTests
{
    public static TheoryData<string> FunctionFolders { get; } = [.. SamTemplate.Load().Functions.Select(f => Path.GetFileName(f.CodeUri))];

    [Fact]
    public void Every_events_file_belongs_to_a_function_of_the_template_by_its_prefix()
    {
        var folders = SamTemplate.Load().Functions.Select(f => Path.GetFileName(f.CodeUri)).ToHashSet(StringComparer.Ordinal);
        var events = Directory.EnumerateFiles(Path.Combine(SamTemplate.FindRepositoryRoot(), "events"), "*.json").Select(Path.GetFileName).ToList();

        Assert.NotEmpty(events);
        Assert.All(events, name => Assert.Contains(
            FunctionExercise.EventPrefixes,
            p => name!.StartsWith(p.Key, StringComparison.Ordinal) && folders.Contains(p.Value)));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task Every_sample_event_drives_its_function_against_the_local_endpoint_with_the_template_environment(string folder)
    {
        var template = SamTemplate.Load();
        Assert.NotEmpty(FunctionExercise.SampleEvents(folder));

        var run = await FunctionExercise.RunAsync(template, template.Function(folder), FunctionExercise.WidestParameters);

        Assert.Empty(run.Failures);
        Assert.NotEmpty(run.Requests);
        // S3's 404 is an answer, not a refusal: it is how a deleted log file shows.
        Assert.All(run.Requests, r => Assert.True(
            r.StatusCode < 400 || (r.Service == TrailResponder.LocalAws.ServiceNames.S3 && r.StatusCode == 404),
            $"{r.Service} {r.Operation} answered {r.StatusCode} {r.ErrorCode}"));
    }

    [Theory]
    [MemberData(nameof(FunctionFolders))]
    public async Task With_the_default_parameters_every_function_runs_and_nothing_is_revoked(string folder)
    {
        var template = SamTemplate.Load();
        Assert.NotEmpty(FunctionExercise.SampleEvents(folder));

        var run = await FunctionExercise.RunAsync(template, template.Function(folder), new Dictionary<string, string> { ["TrailBucketName"] = FunctionExercise.SampleBucket });

        Assert.Empty(run.Failures);
        Assert.DoesNotContain(run.Requests, r => r.Operation.StartsWith("Revoke", StringComparison.Ordinal));
    }
}
