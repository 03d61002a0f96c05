using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;

namespace IntegrationHub.Hub.Requests;

/// <summary>The deadlines an open request still watches: its legal month, and each silent holder's acknowledgement deadline.</summary>
public sealed class RequestProjection : ISagaProjection<RequestState>
{
    public Task Project(HubDbContext db, Guid requestId, RequestState? request, CancellationToken cancellationToken)
    {
        var wanted = new List<(string, DateTimeOffset)>();
        if (request is { IsOpen: true })
        {
            if (request.OverdueSince is null)
            {
                wanted.Add(("", request.DueAt));
            }

            wanted.AddRange(request.Waiting.Where(r => r.OverdueSince is null).Select(r => (r.Company, r.AcknowledgeBy)));
        }

        return DeadlineProjection.Rewrite(db, requestId, DeadlineOwner.Request, wanted, cancellationToken);
    }
}
