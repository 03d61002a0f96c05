using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>
/// The one routing decision of the hub: which company receives which categories of a capture.
/// Pure: the same policy, directory, capture and customer state always give the same decision.
/// </summary>
public sealed class OperationalNeedPolicy(RoutingPolicy policy, PartyDirectory parties)
{
    public RoutingPolicy Policy { get; } = policy;

    public RoutingDecision Decide(CaptureFacts capture, CustomerRoutingState customer)
    {
        var recipients = new List<RecipientCopy>();
        var dropped = new List<DroppedCategory>();
        var purpose = Policy.Purposes[capture.Purpose];
        var purposeBlock = PurposeBlock(purpose, customer);

        foreach (var role in Enum.GetValues<PartyRole>())
        {
            var company = role == PartyRole.Dealer ? customer.DealerOperator : parties.CompanyFor(role).Id;

            // Seed, section 3: the sender already holds what it captured; it never gets it back.
            if (company == capture.SenderCompany)
            {
                continue;
            }

            var copy = new CategoryData();
            foreach (var (category, fields) in capture.Data)
            {
                var reason = purposeBlock ?? CategoryBlock(role, category, capture, customer);
                if (reason is null && company is null)
                {
                    reason = DropReason.NoDealerAssigned;
                }

                if (reason is null)
                {
                    copy[category] = new Dictionary<string, string>(fields);
                }
                else
                {
                    dropped.Add(new DroppedCategory(company, role, category, reason.Value));
                }
            }

            if (copy.Count > 0)
            {
                recipients.Add(new RecipientCopy(company!, role, copy));
            }
        }

        return new RoutingDecision(Policy.Version, recipients, dropped);
    }

    // Order matters only for the reason reported: a restricted customer's data are withheld whatever else holds.
    private static DropReason? PurposeBlock(PurposeRule purpose, CustomerRoutingState customer)
    {
        if (!purpose.Forwarded)
        {
            return DropReason.AggregatesOnly;
        }

        if (customer.Restricted)
        {
            return DropReason.ProcessingRestricted;
        }

        if (customer.Objections.Any(purpose.BlockedByObjections.Contains))
        {
            return DropReason.Objection;
        }

        if (purpose.RequiresConsent && !customer.ConsentGiven)
        {
            return DropReason.ConsentMissing;
        }

        return null;
    }

    private DropReason? CategoryBlock(PartyRole role, DataCategory category, CaptureFacts capture, CustomerRoutingState customer)
    {
        if (Policy.ConsentOnlyCategories.Contains(category) && !customer.ConsentGiven)
        {
            return DropReason.ConsentMissing;
        }

        return Policy.Needs(role, category, capture.Context, capture.ContractKind) ? null : DropReason.NoOperationalNeed;
    }
}
