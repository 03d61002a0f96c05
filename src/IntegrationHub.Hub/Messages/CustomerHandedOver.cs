using System.Text.Json.Serialization;
using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>One customer of a takeover is done: handed over, had nothing to hand over, or is erased.</summary>
[EntityName("hub.internal.customer-handed-over")]
public sealed record CustomerHandedOver : ICustomerMessage, IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => TakeoverId;

    public required Guid TakeoverId { get; init; }
    public required Guid CustomerId { get; init; }
    public required HandOverOutcome Outcome { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<HandOverOutcome>))]
public enum HandOverOutcome
{
    /// <summary>Records passed to the new operator and erased at the former one.</summary>
    HandedOver,
    /// <summary>Of another Zentrum by now, or the former operator held nothing.</summary>
    NothingToHandOver,
    /// <summary>Erased, or being erased: the erasure reaches the former operator anyway.</summary>
    Erased,
}
