using IntegrationHub.Platform;
using MassTransit;
using MassTransit.RabbitMqTransport;

namespace IntegrationHub.Hub.Inbound;

/// <summary>
/// Who published a message. On RabbitMQ the broker refuses a message whose user_id property differs
/// from the connection's login, so a user_id is proof of the sender; the hub requires one there, so
/// that a company cannot pose as another. The in-memory transport of the demo has no identities.
/// </summary>
public sealed record PublisherIdentity(bool Vouched, string? BrokerUser)
{
    public static PublisherIdentity Of(ConsumeContext context)
    {
        if (!context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit))
        {
            return new PublisherIdentity(false, null);
        }

        var user = rabbit.Properties.UserId;
        return new PublisherIdentity(true, string.IsNullOrEmpty(user) ? null : user);
    }

    /// <summary>Why this publisher may not speak for <paramref name="company"/>, or null when it may.</summary>
    public string? Problem(string company)
    {
        if (!Vouched)
        {
            return null;
        }

        if (BrokerUser is null)
        {
            return "the user_id message property is missing (set it to your broker user)";
        }

        return BrokerUser == BrokerNames.CompanyUser(company) || BrokerUser == HubUser
            ? null
            : $"the message speaks for {company} but was published by broker user {BrokerUser}";
    }

    /// <summary>The hub itself may publish on a company's behalf (for example during a dealer takeover).</summary>
    public const string HubUser = "hub";
}
