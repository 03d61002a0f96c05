using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;

namespace IntegrationHub.Hub.Requests;

/// <summary>Where a data-subject request stands, as a person asking about it needs to know.</summary>
public sealed record RequestStatus(
    Guid RequestId,
    Guid? CustomerId,
    string CustomerHash,
    RequestKind Kind,
    string ReceivedBy,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueAt,
    string? ExtensionReason,
    DateTimeOffset? CompletedAt,
    string? Note,
    IReadOnlyList<string> AnsweredBy,
    IReadOnlyList<string> WaitingFor,
    IReadOnlyList<string> OverdueCompanies,
    bool Overdue,
    IReadOnlyList<CompanyReceipt> Receipts)
{
    /// <summary>received, waiting, overdue or done.</summary>
    public string State => CompletedAt is not null ? "done" : Overdue || OverdueCompanies.Count > 0 ? "overdue" : AnsweredBy.Count == 0 ? "received" : "waiting";

    public override string ToString() =>
        $"{Kind} {RequestId} for customer {(CustomerId is { } id ? id.ToString() : $"(erased, {CustomerHash[..Math.Min(12, CustomerHash.Length)]})")}: {State}; " +
        $"received {ReceivedAt:u} by {ReceivedBy}, due {DueAt:u}" +
        (ExtensionReason is null ? "" : $" (extended: {ExtensionReason})") +
        (CompletedAt is null ? "" : $", done {CompletedAt:u}") +
        (Note is null ? "" : $" ({Note})") +
        $"; answered: {Join(AnsweredBy)}; waiting for: {Join(WaitingFor)}" +
        (OverdueCompanies.Count == 0 ? "" : $"; overdue: {Join(OverdueCompanies)}") +
        string.Concat(Receipts.Select(r => $"\n  receipt of {r.Company} ({r.At:u}, {r.Digest}): " +
            string.Join(", ", r.Outcomes.Select(o => $"{o.Category} {o.Outcome} {o.RecordCount}" + (o.LegalBasis is null ? "" : $" ({o.LegalBasis})")))));

    private static string Join(IReadOnlyList<string> companies) => companies.Count == 0 ? "nobody" : string.Join(", ", companies);

    public static RequestStatus Of(RequestState request) => new(
        request.CorrelationId, request.CustomerId, request.CustomerHash, request.Kind, request.ReceivedBy, request.ReceivedAt, request.DueAt,
        request.ExtensionReason, request.CompletedAt, request.Note,
        request.Recipients.Where(r => r.AcknowledgedAt is not null).Select(r => r.Company).ToList(),
        request.Waiting.Select(r => r.Company).ToList(),
        request.Recipients.Where(r => r.OverdueSince is not null && r.AcknowledgedAt is null).Select(r => r.Company).ToList(),
        request.OverdueSince is not null,
        request.Recipients.Where(r => r.Receipt is not null)
            .Select(r => new CompanyReceipt(r.Company, r.AcknowledgedAt!.Value, r.Receipt!.Digest, r.Receipt.Outcomes)).ToList());
}

/// <summary>A holder's receipt as evidence: what it did per category, and the digest over the records concerned.</summary>
public sealed record CompanyReceipt(string Company, DateTimeOffset At, string Digest, IReadOnlyList<CategoryOutcome> Outcomes);
