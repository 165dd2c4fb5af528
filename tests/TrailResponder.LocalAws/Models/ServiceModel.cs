using System.IO.Compression;
using System.Text.Json;

namespace TrailResponder.LocalAws.Models;

/// <summary>One service's model in botocore's format (service-2.json): protocol facts, operations and shapes.</summary>
internal sealed class ServiceModel
{
    private readonly JsonElement _shapes;
    private readonly Dictionary<string, OperationModel> _operations;
    private readonly Dictionary<string, Shape> _shapeCache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    private ServiceModel(JsonElement root, string versionDirectory)
    {
        var metadata = root.GetProperty("metadata");
        Protocol = metadata.GetProperty("protocol").GetString()!;
        ApiVersion = metadata.GetProperty("apiVersion").GetString()!;
        SigningName = metadata.TryGetProperty("signingName", out var signing) ? signing.GetString()! : metadata.GetProperty("endpointPrefix").GetString()!;
        TargetPrefix = metadata.TryGetProperty("targetPrefix", out var target) ? target.GetString() : null;
        VersionDirectory = versionDirectory;
        _shapes = root.GetProperty("shapes");
        _operations = new Dictionary<string, OperationModel>(StringComparer.Ordinal);
        foreach (var operation in root.GetProperty("operations").EnumerateObject())
        {
            var http = operation.Value.GetProperty("http");
            var input = operation.Value.TryGetProperty("input", out var inputRef) ? inputRef.GetProperty("shape").GetString() : null;
            _operations[operation.Name] = new OperationModel(operation.Name, http.GetProperty("method").GetString()!, http.GetProperty("requestUri").GetString()!, input);
        }
    }

    public string Protocol { get; }

    public string ApiVersion { get; }

    public string SigningName { get; }

    public string? TargetPrefix { get; }

    public string VersionDirectory { get; }

    public IEnumerable<OperationModel> Operations => _operations.Values;

    public OperationModel? FindOperation(string name) => _operations.GetValueOrDefault(name);

    public Shape Shape(string name)
    {
        lock (_cacheLock)
        {
            if (!_shapeCache.TryGetValue(name, out var shape))
            {
                shape = new Shape(this, name, _shapes.GetProperty(name));
                _shapeCache[name] = shape;
            }
            return shape;
        }
    }

    /// <summary>Loads the newest api-version folder of a service; plain .json and Debian's .json.gz are both read.</summary>
    public static ServiceModel Load(string dataDirectory, string service)
    {
        var serviceDirectory = Path.Combine(dataDirectory, service);
        var newest = Directory.Exists(serviceDirectory)
            ? Directory.GetDirectories(serviceDirectory)
                .Where(d => File.Exists(Path.Combine(d, "service-2.json")) || File.Exists(Path.Combine(d, "service-2.json.gz")))
                .Order(StringComparer.Ordinal)
                .LastOrDefault()
            : null;
        if (newest is null)
        {
            throw new ModelsMissingException(dataDirectory, service);
        }

        var plain = Path.Combine(newest, "service-2.json");
        using var stream = File.Exists(plain)
            ? (Stream)File.OpenRead(plain)
            : new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(stream);
        return new ServiceModel(document.RootElement.Clone(), newest);
    }
}

/// <summary>An operation's HTTP binding and input shape name.</summary>
internal sealed record OperationModel(string Name, string HttpMethod, string RequestUri, string? InputShape);

/// <summary>Raised when a service's model is not where the endpoint looks for it.</summary>
public sealed class ModelsMissingException(string dataDirectory, string service)
    : InvalidOperationException(
        $"AWS service models for '{service}' were not found under {dataDirectory}. " +
        $"The endpoint reads the committed snapshot in {ServiceModelSnapshot.Folder}, which the build copies beside the assembly; " +
        $"rebuild, or see {ServiceModelSnapshot.Folder}/README.md.");
