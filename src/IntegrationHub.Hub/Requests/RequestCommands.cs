using IntegrationHub.Contracts;

using IntegrationHub.Hub.Messages;

namespace IntegrationHub.Hub.Requests;

/// <summary>The per-company command and the completion event of each kind of request.</summary>
public static class RequestCommands
{
    public static Guid CommandId(Guid requestId, string company) => NameBased($"command:{requestId:N}:{company}");

    public static Guid DeliveryId(Guid captureId, string company) => NameBased($"delivery:{captureId:N}:{company}");

    /// <summary>The request id of one step of one customer's hand-over in a dealer takeover.</summary>
    public static Guid TakeoverRequestId(Guid takeoverId, Guid customerId, string step) => NameBased($"takeover:{takeoverId:N}:{customerId:N}:{step}");

    /// <param name="dealerId">An operator change: the Zentrum whose records the former operator erases.</param>
    public static object CommandFor(RequestKind kind, Guid customerId, Guid requestId, RequestRecipient recipient, CategoryData? corrections, string? dealerId = null) =>
        kind switch
        {
            RequestKind.ConsentWithdrawal => new DeleteConsentBasedData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.Objection => new StopNeedsAnalysis
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.DirectMarketingObjection => new StopDirectMarketing
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.Restriction => new RestrictProcessing
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.RestrictionLift => new LiftRestriction
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            // Art. 19 GDPR: each holder gets the corrections of the categories it holds, no others.
            RequestKind.Rectification => new RectifyCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
                Corrections = new CategoryData(corrections!.Where(c => recipient.Categories.Contains(c.Key))),
            },
            RequestKind.Erasure => new EraseCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy, Reason = ErasureReason.DataSubjectRequest,
            },
            RequestKind.Access => new ProvideCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.Portability => new ExportPortableData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            RequestKind.OperatorChangeErasure => new EraseCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy, Reason = ErasureReason.OperatorChange,
                DealerId = dealerId,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no command for this fan-out kind"),
        };

    /// <summary>Tells the company that received the request that it is done or overdue; none for the takeover's own erasures.</summary>
    public static RequestStatusChanged? NoticeFor(RequestState request, string status) =>
        request.Kind == RequestKind.OperatorChangeErasure ? null : new RequestStatusChanged
        {
            NoticeId = NameBased($"notice:{request.CorrelationId:N}:{status}"), RequestId = request.CorrelationId, CustomerId = request.CustomerId ?? Guid.Empty,
            Recipient = request.ReceivedBy, RequestKind = request.Kind.ToString(), Status = status, DueAt = request.DueAt, CompletedAt = request.CompletedAt,
            WaitingFor = request.Waiting.Select(r => r.Company).ToList(),
        };

    /// <summary>The event that tells everyone concerned the request is done; none for the takeover's own erasures.</summary>
    public static object? CompletionFor(RequestState request)
    {
        var customerId = request.CustomerId ?? Guid.Empty;
        var by = request.Recipients.Where(r => r.AcknowledgedAt is not null).Select(r => r.Company).ToList();
        var at = request.CompletedAt!.Value;
        return request.Kind switch
        {
            RequestKind.OperatorChangeErasure => null,
            RequestKind.ConsentWithdrawal => new ConsentWithdrawalCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.Objection => new ObjectionCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.DirectMarketingObjection => new DirectMarketingObjectionCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.Restriction => new RestrictionCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.RestrictionLift => new RestrictionLiftCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.Rectification => new RectificationCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.Erasure => new ErasureCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            RequestKind.Access => new AccessRequestCompleted
            {
                RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by,
                MissingCompanies = request.Waiting.Select(r => r.Company).ToList(), CompletedAt = at,
            },
            RequestKind.Portability => new PortabilityCompleted { RequestId = request.CorrelationId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "no completion event for this kind of request"),
        };
    }

    private static Guid NameBased(string name) => UnitOfWork.MessageKeys.NameBased(name);
}
