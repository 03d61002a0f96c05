namespace IntegrationHub.Platform;

/// <summary>
/// A company carries out only what the hub sent. RabbitMQ refuses a message whose user_id property
/// differs from the publisher's login (only the hub's user may set another, to park a message
/// unchanged), so user_id = the hub's user is the broker's word that the hub sent it. A delivery
/// published by anyone else (issue 12, finding 3: PAG stored a CreditBank "delivery" it had published
/// itself) would otherwise land in the company's records and in its answers to access requests.
/// </summary>
public static class SenderCheck
{
    /// <summary>Why a message with this user_id is refused, or null when the hub sent it.</summary>
    public static string? Problem(string? userId) =>
        userId == BrokerNames.HubUser
            ? null
            : $"refused: not sent by the hub (user_id {(string.IsNullOrEmpty(userId) ? "missing" : $"'{userId}'")}; only broker user '{BrokerNames.HubUser}' may send commands and deliveries)";
}
