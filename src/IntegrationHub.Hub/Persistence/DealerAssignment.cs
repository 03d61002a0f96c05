namespace IntegrationHub.Hub.Persistence;

/// <summary>
/// From a point in time on, a Porsche Zentrum is run by this operator company (DOMAIN.md section 6).
/// Announced changes are kept as history; parties.json gives the operator before any change.
/// </summary>
public sealed class DealerAssignment
{
    public Guid TakeoverId { get; set; }

    public required string DealerId { get; set; }

    public required string FromOperator { get; set; }

    public required string Operator { get; set; }

    public DateTimeOffset EffectiveAt { get; set; }

    public required string AnnouncedBy { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}
