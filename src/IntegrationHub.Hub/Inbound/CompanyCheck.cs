using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;

namespace IntegrationHub.Hub.Inbound;

/// <summary>The company a message speaks for must exist and, on RabbitMQ, be the one that published it.</summary>
public sealed class CompanyCheck(PartyDirectory parties)
{
    public void Require(ConsumeContext context, string kind, string field, string? company)
    {
        if (parties.FindCompany(company ?? "") is null)
        {
            throw new InvalidMessageException($"{kind} refused: {field} is not a known company");
        }

        if (PublisherIdentity.Of(context).Problem(company!) is { } problem)
        {
            throw new InvalidMessageException($"{kind} refused: {problem}");
        }
    }
}
