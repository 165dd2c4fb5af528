using System.Globalization;
using System.Text.Json.Nodes;

namespace TrailResponder.LocalAws.Models;

/// <summary>
/// Maps a query-protocol form (SNS's "query" or EC2's "ec2" variant) onto the input shape's members,
/// following the models' serialization names and list/map flattening rules.
/// </summary>
internal sealed class QueryInputReader
{
    private readonly bool _ec2;
    private readonly IReadOnlyDictionary<string, string> _form;
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private QueryInputReader(bool ec2, IReadOnlyDictionary<string, string> form)
    {
        _ec2 = ec2;
        _form = form;
    }

    /// <summary>Reads every parameter except Action and Version; any parameter no member claims is an unknown parameter.</summary>
    public static JsonObject Read(Shape input, IReadOnlyDictionary<string, string> form, bool ec2)
    {
        var reader = new QueryInputReader(ec2, form);
        reader._consumed.Add("Action");
        reader._consumed.Add("Version");
        var result = reader.ReadStructure(input, "");
        var unknown = form.Keys.FirstOrDefault(k => !reader._consumed.Contains(k));
        return unknown is null
            ? result
            : throw new ModelViolationException(ViolationKind.UnknownParameter, $"The parameter {unknown} is not recognized");
    }

    private JsonObject ReadStructure(Shape shape, string prefix)
    {
        var result = new JsonObject();
        foreach (var member in shape.Members)
        {
            var value = ReadValue(member.Target, prefix + WireName(member), member);
            if (value is not null)
            {
                result[member.Name] = value;
            }
        }
        return result;
    }

    private JsonNode? ReadValue(Shape shape, string key, ShapeMember member)
    {
        switch (shape.Type)
        {
            case "structure":
                return HasChildren(key) ? ReadStructure(shape, key + ".") : null;
            case "list":
                {
                    var flattened = _ec2 || shape.Flattened || member.Flattened;
                    var itemKey = flattened ? key : key + "." + (shape.ListMember.LocationName ?? "member");
                    if (!flattened && _form.TryGetValue(key, out var empty) && empty.Length == 0)
                    {
                        // The query protocol sends an empty list as a bare "Name=".
                        _consumed.Add(key);
                        return new JsonArray();
                    }
                    var indices = Indices(itemKey);
                    if (indices.Count == 0)
                    {
                        return null;
                    }
                    var list = new JsonArray();
                    foreach (var index in indices)
                    {
                        var element = ReadValue(shape.ListMember.Target, $"{itemKey}.{index}", shape.ListMember);
                        list.Add(element);
                    }
                    return list;
                }
            case "map":
                {
                    var entryKey = shape.Flattened || member.Flattened ? key : key + ".entry";
                    var indices = Indices(entryKey);
                    if (indices.Count == 0)
                    {
                        return null;
                    }
                    var map = new JsonObject();
                    foreach (var index in indices)
                    {
                        var keyName = $"{entryKey}.{index}.{shape.MapKey.LocationName ?? "key"}";
                        var valueName = $"{entryKey}.{index}.{shape.MapValue.LocationName ?? "value"}";
                        var name = ReadValue(shape.MapKey.Target, keyName, shape.MapKey)?.GetValue<string>()
                            ?? throw new ModelViolationException(ViolationKind.MissingParameter, $"The request must contain the parameter {keyName}");
                        map[name] = ReadValue(shape.MapValue.Target, valueName, shape.MapValue);
                    }
                    return map;
                }
            default:
                if (!_form.TryGetValue(key, out var text))
                {
                    return null;
                }
                _consumed.Add(key);
                return ScalarParser.Parse(shape, key, text);
        }
    }

    private string WireName(ShapeMember member)
    {
        if (!_ec2)
        {
            return member.LocationName ?? member.Name;
        }
        if (member.QueryName is not null)
        {
            return member.QueryName;
        }
        return member.LocationName is { Length: > 0 } location
            ? char.ToUpperInvariant(location[0]) + location[1..]
            : member.Name;
    }

    private bool HasChildren(string key) => _form.Keys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal));

    private List<int> Indices(string prefix)
    {
        var indices = new SortedSet<int>();
        foreach (var key in _form.Keys)
        {
            if (!key.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                continue;
            }
            var rest = key[(prefix.Length + 1)..];
            var end = rest.IndexOf('.', StringComparison.Ordinal);
            var segment = end < 0 ? rest : rest[..end];
            if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1)
            {
                indices.Add(index);
            }
        }
        return [.. indices];
    }
}
