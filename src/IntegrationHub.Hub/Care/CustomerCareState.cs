using IntegrationHub.Contracts;
using MassTransit;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// Everything the hub keeps about one customer, and nothing more: choices (consent, restriction,
/// objections), the Porsche Zentrum, who holds which categories (Art. 19 GDPR), and the open
/// fan-outs with their deadlines. No payload values: those pass through and are never stored.
/// </summary>
public sealed class CustomerCareState : SagaStateMachineInstance, ISagaVersion
{
    /// <summary>The customer id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = "";

    /// <summary>Incremented by the repository on every write; the optimistic concurrency token.</summary>
    public int Version { get; set; }

    public ConsentRecord? Consent { get; set; }

    public bool Restricted { get; set; }

    public bool ObjectedGenerally { get; set; }

    public string? CompellingGrounds { get; set; }

    public bool ObjectedToDirectMarketing { get; set; }

    public string? DealerId { get; set; }

    public List<HeldCategory> Ledger { get; set; } = [];

    public List<FanOut> FanOuts { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool ConsentGiven => Consent?.Granted == true;

    /// <summary>The companies that hold any of the given categories (all categories when null).</summary>
    public IEnumerable<string> HoldersOf(IReadOnlyCollection<DataCategory>? categories) =>
        Ledger.Where(h => categories is null || categories.Contains(h.Category)).Select(h => h.Company).Distinct().Order();

    public FanOut? FindFanOut(Guid requestId) => FanOuts.SingleOrDefault(f => f.RequestId == requestId);
}

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
