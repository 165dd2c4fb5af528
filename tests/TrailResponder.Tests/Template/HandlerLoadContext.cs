using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace TrailResponder.Tests.Template;

/// <summary>
/// Loads a published function as the managed runtime does: its own assemblies from its publish folder (resolved through
/// its .deps.json), the framework shared with the host. Collectible, so the test process lets go of it.
/// </summary>
public sealed class HandlerLoadContext : AssemblyLoadContext
{
    private const ushort Arm64Machine = 0xAA64;
    private const ushort X64Machine = 0x8664;
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _mainAssemblyPath;

    /// <summary>A context for the function whose main assembly is <paramref name="mainAssemblyPath"/>.</summary>
    public HandlerLoadContext(string mainAssemblyPath)
        : base(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: true)
    {
        _mainAssemblyPath = mainAssemblyPath;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    /// <summary>
    /// Loads the function's own assembly. Publishing for linux-arm64 marks it ARM64 in its PE header although its code is
    /// IL only, and the runtime refuses a foreign machine type; on a host of the other 64-bit architecture the same bytes
    /// are loaded with that one header field set to the host's, so reflection sees exactly what Lambda's runtime sees.
    /// </summary>
    public Assembly LoadHandlerAssembly()
    {
        var image = File.ReadAllBytes(_mainAssemblyPath);
        var machineOffset = BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan(0x3C)) + 4;
        var machine = BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(machineOffset));
        var host = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => Arm64Machine,
            Architecture.X64 => X64Machine,
            _ => machine,
        };
        if (machine is Arm64Machine or X64Machine && machine != host)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(machineOffset), host);
        }

        using var stream = new MemoryStream(image);
        return LoadFromStream(stream);
    }

    protected override Assembly? Load(AssemblyName assemblyName) =>
        _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
}
