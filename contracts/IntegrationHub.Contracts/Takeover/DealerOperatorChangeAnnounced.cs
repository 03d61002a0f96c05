using MassTransit;

namespace IntegrationHub.Contracts;

/// <summary>Event from PD: a Porsche Zentrum passes from one operator company to another at a given time (DOMAIN.md section 6).</summary>
[EntityName("inbound.dealer-operator-change-announced")]
public sealed record DealerOperatorChangeAnnounced : IUniqueMessage
{
    Guid IUniqueMessage.UniqueId => TakeoverId;

    public required Guid TakeoverId { get; init; }
    public required string DealerId { get; init; }
    public required string FromOperator { get; init; }
    public required string ToOperator { get; init; }
    public required DateTimeOffset EffectiveAt { get; init; }
    public required string AnnouncedBy { get; init; }
}
