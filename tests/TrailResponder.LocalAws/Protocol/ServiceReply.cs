namespace TrailResponder.LocalAws.Protocol;

/// <summary>A successful service answer: status, content type, body and extra headers.</summary>
internal sealed record ServiceReply(int Status, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public static ServiceReply Xml(System.Xml.Linq.XElement root) =>
        new(200, "text/xml", System.Text.Encoding.UTF8.GetBytes(root.ToString(System.Xml.Linq.SaveOptions.DisableFormatting)), new Dictionary<string, string>());

    public static ServiceReply Json(System.Text.Json.Nodes.JsonNode body, string contentType) =>
        new(200, contentType, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), new Dictionary<string, string>());
}
