using System.Text.Json;

namespace TrailResponder.LocalAws;

/// <summary>One request as the endpoint understood it: service, operation, parameters mapped to model member names, and the answer.</summary>
public sealed record RecordedRequest(string Service, string Operation, JsonElement Parameters, int StatusCode, string? ErrorCode);

/// <summary>Every request the endpoint answered, in arrival order, for assertions.</summary>
public sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Of(string service, string operation) =>
        [.. All.Where(r => r.Service == service && r.Operation == operation)];

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    internal void Add(RecordedRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }
    }
}
