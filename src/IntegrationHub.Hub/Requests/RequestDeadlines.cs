using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Sagas;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// A request's deadlines: the legal month (Art. 12(3) GDPR), its extension by two months with a
/// recorded reason, and each holder's acknowledgement deadline. Each escalates once.
/// </summary>
public sealed class RequestDeadlines(HubOutbox outbox, HubAudit audit, RequestFanOut fanOut, TimeProvider clock, ILogger<RequestDeadlines> logger)
{
    public void Extend(RequestState request, ExtendRequestDeadline extension)
    {
        if (!request.IsOpen || request.ExtensionReason is not null)
        {
            logger.LogWarning("Deadline extension {ExtensionId} for request {RequestId} ignored: no open, unextended request", extension.ExtensionId, extension.RequestId);
            return;
        }

        request.DueAt = request.ReceivedAt.AddMonths(3);
        request.ExtensionReason = extension.Reason;
        outbox.Publish(request.CustomerId ?? Guid.Empty, new RequestDeadlineExtended
        {
            RequestId = request.CorrelationId, CustomerId = request.CustomerId ?? Guid.Empty, DueAt = request.DueAt, Reason = extension.Reason,
            DecidedBy = extension.DecidedBy,
        });
        audit.Record(AuditKind.DeadlineExtended, request.CorrelationId, request.CustomerId, extension.DecidedBy, note: extension.Reason);
    }

    public void Escalate(RequestState request, RequestDeadlineReached deadline)
    {
        if (!request.IsOpen)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (deadline.Company.Length == 0)
        {
            EscalateRequest(request, now);
            return;
        }

        var recipient = request.Recipients.SingleOrDefault(r => r.Company == deadline.Company);
        if (recipient is null || recipient.AcknowledgedAt is not null || recipient.OverdueSince is not null || now < recipient.AcknowledgeBy)
        {
            return;
        }

        recipient.OverdueSince = now;
        outbox.Publish(request.CustomerId ?? Guid.Empty, new AcknowledgementOverdue
        {
            RequestId = request.CorrelationId, CustomerId = request.CustomerId ?? Guid.Empty, CommandId = recipient.CommandId, Company = recipient.Company,
            RequestKind = request.Kind.ToString(), AcknowledgeBy = recipient.AcknowledgeBy,
        });
        audit.Record(AuditKind.AcknowledgementOverdue, recipient.CommandId, request.CustomerId, HubAudit.Hub, recipient.Company, reason: AuditReason.Waiting);
        logger.LogWarning("{Company} has not acknowledged {Kind} {RequestId} by its deadline", recipient.Company, request.Kind, request.CorrelationId);
    }

    private void EscalateRequest(RequestState request, DateTimeOffset now)
    {
        if (request.OverdueSince is not null || now < request.DueAt)
        {
            return;
        }

        request.OverdueSince = now;
        var waiting = request.Waiting.Select(r => r.Company).ToList();
        outbox.Publish(request.CustomerId ?? Guid.Empty, new RequestOverdue
        {
            RequestId = request.CorrelationId, CustomerId = request.CustomerId ?? Guid.Empty, RequestKind = request.Kind.ToString(), DueAt = request.DueAt,
            WaitingFor = waiting,
        });
        foreach (var company in waiting)
        {
            audit.Record(AuditKind.RequestOverdue, request.CorrelationId, request.CustomerId, HubAudit.Hub, company, reason: AuditReason.Waiting);
        }

        logger.LogWarning("{Kind} {RequestId} is past its legal deadline; waiting for {Waiting}", request.Kind, request.CorrelationId, string.Join(",", waiting));
        RequestFanOut.TellReceiver(outbox, request, "overdue");

        // Art. 15 GDPR: the customer gets the report at the deadline, saying who did not answer.
        if (request.Kind == RequestKind.Access)
        {
            fanOut.Complete(request, "completed at the legal deadline without every holder's answer");
        }
    }
}
