using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// The answer to an access request (Art. 15 GDPR), gathered from every holder: the data per company
/// and category, the purposes, the recipients (Art. 19), the sources, how long each company keeps
/// what, and every company's contact points. A company that did not answer by the deadline is named.
/// </summary>
public sealed record AccessReport(
    Guid RequestId,
    Guid CustomerId,
    string State,
    DateTimeOffset ReceivedAt,
    string ReceivedBy,
    DateTimeOffset DueAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset GeneratedAt,
    string PolicyVersion,
    IReadOnlyList<PurposeEntry> Purposes,
    IReadOnlyList<CompanyEntry> Companies,
    IReadOnlyList<string> NotAnswered);

public sealed record PurposeEntry(Purpose Purpose, string Description);

/// <summary>
/// One joint controller as the report shows it: who it is, what it holds, where it came from, and
/// every record it answered with (null when it did not answer), each with its source and time.
/// </summary>
public sealed record CompanyEntry(
    string Id,
    string LegalName,
    string Address,
    string PrivacyNotice,
    string DataProtectionContact,
    string? Retention,
    bool Holder,
    bool Answered,
    IReadOnlyList<HeldEntry> Holds,
    IReadOnlyList<CategoryRecord>? Records);

/// <summary>A category a company received (Art. 19 GDPR), since when, and from which companies (Art. 15(1)(g)).</summary>
public sealed record HeldEntry(DataCategory Category, DateTimeOffset Since, IReadOnlyList<string> Sources);
