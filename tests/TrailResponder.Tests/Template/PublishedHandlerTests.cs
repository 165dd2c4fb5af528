using System.Reflection;

namespace TrailResponder.Tests.Template;

public class PublishedHandlerTests(PublishedFunctions published) : IClassFixture<PublishedFunctions>
{
    public static TheoryData<string> FunctionIds { get; } = [.. SamTemplate.Load().Functions.Select(f => f.LogicalId)];

    private SamFunction Function(string logicalId) => published.Template.Functions.Single(f => f.LogicalId == logicalId);

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_CodeUri_publishes_framework_dependent_for_linux_arm64(string logicalId)
    {
        var function = Function(logicalId);
        var result = published.For(function);

        Assert.True(result.ExitCode == 0, $"dotnet publish {function.CodeUri} failed:{Environment.NewLine}{result.Output}");
        Assert.True(File.Exists(Path.Combine(result.Folder, function.AssemblyName + ".dll")), $"{function.AssemblyName}.dll is not in the publish folder.");
        Assert.True(File.Exists(Path.Combine(result.Folder, function.AssemblyName + ".runtimeconfig.json")), "The managed runtime needs the runtimeconfig.json.");
        Assert.True(File.Exists(Path.Combine(result.Folder, "AWSSDK.Core.dll")), "AWSSDK.Core.dll must ship in the package.");
    }

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_Handler_resolves_to_a_public_Stream_method_of_the_published_assembly(string logicalId)
    {
        var function = Function(logicalId);
        var result = published.For(function);
        Assert.Equal(0, result.ExitCode);
        var context = new HandlerLoadContext(Path.Combine(result.Folder, function.AssemblyName + ".dll"));
        try
        {
            var assembly = context.LoadHandlerAssembly();
            Assert.Equal(function.AssemblyName, assembly.GetName().Name);
            Assert.Same(context, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly));
            var type = assembly.GetType(function.TypeName, throwOnError: false);
            Assert.True(type is { IsPublic: true, IsGenericTypeDefinition: false, IsAbstract: false }, $"{function.TypeName} is not a public concrete type of {function.AssemblyName}.");
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));

            // The runtime refuses an overloaded handler, so exactly one public method may carry the name.
            var method = Assert.Single(type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static), m => m.Name == function.MethodName);
            Assert.False(method.IsGenericMethodDefinition);
            var parameter = Assert.Single(method.GetParameters());
            Assert.Equal(typeof(Stream), parameter.ParameterType);
            Assert.True(IsStreamResult(method.ReturnType), $"{function.Handler} returns {method.ReturnType}, not Stream or Task<Stream>.");
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_function_is_built_by_a_Makefile_running_the_publish_the_tests_run(string logicalId)
    {
        var function = Function(logicalId);
        var makefile = File.ReadAllLines(Path.Combine(published.Template.RepositoryRoot, function.CodeUri, "Makefile"));
        var project = Path.GetFileName(Directory.EnumerateFiles(Path.Combine(published.Template.RepositoryRoot, function.CodeUri), "*.csproj").Single());

        Assert.Equal("makefile", function.Resource["Metadata"]?["BuildMethod"]?.GetValue<string>());
        var target = Array.IndexOf(makefile, $"build-{logicalId}:");
        Assert.True(target >= 0, $"The Makefile has no build-{logicalId} target.");
        Assert.Equal(
            $"\tdotnet publish \"$(PROJECT_DIR){project}\" {PublishedFunctions.PublishArguments} -o \"$(ARTIFACTS_DIR)\" $(PUBLISH_FLAGS)",
            makefile[target + 1]);
    }

    [Fact]
    public void The_published_runtime_identifier_matches_the_template_architecture()
    {
        var architectures = published.Template.Document["Globals"]!["Function"]!["Architectures"]!.AsArray().Select(a => a!.GetValue<string>());

        Assert.Equal(["arm64"], architectures);
        Assert.Contains("-r linux-arm64", PublishedFunctions.PublishArguments, StringComparison.Ordinal);
        Assert.All(published.Template.Functions, f => Assert.Null(f.Properties["Architectures"]));
    }

    private static bool IsStreamResult(Type type) =>
        typeof(Stream).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) && typeof(Stream).IsAssignableFrom(type.GetGenericArguments()[0]));
}
