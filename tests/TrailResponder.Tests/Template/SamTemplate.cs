using System.Text.Json.Nodes;

namespace TrailResponder.Tests.Template;

/// <summary>One <c>AWS::Serverless::Function</c> of the template, as written (intrinsics unresolved).</summary>
/// <param name="LogicalId">The resource's logical id.</param>
/// <param name="CodeUri">The project folder, relative to the repository root.</param>
/// <param name="Handler">Assembly::Namespace.Type::Method.</param>
/// <param name="Resource">The whole resource.</param>
public sealed record SamFunction(string LogicalId, string CodeUri, string Handler, JsonObject Resource)
{
    /// <summary>The function's properties.</summary>
    public JsonObject Properties => Resource["Properties"]!.AsObject();

    /// <summary>The assembly part of the handler.</summary>
    public string AssemblyName => Handler.Split("::")[0];

    /// <summary>The type part of the handler.</summary>
    public string TypeName => Handler.Split("::")[1];

    /// <summary>The method part of the handler.</summary>
    public string MethodName => Handler.Split("::")[2];
}

/// <summary>The repository's template.yaml, parsed, with its functions.</summary>
public sealed class SamTemplate
{
    private SamTemplate(string root, JsonObject document)
    {
        RepositoryRoot = root;
        Document = document;
        Functions = [.. document["Resources"]!.AsObject()
            .Where(r => r.Value?["Type"]?.GetValue<string>() == "AWS::Serverless::Function")
            .Select(r => new SamFunction(
                r.Key,
                r.Value!["Properties"]!["CodeUri"]!.GetValue<string>(),
                r.Value!["Properties"]!["Handler"]!.GetValue<string>(),
                r.Value!.AsObject()))];
    }

    /// <summary>The folder that holds template.yaml.</summary>
    public string RepositoryRoot { get; }

    /// <summary>The template as JSON, short-form tags in their long forms.</summary>
    public JsonObject Document { get; }

    /// <summary>Every function.</summary>
    public IReadOnlyList<SamFunction> Functions { get; }

    /// <summary>The template of the repository the tests run from.</summary>
    public static SamTemplate Load()
    {
        var root = FindRepositoryRoot();
        return new SamTemplate(root, CloudFormationYaml.Parse(File.ReadAllText(Path.Combine(root, "template.yaml"))));
    }

    /// <summary>The function whose project folder is <paramref name="folderName"/>.</summary>
    public SamFunction Function(string folderName) => Functions.Single(f => Path.GetFileName(f.CodeUri) == folderName);

    /// <summary>The repository root: the nearest folder above the test binaries with template.yaml and the solution.</summary>
    public static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "template.yaml")) && File.Exists(Path.Combine(folder.FullName, "TrailResponder.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("No template.yaml beside TrailResponder.sln above " + AppContext.BaseDirectory);
    }
}
