using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>What the decision needs to know about a capture.</summary>
public sealed record CaptureFacts(
    string SenderCompany,
    CaptureContext Context,
    ContractKind? ContractKind,
    Purpose Purpose,
    CategoryData Data);

/// <summary>What the decision needs to know about the customer at routing time.</summary>
public sealed record CustomerRoutingState(
    bool ConsentGiven,
    bool Restricted,
    IReadOnlySet<ObjectionKind> Objections,
    string? DealerOperator)
{
    public static readonly CustomerRoutingState NewCustomer = new(false, false, new HashSet<ObjectionKind>(), null);
}
