using System.Text.Json;
using IntegrationHub.Hub.Persistence;
using MassTransit.Serialization;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// An outbox row read back into the message it holds, or why it cannot be. The reason names the type
/// and where in the body reading stopped, never a value from the body: it is stored and shown to operators.
/// </summary>
public sealed record OutboxMessage(object? Message, Type? Type, string? Unreadable)
{
    public static OutboxMessage Read(OutboxRow row)
    {
        var type = Resolve(row.MessageType);
        if (type is null)
        {
            return new(null, null, $"message type {ShortName(row.MessageType)} cannot be resolved in this hub");
        }

        try
        {
            var message = JsonSerializer.Deserialize(row.Body, type, SystemTextJsonMessageSerializer.Options);
            return message is null ? new(null, type, $"body is empty for {type.Name}") : new(message, type, null);
        }
        catch (JsonException ex)
        {
            // Not ex.Message: for malformed JSON it quotes the offending characters of the body.
            return new(null, type, $"body cannot be read as {type.Name}: {nameof(JsonException)} at {ex.Path ?? "$"}, line {ex.LineNumber}, byte {ex.BytePositionInLine}");
        }
        catch (NotSupportedException ex)
        {
            return new(null, type, $"body cannot be read as {type.Name}: {ex.GetType().Name}");
        }
    }

    /// <summary>"DeliverCustomerData" of "IntegrationHub.Contracts.DeliverCustomerData, IntegrationHub.Contracts, Version=…".</summary>
    public static string ShortName(string messageType)
    {
        var fullName = messageType.Split(',')[0].Trim();
        return fullName[(fullName.LastIndexOf('.') + 1)..];
    }

    private static Type? Resolve(string messageType)
    {
        try
        {
            return Type.GetType(messageType, throwOnError: false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or TypeLoadException or BadImageFormatException)
        {
            // A malformed name or an assembly that will not load: as unknown as a missing type.
            return null;
        }
    }
}
