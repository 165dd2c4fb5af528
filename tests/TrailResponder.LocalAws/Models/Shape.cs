using System.Text.Json;

namespace TrailResponder.LocalAws.Models;

/// <summary>A model shape with the few traits the endpoint checks: type, members, required, min/max, enum, serialization names.</summary>
internal sealed class Shape
{
    private readonly JsonElement _element;
    private IReadOnlyList<ShapeMember>? _members;

    public Shape(ServiceModel model, string name, JsonElement element)
    {
        Model = model;
        Name = name;
        _element = element;
        Type = element.GetProperty("type").GetString()!;
        Required = element.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        Min = element.TryGetProperty("min", out var min) ? min.GetDouble() : null;
        Max = element.TryGetProperty("max", out var max) ? max.GetDouble() : null;
        Enum = element.TryGetProperty("enum", out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToList() : null;
        Flattened = element.TryGetProperty("flattened", out var flattened) && flattened.GetBoolean();
        Payload = element.TryGetProperty("payload", out var payload) ? payload.GetString() : null;
    }

    public ServiceModel Model { get; }

    public string Name { get; }

    public string Type { get; }

    public IReadOnlySet<string> Required { get; }

    public double? Min { get; }

    public double? Max { get; }

    public IReadOnlyList<string>? Enum { get; }

    public bool Flattened { get; }

    public string? Payload { get; }

    public IReadOnlyList<ShapeMember> Members => _members ??= _element.TryGetProperty("members", out var members)
        ? members.EnumerateObject().Select(m => ShapeMember.From(Model, m.Name, m.Value)).ToList()
        : [];

    public ShapeMember ListMember => ShapeMember.From(Model, "member", _element.GetProperty("member"));

    public ShapeMember MapKey => ShapeMember.From(Model, "key", _element.GetProperty("key"));

    public ShapeMember MapValue => ShapeMember.From(Model, "value", _element.GetProperty("value"));

    public bool IsScalar => Type is not ("structure" or "list" or "map");
}

/// <summary>A reference from a structure (or list/map) to a member shape, with its wire names.</summary>
internal sealed record ShapeMember(ServiceModel Model, string Name, string ShapeName, string? LocationName, string? Location, string? QueryName, bool Flattened)
{
    public Shape Target => Model.Shape(ShapeName);

    public static ShapeMember From(ServiceModel model, string name, JsonElement reference) => new(
        model,
        name,
        reference.GetProperty("shape").GetString()!,
        reference.TryGetProperty("locationName", out var locationName) ? locationName.GetString() : null,
        reference.TryGetProperty("location", out var location) ? location.GetString() : null,
        reference.TryGetProperty("queryName", out var queryName) ? queryName.GetString() : null,
        reference.TryGetProperty("flattened", out var flattened) && flattened.GetBoolean());
}
