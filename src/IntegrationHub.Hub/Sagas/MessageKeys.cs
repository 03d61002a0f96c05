using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.Sagas;

/// <summary>
/// The inbox key of a message: its own id field (captureId, consentId, commandId, requestId, …) when
/// it has one, so that a company re-publishing the same message after an unconfirmed publish gets a
/// duplicate, not a second effect; else the transport's message id.
/// </summary>
public static class MessageKeys
{
    private static readonly string[] IdFields = ["ReminderId", "CaptureId", "ConsentId", "CommandId", "ExtensionId", "RequestId", "TakeoverId"];

    public static Guid Of<T>(ConsumeContext<T> context) where T : class
    {
        foreach (var field in IdFields)
        {
            if (typeof(T).GetProperty(field)?.GetValue(context.Message) is Guid id)
            {
                if (id == Guid.Empty)
                {
                    throw new InvalidMessageException($"{typeof(T).Name} refused: {char.ToLowerInvariant(field[0])}{field[1..]} is missing");
                }

                // The customer is part of the key: one takeover id, for example, covers many customers.
                var customer = typeof(T).GetProperty("CustomerId")?.GetValue(context.Message) as Guid?;
                return NameBased($"{typeof(T).Name}:{id:N}:{customer:N}");
            }
        }

        return context.MessageId ?? throw new InvalidMessageException($"{typeof(T).Name} refused: it carries no id to de-duplicate by");
    }

    private static Guid NameBased(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
