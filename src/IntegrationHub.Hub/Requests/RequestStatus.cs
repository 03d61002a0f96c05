using IntegrationHub.Hub.Care;

namespace IntegrationHub.Hub.Requests;

/// <summary>Where a data-subject request stands, as a person asking about it needs to know.</summary>
public sealed record RequestStatus(
    Guid RequestId,
    Guid CustomerId,
    FanOutKind Kind,
    string ReceivedBy,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    string? ExtensionReason,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<string> AnsweredBy,
    IReadOnlyList<string> WaitingFor,
    IReadOnlyList<string> OverdueCompanies,
    bool Overdue)
{
    /// <summary>received, waiting, overdue or done.</summary>
    public string State => CompletedAt is not null ? "done" : Overdue || OverdueCompanies.Count > 0 ? "overdue" : AnsweredBy.Count == 0 ? "received" : "waiting";

    public override string ToString() =>
        $"{Kind} {RequestId} for customer {CustomerId}: {State}; received {ReceivedAt:u} by {ReceivedBy}, due {DueAt:u}" +
        (ExtensionReason is null ? "" : $" (extended: {ExtensionReason})") +
        (CompletedAt is null ? "" : $", done {CompletedAt:u}") +
        $"; answered: {Join(AnsweredBy)}; waiting for: {Join(WaitingFor)}" +
        (OverdueCompanies.Count == 0 ? "" : $"; overdue: {Join(OverdueCompanies)}");

    private static string Join(IReadOnlyList<string> companies) => companies.Count == 0 ? "nobody" : string.Join(", ", companies);

    public static RequestStatus Of(CustomerCareState state, FanOut fanOut) => new(
        fanOut.RequestId, state.CorrelationId, fanOut.Kind, fanOut.ReceivedBy, fanOut.ReceivedAt, fanOut.DueAt, fanOut.ExtensionReason, fanOut.CompletedAt,
        fanOut.Recipients.Where(r => r.AcknowledgedAt is not null).Select(r => r.Company).ToList(),
        fanOut.Waiting.Select(r => r.Company).ToList(),
        fanOut.Recipients.Where(r => r.OverdueSince is not null && r.AcknowledgedAt is null).Select(r => r.Company).ToList(),
        fanOut.OverdueSince is not null);
}
