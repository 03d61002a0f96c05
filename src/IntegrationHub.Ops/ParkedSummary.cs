using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using RabbitMQ.Client;

namespace IntegrationHub.Ops;

/// <summary>
/// What a page may show of a parked message: its type, why it was parked, when, its ids, the
/// companies and Zentren it names and the categories it carries. Never a field's value: the body is
/// read only for id fields that hold a UUID, a few fields that name a company, Zentrum or context,
/// and the names of the categories under <c>data</c> or <c>categories</c>.
/// </summary>
public static partial class ParkedSummary
{
    private static readonly HashSet<string> PartyFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "sourceCompany", "receivedBy", "capturedBy", "company", "dealerId", "announcedBy", "decidedBy", "fromOperator", "toOperator", "context", "purpose", "contractKind", "kind",
    };

    public static ParkedMessage Of(string queue, BasicGetResult message) => Of(queue, message.BasicProperties, message.Body);

    public static ParkedMessage Of(string queue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var deaths = Deaths(properties);
        var diedIn = deaths.FirstOrDefault().Queue;
        var reason = AmqpHeaders.Header(properties, "MT-Fault-Message") ?? (deaths.Count > 0 ? $"dead-lettered from {diedIn}: {deaths[0].Reason}" : AmqpHeaders.Header(properties, "MT-Reason"));
        var (ids, parties, categories) = ReadBody(body.Span);
        var (returnTo, refusal) = ParkingQueues.ReturnAddress(queue, diedIn);
        return new ParkedMessage(
            queue,
            properties.MessageId ?? "",
            ShortType(AmqpHeaders.Header(properties, BrokerNames.MessageTypeHeader) ?? properties.Type),
            AmqpHeaders.Header(properties, "MT-Fault-ExceptionType"),
            Trim(reason),
            AmqpHeaders.Header(properties, "MT-Fault-Timestamp") is { } faulted && DateTimeOffset.TryParse(faulted, out var at) ? at
                : properties.Timestamp.UnixTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime) : null,
            AmqpHeaders.Header(properties, ErrorQueueParking.OriginalUserIdHeader) is { Length: > 0 } original ? original : properties.UserId,
            ids, parties, categories, body.Length, returnTo, refusal);
    }

    /// <summary>The x-death entries, most recent first, as (queue, reason).</summary>
    public static List<(string Queue, string Reason)> Deaths(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue("x-death", out var value) == true && value is IEnumerable<object> entries
            ? entries.OfType<IDictionary<string, object?>>().Select(d => (AmqpHeaders.Text(Field(d, "queue")) ?? "", AmqpHeaders.Text(Field(d, "reason")) ?? "")).ToList()
            : [];

    private static object? Field(IDictionary<string, object?> entry, string name) => entry.TryGetValue(name, out var value) ? value : null;


    private static (Dictionary<string, Guid> Ids, Dictionary<string, string> Parties, List<string> Categories) ReadBody(ReadOnlySpan<byte> body)
    {
        var ids = new Dictionary<string, Guid>();
        var parties = new Dictionary<string, string>();
        var categories = new SortedSet<string>();
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;

            // A MassTransit envelope carries the message under "message".
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                root = inner;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return (ids, parties, []);
            }

            foreach (var field in root.EnumerateObject())
            {
                if (field.Name.EndsWith("Id", StringComparison.Ordinal) && field.Value.ValueKind == JsonValueKind.String && Guid.TryParse(field.Value.GetString(), out var id))
                {
                    ids[field.Name] = id;
                }
                else if (PartyFields.Contains(field.Name) && field.Value.ValueKind == JsonValueKind.String && Token().IsMatch(field.Value.GetString()!))
                {
                    parties[field.Name] = field.Value.GetString()!;
                }
                else if (field.Name.Equals("data", StringComparison.OrdinalIgnoreCase) && field.Value.ValueKind == JsonValueKind.Object)
                {
                    categories.UnionWith(field.Value.EnumerateObject().Select(c => c.Name).Where(IsCategory));
                }
                else if (field.Name.Equals("categories", StringComparison.OrdinalIgnoreCase) && field.Value.ValueKind == JsonValueKind.Array)
                {
                    categories.UnionWith(field.Value.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!).Where(IsCategory));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the page says so through the missing type and ids; the body stays unread.
        }

        return (ids, parties, categories.ToList());
    }

    private static bool IsCategory(string name) => Enum.TryParse<DataCategory>(name, ignoreCase: true, out _);

    private static string ShortType(string? urn) => string.IsNullOrEmpty(urn) ? "(no type)" : urn[(urn.LastIndexOf(':') + 1)..];

    // Reasons name fields and ids; a very long one (a stack trace) is cut to what a table can show.
    private static string? Trim(string? reason) => reason is { Length: > 400 } ? reason[..400] + " …" : reason;

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    private static partial Regex Token();
}

/// <param name="Sender">The broker user that published the message originally.</param>
/// <param name="ReturnTo">The exchange a move sends it back through; null when it cannot go back (<paramref name="CannotReturn"/> says why).</param>
public sealed record ParkedMessage(
    string Queue, string MessageId, string Type, string? ExceptionType, string? Reason, DateTimeOffset? At, string? Sender,
    IReadOnlyDictionary<string, Guid> Ids, IReadOnlyDictionary<string, string> Parties, IReadOnlyList<string> Categories, int Bytes,
    string? ReturnTo, string? CannotReturn);
