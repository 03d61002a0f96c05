using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Tests;

/// <summary>Messages as the company systems would publish them, with only what a test varies as parameters.</summary>
public static class Scenario
{
    public static CustomerDataCaptured Capture(Guid customerId, string sender, CaptureContext context, Purpose purpose,
        params DataCategory[] categories) => new()
    {
        CaptureId = Guid.NewGuid(),
        CustomerId = customerId,
        SourceCompany = sender,
        DealerId = "PZ-HAMBURG",
        Context = context,
        ContractKind = context == CaptureContext.VehicleContract ? ContractKind.Leasing : null,
        Purpose = purpose,
        CapturedAt = HubHarness.Start,
        Data = new CategoryData(categories.Select(c => KeyValuePair.Create(c, new Dictionary<string, string> { ["field"] = "value" }))),
    };

    /// <summary>A workshop visit at PD: the dealer (OP-NORD) and PAG receive copies.</summary>
    public static CustomerDataCaptured WorkshopVisit(Guid customerId) =>
        Capture(customerId, "PD", CaptureContext.Workshop, Purpose.JointCare,
            DataCategory.ContactIdentification, DataCategory.VehicleHistory, DataCategory.CreditBank);

    /// <summary>A profile from an event, published by PD under consent: everyone but PD receives it.</summary>
    public static CustomerDataCaptured InterestProfile(Guid customerId) =>
        Capture(customerId, "PD", CaptureContext.Events, Purpose.IndividualCare, DataCategory.InterestProfile);

    public static ConsentGiven Consent(Guid customerId) => new()
    {
        ConsentId = Guid.NewGuid(), CustomerId = customerId, Channel = ConsentChannel.Dealer, WordingVersion = "2026-03",
        CapturedBy = "OP-NORD", GivenAt = HubHarness.Start,
    };

    /// <summary>One record as a holder answers with it: its fields, captured at PD's workshop at the start of the test.</summary>
    public static CategoryRecord Record(DataCategory category, Dictionary<string, string> fields, string source = "PD", DateTimeOffset? at = null) => new()
    {
        Category = category, Fields = fields, SourceCompany = source, DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop, Purpose = Purpose.JointCare,
        CapturedAt = at ?? HubHarness.Start, ReceivedAt = at ?? HubHarness.Start,
    };

    public static ActionReceipt Receipt(OutcomeKind outcome, params DataCategory[] categories) => new()
    {
        Outcomes = categories.Select(c => new CategoryOutcome
        {
            Category = c, Outcome = outcome, RecordCount = 1,
            LegalBasis = outcome == OutcomeKind.KeptRestricted ? "§ 147 AO (tax retention, 10 years)" : null,
        }).ToList(),
        Digest = "sha256:" + Guid.NewGuid().ToString("N"),
        CompletedAt = HubHarness.Start,
    };
}
