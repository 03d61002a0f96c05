using IntegrationHub.Platform;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Routing;

/// <summary>
/// Keeps the customer's consent state (seed, section 4) that routing decisions read. Every company
/// and dealer may capture a consent or a withdrawal (Art. 7(3) GDPR). The fan-out of a withdrawal
/// to the holders belongs to the routing saga.
/// </summary>
public sealed class RecordConsent(
    HubDbContext db,
    PartyDirectory parties,
    TimeProvider clock,
    ILogger<RecordConsent> logger) : IConsumer<ConsentGiven>, IConsumer<ConsentWithdrawn>
{
    public Task Consume(ConsumeContext<ConsentGiven> context)
    {
        var given = context.Message;
        return Apply(context, given.ConsentId, given.CustomerId, given.CapturedBy, given.GivenAt, "consent-given", customer =>
        {
            customer.ConsentGiven = true;
            customer.ConsentChannel = given.Channel;
            customer.ConsentWordingVersion = given.WordingVersion;
            customer.ConsentCapturedBy = given.CapturedBy;
        });
    }

    public Task Consume(ConsumeContext<ConsentWithdrawn> context)
    {
        var withdrawn = context.Message;
        return Apply(context, withdrawn.ConsentId, withdrawn.CustomerId, withdrawn.CapturedBy, withdrawn.WithdrawnAt, "consent-withdrawn", customer =>
        {
            customer.ConsentGiven = false;
            customer.ConsentChannel = withdrawn.Channel;
            customer.ConsentWordingVersion = withdrawn.WordingVersion;
            customer.ConsentCapturedBy = withdrawn.CapturedBy;
        });
    }

    private async Task Apply(ConsumeContext context, Guid consentId, Guid customerId, string capturedBy, DateTimeOffset at, string kind, Action<CustomerProfile> change)
    {
        var problems = new List<string>();
        if (consentId == Guid.Empty)
        {
            problems.Add("consentId is missing");
        }

        if (customerId == Guid.Empty)
        {
            problems.Add("customerId is missing");
        }

        if (parties.FindCompany(capturedBy ?? "") is null)
        {
            problems.Add("capturedBy is not a known company");
        }
        else if (PublisherIdentity.Of(context).Problem(capturedBy!) is { } problem)
        {
            problems.Add(problem);
        }

        if (problems.Count > 0)
        {
            throw new InvalidMessageException($"{kind} refused: {string.Join("; ", problems)}");
        }

        if (await db.Inbox.FindAsync([consentId], context.CancellationToken) is not null)
        {
            logger.LogInformation("{Kind} {ConsentId} for customer {CustomerId} was recorded before; duplicate ignored", kind, consentId, customerId);
            return;
        }

        var customer = await db.Customers.FindAsync([customerId], context.CancellationToken);
        if (customer is null)
        {
            customer = new CustomerProfile { CustomerId = customerId };
            db.Customers.Add(customer);
        }

        // Events can arrive out of order; the consent state follows the latest act of the customer.
        if (customer.ConsentChangedAt is null || at >= customer.ConsentChangedAt)
        {
            change(customer);
            customer.ConsentChangedAt = at;
        }

        customer.Version++;
        db.Inbox.Add(new ProcessedMessage { MessageId = consentId, Kind = kind, ProcessedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("{Kind} {ConsentId} recorded for customer {CustomerId}", kind, consentId, customerId);
    }
}
