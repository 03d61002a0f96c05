using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Everything the hub keeps about one customer, and nothing more: choices (consent, restriction,
/// objections), the Porsche Zentrum, who holds which categories (Art. 19 GDPR), and which requests and
/// hand-overs concern the customer. Requests keep their own state in their own sagas. No payload values.
/// </summary>
public sealed class CustomerState : IHubSaga
{
    /// <summary>The customer id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>Incremented by the repository on every write; the optimistic concurrency token.</summary>
    public int Version { get; set; }

    public ConsentRecord? Consent { get; set; }

    /// <summary>Art. 18 GDPR: nothing new is forwarded while set.</summary>
    public bool Restricted { get; set; }

    public bool ObjectedGenerally { get; set; }

    public string? CompellingGrounds { get; set; }

    public bool ObjectedToDirectMarketing { get; set; }

    public string? DealerId { get; set; }

    public List<HeldCategory> Ledger { get; set; } = [];

    /// <summary>Every request of the customer, so each learns when the customer is erased.</summary>
    public List<Guid> Requests { get; set; } = [];

    /// <summary>The erasure under way, while the customer is erasing.</summary>
    public Guid? ErasureRequestId { get; set; }

    /// <summary>Requests that arrived during the erasure and are answered by it.</summary>
    public List<Guid> AnsweredByErasure { get; set; } = [];

    /// <summary>Dealer takeovers waiting for the former operator's hand-over of this customer.</summary>
    public List<PendingHandOver> HandOvers { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool ConsentGiven => Consent?.Granted == true;

    /// <summary>The companies that hold any of the given categories (all categories when null), with those categories.</summary>
    public List<RequestHolder> HoldersOf(IReadOnlyCollection<DataCategory>? categories) =>
        Ledger.Where(h => categories is null || categories.Contains(h.Category)).GroupBy(h => h.Company).OrderBy(g => g.Key)
            .Select(g => new RequestHolder(g.Key, g.Select(h => h.Category).Distinct().Order().ToList())).ToList();

    /// <summary>Records that a company holds a category, from now or again.</summary>
    public void Hold(string company, DataCategory category, Guid deliveryId, DateTimeOffset now)
    {
        if (Ledger.SingleOrDefault(h => h.Company == company && h.Category == category) is { } held)
        {
            held.LastReceivedAt = now;
            held.LastDeliveryId = deliveryId;
        }
        else
        {
            Ledger.Add(new HeldCategory { Company = company, Category = category, Since = now, LastReceivedAt = now, LastDeliveryId = deliveryId });
        }
    }
}

/// <summary>The hub asked the former operator for the customer's records in a dealer takeover.</summary>
public sealed record PendingHandOver(Guid TakeoverId, Guid CommandId, string FromOperator, string ToOperator);

/// <summary>A consent or its withdrawal, as the customer gave it (Art. 7(1) GDPR: the controller must be able to show it).</summary>
public sealed class ConsentRecord
{
    public bool Granted { get; set; }

    public ConsentChannel Channel { get; set; }

    public DateTimeOffset At { get; set; }

    public string? WordingVersion { get; set; }

    public required string CapturedBy { get; set; }

    public Guid ConsentId { get; set; }
}

/// <summary>One line of the recipient ledger: a company holds a category of the customer's data.</summary>
public sealed class HeldCategory
{
    public required string Company { get; set; }

    public DataCategory Category { get; set; }

    public DateTimeOffset Since { get; set; }

    public DateTimeOffset LastReceivedAt { get; set; }

    /// <summary>The delivery that last brought the category.</summary>
    public Guid LastDeliveryId { get; set; }
}
