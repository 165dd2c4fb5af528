using System.Diagnostics;

namespace TrailResponder.Tests.Template;

/// <summary>
/// Publishes every function of the template once per test run, the way <c>sam build</c> does through each function's
/// Makefile: <c>dotnet publish -c Release -r linux-arm64 --self-contained false</c> of its CodeUri, into a temp folder.
/// </summary>
public sealed class PublishedFunctions : IDisposable
{
    /// <summary>The arguments after <c>dotnet publish PROJECT</c>, as the Makefiles write them.</summary>
    public const string PublishArguments = "-c Release -r linux-arm64 --self-contained false";

    private readonly string _output = Path.Combine(Path.GetTempPath(), "trailresponder-publish-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, PublishResult> _results = new(StringComparer.Ordinal);

    /// <summary>Publishes each function in turn: they share Core and Aws, whose Release build must not race.</summary>
    public PublishedFunctions()
    {
        Template = SamTemplate.Load();
        foreach (var function in Template.Functions)
        {
            _results[function.LogicalId] = Publish(function);
        }
    }

    /// <summary>The template the functions came from.</summary>
    public SamTemplate Template { get; }

    /// <summary>The outcome of publishing <paramref name="function"/>.</summary>
    public PublishResult For(SamFunction function) => _results[function.LogicalId];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_output, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the next run uses a new one.
        }
    }

    private PublishResult Publish(SamFunction function)
    {
        var project = Directory.EnumerateFiles(Path.Combine(Template.RepositoryRoot, function.CodeUri), "*.csproj").SingleOrDefault();
        var folder = Path.Combine(_output, function.LogicalId);
        if (project is null)
        {
            return new PublishResult(folder, -1, $"{function.CodeUri} has no project file.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No build servers or reused nodes: a node left running would hold the redirected output open after publish exits.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var argument in new[] { "publish", project }.Concat(PublishArguments.Split(' ')).Concat(["-o", folder, "-nologo", "--disable-build-servers"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new PublishResult(folder, process.ExitCode, output + error.Result);
    }
}

/// <summary>What one publish produced.</summary>
/// <param name="Folder">The publish folder (what Lambda would unpack into /var/task).</param>
/// <param name="ExitCode">dotnet publish's exit code.</param>
/// <param name="Output">Its output, for the failure message.</param>
public sealed record PublishResult(string Folder, int ExitCode, string Output);
