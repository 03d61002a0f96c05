using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>Why a category was not forwarded to a company.</summary>
public enum DropReason
{
    /// <summary>The matrix gives the company no operational need for the category in this context.</summary>
    NoOperationalNeed,
    /// <summary>Consent-only category or consent-only purpose, and the customer has not consented (seed, section 4).</summary>
    ConsentMissing,
    /// <summary>The customer objected (Art. 21 GDPR) to processing for this purpose.</summary>
    Objection,
    /// <summary>Processing is restricted (Art. 18 GDPR): nothing new is forwarded.</summary>
    ProcessingRestricted,
    /// <summary>The purpose is aggregated statistics: counted by the hub, never forwarded.</summary>
    AggregatesOnly,
    /// <summary>The dealer role would need it, but no Porsche Zentrum is known for the customer.</summary>
    NoDealerAssigned,
}

/// <summary>The minimised copy one company receives: only the categories it needs.</summary>
public sealed record RecipientCopy(string Company, PartyRole Role, CategoryData Data);

/// <summary>A category that was withheld from one company, and why.</summary>
public sealed record DroppedCategory(string? Company, PartyRole Role, DataCategory Category, DropReason Reason);

/// <summary>The outcome of routing one capture. Holds categories and company ids, never payload values in its text form.</summary>
public sealed record RoutingDecision(string PolicyVersion, IReadOnlyList<RecipientCopy> Recipients, IReadOnlyList<DroppedCategory> Dropped)
{
    public override string ToString()
    {
        var to = Recipients.Count == 0
            ? "nobody"
            : string.Join("; ", Recipients.Select(r => $"{r.Company} <- {string.Join(",", r.Data.Keys.Order())}"));
        var dropped = Dropped.Count == 0
            ? "none"
            : string.Join("; ", Dropped.GroupBy(d => (d.Company ?? d.Role.ToString(), d.Reason))
                .Select(g => $"{g.Key.Item1}: {string.Join(",", g.Select(d => d.Category).Order())} ({g.Key.Reason})"));
        return $"policy {PolicyVersion}: to {to}; dropped {dropped}";
    }
}
