using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Takeovers;

/// <summary>
/// One dealer takeover (DOMAIN.md section 6): a Porsche Zentrum passes from one operator company to
/// another. The customers of its snapshot are counted by id in <see cref="Persistence.TakeoverCustomer"/>.
/// </summary>
public sealed class TakeoverState : IHubSaga
{
    /// <summary>The takeover id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    public int Version { get; set; }

    public string DealerId { get; set; } = "";

    public string FromOperator { get; set; } = "";

    public string ToOperator { get; set; } = "";

    public DateTimeOffset EffectiveAt { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int Customers { get; set; }

    public int Done { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? OverdueSince { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
