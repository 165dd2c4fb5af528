using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrailResponder.Core.Diagnostics;

/// <summary>
/// Writes one JSON object per line (level, message, fields): what CloudWatch Logs Insights queries best.
/// </summary>
/// <remarks>Callers pass only what is safe to keep: keys, counts, ids and error codes, never credentials or bodies.</remarks>
public sealed class JsonLineLog(TextWriter output)
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _gate = new();

    /// <summary>An informational line.</summary>
    public void Info(string message, params (string Name, object? Value)[] fields) => Write("INFO", message, fields);

    /// <summary>Something unexpected that did not stop the work.</summary>
    public void Warn(string message, params (string Name, object? Value)[] fields) => Write("WARN", message, fields);

    /// <summary>Something that failed.</summary>
    public void Error(string message, params (string Name, object? Value)[] fields) => Write("ERROR", message, fields);

    private void Write(string level, string message, (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("level", level);
            json.WriteString("message", message);
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null:
                        break;
                    case int number:
                        json.WriteNumber(name, number);
                        break;
                    case long number:
                        json.WriteNumber(name, number);
                        break;
                    case bool flag:
                        json.WriteBoolean(name, flag);
                        break;
                    default:
                        json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
