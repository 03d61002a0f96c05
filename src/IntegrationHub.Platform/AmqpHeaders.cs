using System.Text;
using RabbitMQ.Client;

namespace IntegrationHub.Platform;

/// <summary>Reading a delivery's AMQP headers, whose strings RabbitMQ.Client hands over as UTF-8 bytes.</summary>
public static class AmqpHeaders
{
    /// <summary>A header's value as text, or null when it is missing.</summary>
    public static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers is { } headers && headers.TryGetValue(name, out var value) ? Text(value) : null;

    /// <summary>A header value (or a field of a table-valued one) as text.</summary>
    public static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        _ => value.ToString(),
    };

    /// <summary>What MassTransit reads as transport headers: the AMQP headers (strings as strings) and the properties it uses.</summary>
    public static Dictionary<string, object> ForMassTransit(IReadOnlyBasicProperties properties)
    {
        var headers = new Dictionary<string, object>();
        foreach (var (name, value) in properties.Headers ?? new Dictionary<string, object?>())
        {
            if (value is not null)
            {
                headers[name] = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value;
            }
        }

        if (properties.ContentType is { } contentType)
        {
            headers[MassTransit.MessageHeaders.ContentType] = contentType;
        }

        if (properties.MessageId is { } messageId)
        {
            headers[MassTransit.MessageHeaders.MessageId] = messageId;
        }

        return headers;
    }
}
