using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts;
using IntegrationHub.Platform;
using MassTransit;

namespace IntegrationHub.Hub.UnitOfWork;

/// <summary>
/// The inbox key of a message: its own id (<see cref="IUniqueMessage"/>) with its type and customer, so
/// that a company re-publishing the same message after an unconfirmed publish gets a duplicate, not a
/// second effect; else the transport's message id.
/// </summary>
public static class MessageKeys
{
    public static Guid Of<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IUniqueMessage unique)
        {
            if (unique.UniqueId == Guid.Empty)
            {
                throw new InvalidMessageException($"{typeof(T).Name} refused: its id is missing");
            }

            // The customer is part of the key: one takeover id, for example, covers many customers.
            var customer = context.Message is ICustomerMessage about ? about.CustomerId : Guid.Empty;
            return NameBased($"{typeof(T).Name}:{unique.UniqueId:N}:{customer:N}");
        }

        return context.MessageId ?? throw new InvalidMessageException($"{typeof(T).Name} refused: it carries no id to de-duplicate by");
    }

    /// <summary>The partition of a message: one customer's messages one after another, in order of arrival.</summary>
    public static Guid PartitionOf<T>(ConsumeContext<T> context) where T : class => context.Message switch
    {
        ICustomerMessage about => about.CustomerId,
        IUniqueMessage unique => unique.UniqueId,
        _ => context.MessageId ?? Guid.Empty,
    };

    /// <summary>A digest of the message's content, independent of how the sender formatted its JSON.</summary>
    public static string DigestOf(object message) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(),
            MassTransit.Serialization.SystemTextJsonMessageSerializer.Options)));

    public static Guid NameBased(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
