using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.LocalAws;
using TrailResponder.LocalAws.Models;
using TrailResponder.Tests.Template;

namespace TrailResponder.Tests.LocalAws;

public partial class ServiceModelSnapshotTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_snapshot_holds_exactly_the_operations_the_script_lists_and_the_handlers_serve()
    {
        var listed = ScriptOperations();
        await using var endpoint = await LocalAwsEndpoint.StartAsync();

        var mismatches = endpoint.Services.Values
            .Select(service => (
                service.Name,
                Listed: Names(listed.GetValueOrDefault(service.Name) ?? []),
                InSnapshot: Names(service.Model.Operations.Select(o => o.Name)),
                Served: Names(service.Handler.Operations)))
            .Where(s => s.Listed != s.InSnapshot || s.InSnapshot != s.Served)
            .Select(s => $"{s.Name}: the script lists [{s.Listed}], the snapshot holds [{s.InSnapshot}], the handler serves [{s.Served}]")
            .ToList();

        Assert.Equal(ServiceNames.All.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        Assert.True(mismatches.Count == 0, $"Edit OPERATIONS in {ServiceModelSnapshot.Script} and rerun it (see its README):{Environment.NewLine}{string.Join(Environment.NewLine, mismatches)}");
    }

    [Fact]
    public void The_endpoint_reads_its_models_from_the_build_output_not_from_a_system_path() =>
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "ServiceModels"), new LocalAwsOptions().ModelsDirectory);

    [Fact]
    public async Task A_client_calling_an_operation_the_snapshot_lacks_fails_and_is_told_where_the_operations_are_listed()
    {
        using var snapshot = SnapshotCopy.Create();
        snapshot.Edit(ServiceNames.CloudTrail, model => model["operations"]!.AsObject().Remove("ListPublicKeys"));
        await using var endpoint = await LocalAwsEndpoint.StartAsync(new LocalAwsOptions { ModelsDirectory = snapshot.Directory });
        using var clients = ClientsFor(endpoint);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => clients.PublicKeys().ListPublicKeysAsync("us-east-1", Day, Day.AddDays(1), CancellationToken.None));

        Assert.Equal("UnknownOperationException", error.ErrorCode);
        Assert.Contains(ServiceModelSnapshot.Script, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_in_the_snapshot_that_no_handler_serves_is_refused_as_unsupported()
    {
        using var snapshot = SnapshotCopy.Create();
        snapshot.Edit(ServiceNames.CloudTrail, model =>
        {
            var operations = model["operations"]!.AsObject();
            var copy = operations["ListPublicKeys"]!.DeepClone();
            copy["name"] = "LookupEvents";
            operations["LookupEvents"] = copy;
        });
        await using var endpoint = await LocalAwsEndpoint.StartAsync(new LocalAwsOptions { ModelsDirectory = snapshot.Directory });
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");

        var answer = await cloudTrail.CloudTrailAsync("LookupEvents", "{}");

        Assert.Equal("UnsupportedOperationException", answer.ErrorCode);
    }

    [Fact]
    public async Task Missing_models_folder_names_the_committed_snapshot()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-models-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<ModelsMissingException>(() => LocalAwsEndpoint.StartAsync(new LocalAwsOptions { ModelsDirectory = missing }));

        Assert.Contains(ServiceModelSnapshot.Folder, error.Message, StringComparison.Ordinal);
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal));

    private static AwsClients ClientsFor(LocalAwsEndpoint endpoint) => AwsClients.FromEnvironment(
        new Dictionary<string, string?> { ["AWS_REGION"] = endpoint.Options.Region, ["AWS_ENDPOINT_URL"] = endpoint.Url.ToString() },
        new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey));

    /// <summary>The OPERATIONS list of the refresh script, by service.</summary>
    private static Dictionary<string, List<string>> ScriptOperations()
    {
        var script = File.ReadAllText(Path.Combine(SamTemplate.FindRepositoryRoot(), ServiceModelSnapshot.Script));
        var block = OperationsBlock().Match(script);
        Assert.True(block.Success, $"{ServiceModelSnapshot.Script} has no OPERATIONS = {{...}} block.");
        return ServiceEntry().Matches(block.Groups["body"].Value).ToDictionary(
            m => m.Groups["service"].Value,
            m => QuotedName().Matches(m.Groups["operations"].Value).Select(n => n.Groups["name"].Value).ToList(),
            StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^OPERATIONS = \{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex OperationsBlock();

    [GeneratedRegex(@"""(?<service>[a-z0-9-]+)"":\s*\[(?<operations>[^\]]*)\]")]
    private static partial Regex ServiceEntry();

    [GeneratedRegex(@"""(?<name>[A-Za-z0-9]+)""")]
    private static partial Regex QuotedName();

    /// <summary>A temporary copy of the committed snapshot that a test may alter.</summary>
    private sealed class SnapshotCopy : IDisposable
    {
        private SnapshotCopy(string directory) => Directory = directory;

        public string Directory { get; }

        public static SnapshotCopy Create()
        {
            var source = new LocalAwsOptions().ModelsDirectory;
            var target = Path.Combine(Path.GetTempPath(), "service-models-" + Guid.NewGuid().ToString("N"));
            foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(target, Path.GetRelativePath(source, file));
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            return new SnapshotCopy(target);
        }

        public void Edit(string service, Action<JsonObject> change)
        {
            var file = System.IO.Directory.EnumerateFiles(Path.Combine(Directory, service), "service-2.json", SearchOption.AllDirectories).Single();
            var model = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            change(model);
            File.WriteAllText(file, model.ToJsonString());
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
