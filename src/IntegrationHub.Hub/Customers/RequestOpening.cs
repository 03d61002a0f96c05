using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Customers;

/// <summary>
/// Starts the saga of a data-subject request and tells it the holders from the customer's ledger
/// (Art. 19 GDPR); from then on the request saga follows it to its end.
/// </summary>
public sealed class RequestOpening(HubOutbox outbox, HubAudit audit, CustomerHashing hashing, ILogger<RequestOpening> logger)
{
    /// <param name="holders">Who must answer, when not every holder of the categories concerned.</param>
    /// <param name="dealerId">An operator change's erasure: the Zentrum whose records are erased.</param>
    public void Open(CustomerState state, RequestFacts request, Guid? takeoverId = null, IReadOnlyList<RequestHolder>? holders = null, string? dealerId = null)
    {
        holders ??= request.Categories is { Count: 0 } ? [] : state.HoldersOf(request.Categories);
        Send(state, request, holders, takeoverId, answeredByErasure: null, dealerId);
        logger.LogInformation("{Kind} {RequestId} opened for {Count} holders", request.Kind, request.RequestId, holders.Count);
    }

    /// <summary>
    /// DOMAIN.md section 5: a request that arrives while the customer is being erased is answered by
    /// that erasure; it has a status of its own and completes with it.
    /// </summary>
    public void AnswerByErasure(CustomerState state, RequestFacts request)
    {
        state.AnsweredByErasure.Add(request.RequestId);
        Send(state, request, [], takeoverId: null, state.ErasureRequestId, dealerId: null);
        audit.Record(AuditKind.RequestAnsweredByErasure, request.RequestId, state.CorrelationId, request.ReceivedBy, note: request.Kind.ToString());
    }

    /// <summary>A request for a customer erased before it arrived: answered at once, saying so.</summary>
    public static OpenRequest ForErasedCustomer(RequestFacts request, string customerHash, DateTimeOffset erasedAt) => new()
    {
        RequestId = request.RequestId, CustomerId = request.CustomerId, CustomerHash = customerHash, Kind = request.Kind,
        ReceivedBy = request.ReceivedBy, ReceivedAt = request.ReceivedAt, Holders = [], CustomerErasedAt = erasedAt,
    };

    private void Send(CustomerState state, RequestFacts request, IReadOnlyList<RequestHolder> holders, Guid? takeoverId, Guid? answeredByErasure, string? dealerId)
    {
        if (!state.Requests.Contains(request.RequestId))
        {
            state.Requests.Add(request.RequestId);
        }

        outbox.Send(state.CorrelationId, BrokerNames.HubAddress, new OpenRequest
        {
            RequestId = request.RequestId, CustomerId = state.CorrelationId, CustomerHash = hashing.HashOf(state.CorrelationId), Kind = request.Kind,
            ReceivedBy = request.ReceivedBy, ReceivedAt = request.ReceivedAt, Holders = holders, Corrections = request.Corrections,
            TransmitTo = request.TransmitTo, TakeoverId = takeoverId, DealerId = dealerId, AnsweredByErasure = answeredByErasure,
        });
        audit.Record(AuditKind.RequestOpened, request.RequestId, state.CorrelationId, request.ReceivedBy, note: request.Kind.ToString());
    }
}
