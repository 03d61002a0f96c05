using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Care;

/// <summary>The per-company command and the completion event of each kind of fan-out.</summary>
public static class CareCommands
{
    public static Guid CommandId(Guid requestId, string company) => NameBased($"command:{requestId:N}:{company}");

    public static Guid DeliveryId(Guid captureId, string company) => NameBased($"delivery:{captureId:N}:{company}");

    /// <summary>The request id of one step of one customer's hand-over in a dealer takeover.</summary>
    public static Guid TakeoverRequestId(Guid takeoverId, Guid customerId, string step) => NameBased($"takeover:{takeoverId:N}:{customerId:N}:{step}");

    public static object CommandFor(FanOutKind kind, Guid customerId, Guid requestId, FanOutRecipient recipient, CategoryData? corrections) =>
        kind switch
        {
            FanOutKind.ConsentWithdrawal => new DeleteConsentBasedData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.Objection => new StopNeedsAnalysis
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.DirectMarketingObjection => new StopDirectMarketing
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.Restriction => new RestrictProcessing
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.RestrictionLift => new LiftRestriction
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            // Art. 19 GDPR: each holder gets the corrections of the categories it holds, no others.
            FanOutKind.Rectification => new RectifyCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
                Corrections = new CategoryData(corrections!.Where(c => recipient.Categories.Contains(c.Key))),
            },
            FanOutKind.Erasure => new EraseCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy, Reason = ErasureReason.DataSubjectRequest,
            },
            FanOutKind.Access => new ProvideCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.Portability => new ExportPortableData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy,
            },
            FanOutKind.OperatorChangeErasure => new EraseCustomerData
            {
                CommandId = recipient.CommandId, RequestId = requestId, CustomerId = customerId, Recipient = recipient.Company,
                Categories = recipient.Categories, AcknowledgeBy = recipient.AcknowledgeBy, Reason = ErasureReason.OperatorChange,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no command for this fan-out kind"),
        };

    public static object? CompletionFor(FanOut fanOut, Guid customerId)
    {
        if (fanOut.Kind == FanOutKind.DealerHandOver)
        {
            // The erasure at the former operator follows; the customer is handed over when it is done.
            return null;
        }

        if (fanOut.Kind == FanOutKind.OperatorChangeErasure)
        {
            return new CustomerHandedOver { TakeoverId = fanOut.TakeoverId!.Value, CustomerId = customerId };
        }

        var by = fanOut.Recipients.Select(r => r.Company).ToList();
        var at = fanOut.CompletedAt!.Value;
        return fanOut.Kind switch
        {
            FanOutKind.ConsentWithdrawal => new ConsentWithdrawalCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.Objection => new ObjectionCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.DirectMarketingObjection => new DirectMarketingObjectionCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.Restriction => new RestrictionCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.RestrictionLift => new RestrictionLiftCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.Rectification => new RectificationCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.Erasure => new ErasureCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            FanOutKind.Access => new AccessRequestCompleted
            {
                RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = fanOut.Recipients.Where(r => r.AcknowledgedAt is not null).Select(r => r.Company).ToList(),
                MissingCompanies = fanOut.Waiting.Select(r => r.Company).ToList(), CompletedAt = at,
            },
            FanOutKind.Portability => new PortabilityCompleted { RequestId = fanOut.RequestId, CustomerId = customerId, AcknowledgedBy = by, CompletedAt = at },
            _ => throw new ArgumentOutOfRangeException(nameof(fanOut), fanOut.Kind, "no completion event for this fan-out kind"),
        };
    }

    private static Guid NameBased(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));
}
