using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Platform;

namespace IntegrationHub.Hub.Customers;

/// <summary>A data-subject request as the hub takes it in, whichever message brought it.</summary>
public sealed record RequestFacts(
    RequestKind Kind,
    Guid RequestId,
    Guid CustomerId,
    string ReceivedBy,
    DateTimeOffset ReceivedAt,
    IReadOnlyCollection<DataCategory>? Categories = null,
    CategoryData? Corrections = null,
    string? TransmitTo = null)
{
    /// <summary>Seed, section 4: a withdrawal reaches every company that received consent-based data.</summary>
    public static readonly IReadOnlyCollection<DataCategory> ConsentBased = [DataCategory.InterestProfile, DataCategory.EmailEngagement];

    /// <summary>The request a message brings, or null when it brings none.</summary>
    public static RequestFacts? Of(object message) => message switch
    {
        ConsentWithdrawn m => new(RequestKind.ConsentWithdrawal, m.ConsentId, m.CustomerId, m.CapturedBy, m.WithdrawnAt, ConsentBased),
        // Art. 21(1) GDPR: with compelling grounds recorded, needs analysis goes on and nobody is asked to stop.
        ObjectionLodged m => new(RequestKind.Objection, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt,
            m.CompellingGrounds is null ? null : Array.Empty<DataCategory>()),
        DirectMarketingObjectionLodged m => new(RequestKind.DirectMarketingObjection, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt),
        RestrictionRequested m => new(RequestKind.Restriction, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt),
        RestrictionLiftRequested m => new(RequestKind.RestrictionLift, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt),
        RectificationRequested m => new(RequestKind.Rectification, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt,
            CorrectedCategories(m), m.Corrections),
        ErasureRequested m => new(RequestKind.Erasure, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt),
        AccessRequested m => new(RequestKind.Access, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt),
        PortabilityRequested m => new(RequestKind.Portability, m.RequestId, m.CustomerId, m.ReceivedBy, m.ReceivedAt, TransmitTo: m.TransmitTo),
        _ => null,
    };

    /// <summary>Access and portability run during an erasure too: they complete with what is left.</summary>
    public bool RunsDuringErasure => Kind is RequestKind.Access or RequestKind.Portability;

    /// <summary>Art. 16 and 19 GDPR: the corrections go to every holder of the categories corrected.</summary>
    private static List<DataCategory> CorrectedCategories(RectificationRequested request) =>
        request.Corrections is { Count: > 0 } corrections
            ? corrections.Keys.ToList()
            : throw new InvalidMessageException("rectification refused: corrections hold no category");
}
