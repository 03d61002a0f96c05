namespace IntegrationHub.Hub.Takeovers;

/// <summary>A dealer takeover as operations follow it.</summary>
public sealed record TakeoverProgress(
    Guid TakeoverId,
    string DealerId,
    string FromOperator,
    string ToOperator,
    DateTimeOffset EffectiveAt,
    DateTimeOffset? StartedAt,
    int Customers,
    int HandedOver,
    DateTimeOffset? CompletedAt)
{
    public override string ToString() =>
        $"takeover {TakeoverId}: {DealerId} {FromOperator} -> {ToOperator}, effective {EffectiveAt:u}: " +
        (StartedAt is null ? "waiting for its time" : CompletedAt is not null ? $"done, {Customers} customers handed over ({CompletedAt:u})"
            : $"{HandedOver} of {Customers} customers handed over ({(Customers == 0 ? 100 : HandedOver * 100 / Customers)} %)");
}
