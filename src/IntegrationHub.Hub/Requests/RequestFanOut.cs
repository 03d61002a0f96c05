using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// What a request's saga does: sends its command to every holder, records each acknowledgement with
/// its receipt, keeps gathered answers for the report, and completes, telling everyone concerned.
/// </summary>
public sealed class RequestFanOut(HubDbContext db, HubOutbox outbox, HubAudit audit, HubOptions options, TimeProvider clock, ILogger<RequestFanOut> logger)
{
    public void Start(RequestState request, OpenRequest open)
    {
        var now = clock.GetUtcNow();
        request.Kind = open.Kind;
        request.CustomerId = open.CustomerErasedAt is null ? open.CustomerId : null;
        request.CustomerHash = open.CustomerHash;
        request.ReceivedBy = open.ReceivedBy;
        request.ReceivedAt = open.ReceivedAt;
        // Art. 12(3) GDPR: one month from receipt.
        request.DueAt = open.ReceivedAt.AddMonths(1);
        request.TransmitTo = open.TransmitTo;
        request.TakeoverId = open.TakeoverId;
        request.AnsweredByErasure = open.AnsweredByErasure;
        foreach (var holder in open.Holders)
        {
            var recipient = new RequestRecipient
            {
                Company = holder.Company, CommandId = RequestCommands.CommandId(open.RequestId, holder.Company),
                Categories = holder.Categories.ToList(), AcknowledgeBy = now + options.AcknowledgementDeadline,
            };
            request.Recipients.Add(recipient);
            outbox.Send(open.CustomerId, BrokerNames.CompanyAddress(holder.Company),
                RequestCommands.CommandFor(open.Kind, open.CustomerId, open.RequestId, recipient, open.Corrections, open.DealerId));
            foreach (var category in recipient.Categories)
            {
                audit.Record(AuditKind.CommandSent, recipient.CommandId, request.CustomerId, HubAudit.Hub, holder.Company, category, AuditReason.Requested,
                    note: open.Kind.ToString());
            }
        }

        logger.LogInformation("{Kind} {RequestId} sent to {Count} holders", open.Kind, open.RequestId, request.Recipients.Count);
        if (open.CustomerErasedAt is { } erasedAt)
        {
            Complete(request, $"the customer was erased at {erasedAt:u}, before this request arrived; the hub holds nothing of the customer");
        }
        else if (open.AnsweredByErasure is null)
        {
            CompleteIfAnswered(request);
        }
    }

    /// <summary>Records a holder's acknowledgement once; completes the request with the last one.</summary>
    public void Acknowledge(RequestState request, Guid commandId, string company, ActionReceipt receipt)
    {
        var recipient = request.Recipient(commandId, company);
        if (recipient is null || recipient.AcknowledgedAt is not null)
        {
            logger.LogWarning("Acknowledgement of command {CommandId} by {Company} matches no unanswered recipient of request {RequestId}; ignored",
                commandId, company, request.CorrelationId);
            return;
        }

        recipient.AcknowledgedAt = clock.GetUtcNow();
        recipient.Receipt = receipt;
        audit.Receipt(commandId, request.CustomerId, company, receipt);
        Release(request, recipient, receipt);
        CompleteIfAnswered(request);
    }

    /// <summary>Keeps a holder's answer to an access or portability request, every record of it, for the report or package.</summary>
    public async Task Gather(RequestState request, Guid commandId, string company, IReadOnlyList<CategoryRecord> records, CancellationToken cancellationToken)
    {
        if (request.Recipient(commandId, company) is not { AcknowledgedAt: null } || request.CustomerId is not { } customerId ||
            await db.Gathered.FindAsync([request.CorrelationId, company], cancellationToken) is not null)
        {
            return;
        }

        db.Gathered.Add(new GatheredAnswer
        {
            RequestId = request.CorrelationId, Company = company, CustomerId = customerId, ReceivedAt = clock.GetUtcNow(),
            Data = System.Text.Json.JsonSerializer.Serialize(records, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options),
        });
    }

    /// <summary>The erasure that answers this request is done (DOMAIN.md section 5).</summary>
    public void Conclude(RequestState request, ErasureConcluded erasure) =>
        Complete(request, $"answered by the customer's erasure {erasure.ErasureRequestId}, completed {erasure.ErasedAt:u}");

    public void Complete(RequestState request, string? note = null)
    {
        if (!request.IsOpen)
        {
            return;
        }

        request.CompletedAt = clock.GetUtcNow();
        request.Note ??= note;
        // A customer's own erasure is announced by the customer's saga once only the tombstone is
        // left (ErasureCompleted says so); every other request announces its completion here.
        if (!EndsWithTheCustomer(request) && RequestCommands.CompletionFor(request) is { } completion)
        {
            outbox.Publish(request.CustomerId ?? Guid.Empty, completion);
        }

        Notify(request);
        TellReceiver(outbox, request, "done");
        audit.Record(AuditKind.RequestCompleted, request.CorrelationId, request.CustomerId, HubAudit.Hub, note: request.Kind.ToString(),
            customerHash: request.CustomerId is null ? request.CustomerHash : null);
        logger.LogInformation("{Kind} {RequestId} done", request.Kind, request.CorrelationId);
    }

    /// <summary>DOMAIN.md section 5: the company that received a request is told when it is done or overdue, on its own queue.</summary>
    public static void TellReceiver(HubOutbox outbox, RequestState request, string status)
    {
        if (RequestCommands.NoticeFor(request, status) is { } notice)
        {
            outbox.Send(request.CustomerId ?? Guid.Empty, BrokerNames.CompanyAddress(request.ReceivedBy), notice);
        }
    }

    private static bool EndsWithTheCustomer(RequestState request) =>
        request is { Kind: RequestKind.Erasure, AnsweredByErasure: null, CustomerId: not null };

    private void CompleteIfAnswered(RequestState request)
    {
        if (request.IsOpen && !request.Waiting.Any())
        {
            Complete(request);
        }
    }

    /// <summary>Art. 19 GDPR: a holder that deleted categories no longer holds them; what it keeps under a retention duty it still holds.</summary>
    private void Release(RequestState request, RequestRecipient recipient, ActionReceipt receipt)
    {
        if (request.Kind is not (RequestKind.ConsentWithdrawal or RequestKind.OperatorChangeErasure) || request.CustomerId is not { } customerId)
        {
            return;
        }

        var kept = receipt.Outcomes.Where(o => o.Outcome == OutcomeKind.KeptRestricted).Select(o => o.Category).ToHashSet();
        outbox.Send(customerId, BrokerNames.HubAddress, new HolderReleased
        {
            CommandId = recipient.CommandId, CustomerId = customerId, Company = recipient.Company,
            Categories = recipient.Categories.Where(c => !kept.Contains(c)).ToList(),
        });
    }

    /// <summary>Those waiting for the request learn that it is done.</summary>
    private void Notify(RequestState request)
    {
        if (request.CustomerId is not { } customerId)
        {
            return;
        }

        switch (request.Kind)
        {
            case RequestKind.Erasure when EndsWithTheCustomer(request):
                outbox.Send(customerId, BrokerNames.HubAddress, new ErasureFinished
                {
                    RequestId = request.CorrelationId, CustomerId = customerId, RequestedAt = request.ReceivedAt,
                    Receipts = request.Recipients.Select(r => new ReceiptDigest(r.Company, r.Receipt?.Digest)).ToList(),
                });
                break;
            case RequestKind.OperatorChangeErasure when request.TakeoverId is { } takeoverId:
                outbox.Send(customerId, BrokerNames.HubAddress, new CustomerHandedOver { TakeoverId = takeoverId, CustomerId = customerId, Outcome = HandOverOutcome.HandedOver });
                break;
        }
    }
}
