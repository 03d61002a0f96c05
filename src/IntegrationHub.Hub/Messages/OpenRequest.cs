using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Messages;

/// <summary>
/// The customer's saga starts a data-subject request's saga and tells it the holders (the shape of
/// MassTransit's Sample-ForkJoint): from here on the request keeps its recipients, answers and deadlines.
/// </summary>
[EntityName("hub.internal.open-request")]
public sealed record OpenRequest : ICustomerMessage, IUniqueMessage, IHubInternal
{
    Guid IUniqueMessage.UniqueId => RequestId;

    public required Guid RequestId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The keyed hash under which the request stays findable after the customer is erased.</summary>
    public required string CustomerHash { get; init; }
    public required RequestKind Kind { get; init; }
    public required string ReceivedBy { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required IReadOnlyList<RequestHolder> Holders { get; init; }
    /// <summary>Rectification: the corrected fields; each holder is sent only its categories' part.</summary>
    public CategoryData? Corrections { get; init; }
    public string? TransmitTo { get; init; }
    public Guid? TakeoverId { get; init; }
    /// <summary>An operator change's erasure: the Zentrum whose records the former operator erases.</summary>
    public string? DealerId { get; init; }
    /// <summary>The customer's erasure that answers this request too (DOMAIN.md section 5).</summary>
    public Guid? AnsweredByErasure { get; init; }
    /// <summary>The customer was erased before the request arrived: it is answered at once, saying so.</summary>
    public DateTimeOffset? CustomerErasedAt { get; init; }
}

/// <summary>A company that holds categories the request concerns (Art. 19 GDPR).</summary>
public sealed record RequestHolder(string Company, IReadOnlyList<DataCategory> Categories);
