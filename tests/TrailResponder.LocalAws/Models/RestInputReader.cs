using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace TrailResponder.LocalAws.Models;

/// <summary>Maps a REST request's URI labels, query string, headers and payload onto the input shape (rest-xml and rest-json).</summary>
internal static class RestInputReader
{
    public static JsonObject Read(Shape input, RestMatch match, IReadOnlyDictionary<string, string> query, IHeaderDictionary headers, byte[] body, bool jsonBody)
    {
        var result = new JsonObject();
        var consumedQuery = new HashSet<string>(match.LiteralQueryKeys, StringComparer.Ordinal) { "x-id" };
        var bodyMembers = new List<ShapeMember>();
        foreach (var member in input.Members)
        {
            var wire = member.LocationName ?? member.Name;
            switch (member.Location)
            {
                case "uri":
                    if (match.Labels.TryGetValue(wire, out var label))
                    {
                        result[member.Name] = ScalarParser.Parse(member.Target, wire, label);
                    }
                    break;
                case "querystring":
                    if (query.TryGetValue(wire, out var queryValue))
                    {
                        consumedQuery.Add(wire);
                        result[member.Name] = ScalarParser.Parse(member.Target, wire, queryValue);
                    }
                    break;
                case "header":
                    if (headers.TryGetValue(wire, out var headerValue))
                    {
                        result[member.Name] = ScalarParser.Parse(member.Target, wire, headerValue.ToString());
                    }
                    break;
                case "headers":
                    {
                        var map = new JsonObject();
                        foreach (var (name, value) in headers)
                        {
                            if (name.StartsWith(wire, StringComparison.OrdinalIgnoreCase))
                            {
                                map[name[wire.Length..].ToLowerInvariant()] = value.ToString();
                            }
                        }
                        if (map.Count > 0)
                        {
                            result[member.Name] = map;
                        }
                        break;
                    }
                default:
                    bodyMembers.Add(member);
                    break;
            }
        }

        var unknown = query.Keys.FirstOrDefault(k => !consumedQuery.Contains(k));
        if (unknown is not null)
        {
            throw new ModelViolationException(ViolationKind.UnknownParameter, $"The query parameter '{unknown}' is not recognized by {match.Operation.Name}.");
        }

        if (input.Payload is { } payloadName)
        {
            var payload = input.Members.First(m => m.Name == payloadName);
            if (payload.Target.Type == "structure" && body.Length > 0)
            {
                result[payload.Name] = jsonBody
                    ? JsonInputReader.Read(payload.Target, body)
                    : ReadXml(payload, body);
            }
        }
        else if (jsonBody && bodyMembers.Count > 0)
        {
            var bodyObject = body.Length == 0 ? [] : JsonInputReader.Read(input, body);
            foreach (var (name, value) in bodyObject)
            {
                result[name] = value?.DeepClone();
            }
        }
        return result;
    }

    private static JsonObject ReadXml(ShapeMember payload, byte[] body)
    {
        XElement root;
        try
        {
            using var stream = new MemoryStream(body);
            root = XDocument.Load(stream).Root!;
        }
        catch (XmlException e)
        {
            throw new ModelViolationException(ViolationKind.MalformedBody, $"The XML you provided was not well-formed: {e.Message}");
        }
        var expected = payload.LocationName ?? payload.ShapeName;
        if (root.Name.LocalName != expected)
        {
            throw new ModelViolationException(ViolationKind.MalformedBody, $"Expected root element {expected}, got {root.Name.LocalName}.");
        }
        return ReadXmlStructure(root, payload.Target);
    }

    private static JsonObject ReadXmlStructure(XElement element, Shape shape)
    {
        var result = new JsonObject();
        foreach (var child in element.Elements())
        {
            var member = shape.Members.FirstOrDefault(m => (m.LocationName ?? m.Name) == child.Name.LocalName)
                ?? throw new ModelViolationException(ViolationKind.UnknownParameter, $"Unknown element {child.Name.LocalName} in {shape.Name}.");
            result[member.Name] = member.Target.Type switch
            {
                "structure" => ReadXmlStructure(child, member.Target),
                "list" or "map" => throw new ModelViolationException(ViolationKind.InvalidType, $"Lists and maps in XML payloads are not supported by the local endpoint ({member.Name})."),
                _ => ScalarParser.Parse(member.Target, member.Name, child.Value),
            };
        }
        return result;
    }
}
