using IntegrationHub.Contracts;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Routing;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Platform;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Care;

/// <summary>
/// What the customer's saga does, one method per step; the state machine says when. Everything is
/// written to the scope's <see cref="HubDbContext"/>, which the saga repository commits together with
/// the saga's state, so a decision, its audit record and its outgoing messages stand or fall together.
/// </summary>
public sealed class CustomerCare(
    HubDbContext db,
    HubOutbox outbox,
    OperationalNeedPolicy policy,
    DealerOperators dealers,
    SagaAdmission admission,
    HubOptions options,
    TimeProvider clock,
    ILogger<CustomerCare> logger)
{
    public async Task Route(CustomerCareState state, ConsumeContext<CustomerDataCaptured> context)
    {
        var capture = context.Message;
        var now = Touch(state);
        if (capture.DealerId is not null)
        {
            state.DealerId = capture.DealerId;
        }

        var decision = policy.Decide(
            new CaptureFacts(capture.SourceCompany, capture.Context, capture.ContractKind, capture.Purpose, capture.Data),
            await RoutingStateOf(state, now, context.CancellationToken));

        foreach (var copy in decision.Recipients)
        {
            var deliveryId = CareCommands.DeliveryId(capture.CaptureId, copy.Company);
            outbox.Send(state.CorrelationId, BrokerNames.CompanyAddress(copy.Company), new DeliverCustomerData
            {
                DeliveryId = deliveryId,
                CaptureId = capture.CaptureId,
                CustomerId = capture.CustomerId,
                Recipient = copy.Company,
                SourceCompany = capture.SourceCompany,
                DealerId = state.DealerId,
                Context = capture.Context,
                ContractKind = capture.ContractKind,
                Purpose = capture.Purpose,
                CapturedAt = capture.CapturedAt,
                Data = copy.Data,
                PolicyVersion = decision.PolicyVersion,
            });
            foreach (var category in copy.Data.Keys)
            {
                var held = state.Ledger.SingleOrDefault(h => h.Company == copy.Company && h.Category == category);
                if (held is null)
                {
                    state.Ledger.Add(new HeldCategory { Company = copy.Company, Category = category, Since = now, LastReceivedAt = now, LastDeliveryId = deliveryId });
                }
                else
                {
                    held.LastReceivedAt = now;
                    held.LastDeliveryId = deliveryId;
                }
            }
        }

        await CountOnly(state, capture, decision, context.CancellationToken);
        Audit(state, "capture-routed", capture.CaptureId, capture.SourceCompany, capture.Data.Keys,
            string.Join(";", decision.Recipients.Select(r => $"{r.Company}:{string.Join(",", r.Data.Keys.Order())}")),
            string.Join(";", decision.Dropped.Select(d => $"{d.Company ?? d.Role.ToString()}:{d.Category}:{d.Reason}")),
            decision.PolicyVersion);
        logger.LogInformation("Capture {CaptureId} for customer {CustomerId} from {Sender}: {Decision}",
            capture.CaptureId, capture.CustomerId, capture.SourceCompany, decision.ToString());
    }

    /// <summary>
    /// Seed, section 4: individual-care data without consent, and data for statistics, are not
    /// forwarded to anyone; they only count toward aggregates (see <see cref="Requests.AggregateStatistics"/>).
    /// </summary>
    private async Task CountOnly(CustomerCareState state, CustomerDataCaptured capture, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var counted = decision.Dropped.Where(d => d.Reason is DropReason.ConsentMissing or DropReason.AggregatesOnly).Select(d => d.Category).Distinct()
            .Where(category => !decision.Recipients.Any(r => r.Data.ContainsKey(category))).ToList();
        if (counted.Count == 0)
        {
            return;
        }

        var day = capture.CapturedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var hash = admission.HashOf(state.CorrelationId);
        foreach (var category in counted)
        {
            if (await db.Sightings.FindAsync([day, capture.Context, category, hash], cancellationToken) is null &&
                !db.Sightings.Local.Any(s => s.Day == day && s.Context == capture.Context && s.Category == category && s.CustomerHash == hash))
            {
                db.Sightings.Add(new AggregateSighting { Day = day, Context = capture.Context, Category = category, CustomerHash = hash });
            }
        }
    }

    /// <summary>While an erasure runs, nothing new is routed for the customer (Art. 17, Art. 18(1) GDPR).</summary>
    public void HoldDuringErasure(CustomerCareState state, string kind, Guid messageId, string sender)
    {
        Audit(state, kind + "-held-erasing", messageId, sender, [], "", "", policy.Policy.Version);
        logger.LogWarning("{Kind} {MessageId} for customer {CustomerId} arrived during its erasure; not routed", kind, messageId, state.CorrelationId);
    }

    public void RecordConsent(CustomerCareState state, Guid consentId, bool granted, ConsentChannel channel,
        string? wordingVersion, string capturedBy, DateTimeOffset at)
    {
        Touch(state);

        // Events can arrive out of order; the consent state follows the latest act of the customer.
        if (state.Consent is null || at >= state.Consent.At)
        {
            state.Consent = new ConsentRecord { Granted = granted, Channel = channel, At = at, WordingVersion = wordingVersion, CapturedBy = capturedBy, ConsentId = consentId };
        }

        Audit(state, granted ? "consent-given" : "consent-withdrawn", consentId, capturedBy, [], "", $"channel {channel}, wording {wordingVersion ?? "-"}", policy.Policy.Version);
    }

    /// <summary>
    /// Sends the request's command to every holder of the categories concerned (all categories when
    /// null) and opens the fan-out with its deadlines. A request nobody needs to answer completes at once.
    /// </summary>
    public FanOut StartFanOut(CustomerCareState state, FanOutKind kind, Guid requestId, string receivedBy,
        DateTimeOffset receivedAt, IReadOnlyCollection<DataCategory>? categories, CategoryData? corrections = null)
    {
        var now = Touch(state);
        if (state.FindFanOut(requestId) is { } existing)
        {
            return existing;
        }

        var fanOut = new FanOut
        {
            RequestId = requestId,
            Kind = kind,
            ReceivedBy = receivedBy,
            ReceivedAt = receivedAt,
            // Art. 12(3) GDPR: one month from receipt.
            DueAt = receivedAt.AddMonths(1),
        };
        foreach (var company in state.HoldersOf(categories))
        {
            var recipient = new FanOutRecipient
            {
                Company = company,
                CommandId = CareCommands.CommandId(requestId, company),
                Categories = state.Ledger.Where(h => h.Company == company && (categories is null || categories.Contains(h.Category)))
                    .Select(h => h.Category).Distinct().Order().ToList(),
                AcknowledgeBy = now + options.AcknowledgementDeadline,
            };
            fanOut.Recipients.Add(recipient);
            outbox.Send(state.CorrelationId, BrokerNames.CompanyAddress(company),
                CareCommands.CommandFor(kind, state.CorrelationId, requestId, recipient, corrections));
        }

        state.FanOuts.Add(fanOut);
        Audit(state, "fan-out-" + kind, requestId, receivedBy, categories ?? [],
            string.Join(";", fanOut.Recipients.Select(r => $"{r.Company}:{string.Join(",", r.Categories)}")), "", policy.Policy.Version);
        logger.LogInformation("{Kind} {RequestId} for customer {CustomerId} sent to {Count} holders", kind, requestId, state.CorrelationId, fanOut.Recipients.Count);
        CompleteIfAnswered(state, fanOut);
        return fanOut;
    }

    /// <summary>Records a holder's acknowledgement; returns the fan-out when this answer completed it.</summary>
    public FanOut? Acknowledge(CustomerCareState state, Guid requestId, Guid commandId, string company, ActionReceipt receipt)
    {
        var fanOut = state.FindFanOut(requestId);
        var recipient = fanOut?.Recipients.SingleOrDefault(r => r.CommandId == commandId && r.Company == company);
        if (fanOut is null || recipient is null)
        {
            logger.LogWarning("Acknowledgement of command {CommandId} by {Company} matches no open request of customer {CustomerId}; ignored",
                commandId, company, state.CorrelationId);
            return null;
        }

        if (recipient.AcknowledgedAt is not null)
        {
            return null;
        }

        var now = Touch(state);
        recipient.AcknowledgedAt = now;
        recipient.ReceiptDigest = receipt.Digest;
        ForgetHeldCategories(state, fanOut.Kind, recipient, receipt);
        Audit(state, "acknowledged-" + fanOut.Kind, commandId, company, receipt.Outcomes.Select(o => o.Category),
            "", string.Join(";", receipt.Outcomes.Select(o => $"{o.Category}:{o.Outcome}:{o.RecordCount}{(o.LegalBasis is null ? "" : ":" + o.LegalBasis)}")),
            policy.Policy.Version);
        return CompleteIfAnswered(state, fanOut) ? fanOut : null;
    }

    /// <summary>
    /// Dealer takeover, step 2 (DOMAIN.md section 6), for one customer: the former operator is asked
    /// for what it holds. A customer of another Zentrum, or one the former operator holds nothing of,
    /// is handed over at once.
    /// </summary>
    public void HandOver(CustomerCareState state, HandOverCustomer order)
    {
        var now = Touch(state);
        var requestId = CareCommands.TakeoverRequestId(order.TakeoverId, state.CorrelationId, "hand-over");
        if (state.FindFanOut(requestId) is not null)
        {
            return;
        }

        var held = state.Ledger.Where(h => h.Company == order.FromOperator).Select(h => h.Category).Distinct().Order().ToList();
        if (state.DealerId != order.DealerId || held.Count == 0)
        {
            NothingToHandOver(state, order);
            return;
        }

        var fanOut = OpenSingle(state, FanOutKind.DealerHandOver, requestId, order.FromOperator, held, now, order.TakeoverId, order.ToOperator);
        var recipient = fanOut.Recipients.Single();
        outbox.Send(state.CorrelationId, Platform.BrokerNames.CompanyAddress(order.FromOperator), new HandOverDealerRecords
        {
            CommandId = recipient.CommandId, TakeoverId = order.TakeoverId, CustomerId = state.CorrelationId, Recipient = order.FromOperator,
            DealerId = order.DealerId, AcknowledgeBy = recipient.AcknowledgeBy,
        });
        Audit(state, "takeover-hand-over-requested", order.TakeoverId, order.FromOperator, held, order.ToOperator, "", policy.Policy.Version);
    }

    /// <summary>
    /// The customer counts as handed over at once: of another Zentrum, held nothing by the former
    /// operator, or being erased (the erasure reaches the former operator anyway).
    /// </summary>
    public void NothingToHandOver(CustomerCareState state, HandOverCustomer order)
    {
        Touch(state);
        outbox.Send(state.CorrelationId, Platform.BrokerNames.HubAddress, new CustomerHandedOver { TakeoverId = order.TakeoverId, CustomerId = state.CorrelationId });
        Audit(state, "takeover-nothing-to-hand-over", order.TakeoverId, order.FromOperator, [], order.ToOperator, "", policy.Policy.Version);
    }

    /// <summary>
    /// The former operator handed over its records: the new operator gets what the dealer role may
    /// hold (the matrix, and consent for consent-only categories), then the former operator erases
    /// its copies (reason: operator change).
    /// </summary>
    public void PassOn(CustomerCareState state, DealerRecordsHandedOver answer)
    {
        var requestId = CareCommands.TakeoverRequestId(answer.TakeoverId, state.CorrelationId, "hand-over");
        var receipt = new ActionReceipt
        {
            Outcomes = answer.Records.GroupBy(r => r.Category).OrderBy(g => g.Key)
                .Select(g => new CategoryOutcome { Category = g.Key, Outcome = OutcomeKind.Provided, RecordCount = g.Count() }).ToList(),
            Digest = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(answer.Records, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options))).ToLowerInvariant(),
            CompletedAt = clock.GetUtcNow(),
        };
        if (Acknowledge(state, requestId, answer.CommandId, answer.Company, receipt) is not { } handOver)
        {
            return;
        }

        var now = Touch(state);
        var to = handOver.TakeoverTo!;
        var allowed = answer.Records.Where(r =>
            policy.Policy.Cell(r.Category, PartyRole.Dealer).Count > 0 && (!policy.Policy.ConsentOnlyCategories.Contains(r.Category) || state.ConsentGiven)).ToList();
        var allowedCategories = allowed.Select(r => r.Category).Distinct().Order().ToList();
        if (allowed.Count > 0)
        {
            var commandId = CareCommands.CommandId(requestId, to);
            outbox.Send(state.CorrelationId, Platform.BrokerNames.CompanyAddress(to), new TakeOverDealerRecords
            {
                CommandId = commandId, TakeoverId = answer.TakeoverId, CustomerId = state.CorrelationId, Recipient = to, DealerId = state.DealerId!,
                FromOperator = answer.Company, Records = allowed, PolicyVersion = policy.Policy.Version,
                Restricted = state.Restricted, NoNeedsAnalysis = state.ObjectedGenerally && state.CompellingGrounds is null,
                NoDirectMarketing = state.ObjectedToDirectMarketing, NoPersonalisedContact = !state.ConsentGiven,
            });
            foreach (var category in allowedCategories)
            {
                if (state.Ledger.SingleOrDefault(h => h.Company == to && h.Category == category) is { } held)
                {
                    held.LastReceivedAt = now;
                    held.LastDeliveryId = commandId;
                }
                else
                {
                    state.Ledger.Add(new HeldCategory { Company = to, Category = category, Since = now, LastReceivedAt = now, LastDeliveryId = commandId });
                }
            }
        }

        Audit(state, "takeover-passed-on", answer.TakeoverId, answer.Company, allowedCategories, to,
            string.Join(";", answer.Records.Select(r => r.Category).Distinct().Except(allowedCategories).Select(c => $"{to}:{c}:NoOperationalNeed")), policy.Policy.Version);

        var erasureId = CareCommands.TakeoverRequestId(answer.TakeoverId, state.CorrelationId, "erase");
        var categories = state.Ledger.Where(h => h.Company == answer.Company).Select(h => h.Category).Distinct().Order().ToList();
        var erasure = OpenSingle(state, FanOutKind.OperatorChangeErasure, erasureId, answer.Company, categories, now, answer.TakeoverId, to);
        outbox.Send(state.CorrelationId, Platform.BrokerNames.CompanyAddress(answer.Company),
            CareCommands.CommandFor(FanOutKind.OperatorChangeErasure, state.CorrelationId, erasureId, erasure.Recipients.Single(), null));
    }

    private FanOut OpenSingle(CustomerCareState state, FanOutKind kind, Guid requestId, string company, List<DataCategory> categories,
        DateTimeOffset now, Guid takeoverId, string takeoverTo)
    {
        var fanOut = new FanOut
        {
            RequestId = requestId, Kind = kind, ReceivedBy = CompanyIds.PorscheDeutschland, ReceivedAt = now, DueAt = now.AddMonths(1),
            TakeoverId = takeoverId, TakeoverTo = takeoverTo,
            Recipients =
            {
                new FanOutRecipient
                {
                    Company = company, CommandId = CareCommands.CommandId(requestId, company), Categories = categories,
                    AcknowledgeBy = now + options.AcknowledgementDeadline,
                },
            },
        };
        state.FanOuts.Add(fanOut);
        return fanOut;
    }

    /// <summary>Keeps a holder's answer to an access or portability request for the report or package.</summary>
    public async Task Gather(CustomerCareState state, Guid requestId, string company, CategoryData data, CancellationToken cancellationToken)
    {
        if (state.FindFanOut(requestId) is null || await db.Gathered.FindAsync([requestId, company], cancellationToken) is not null)
        {
            return;
        }

        db.Gathered.Add(new GatheredAnswer
        {
            RequestId = requestId, Company = company, CustomerId = state.CorrelationId, ReceivedAt = clock.GetUtcNow(),
            Data = System.Text.Json.JsonSerializer.Serialize(data, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options),
        });
    }

    public void ExtendDeadline(CustomerCareState state, ExtendRequestDeadline extension)
    {
        var fanOut = state.FindFanOut(extension.RequestId);
        if (fanOut is null || !fanOut.IsOpen || fanOut.ExtensionReason is not null)
        {
            logger.LogWarning("Deadline extension {ExtensionId} for request {RequestId} ignored: no open, unextended request", extension.ExtensionId, extension.RequestId);
            return;
        }

        Touch(state);
        fanOut.DueAt = fanOut.ReceivedAt.AddMonths(3);
        fanOut.ExtensionReason = extension.Reason;
        outbox.Publish(state.CorrelationId, new RequestDeadlineExtended
        {
            RequestId = fanOut.RequestId, CustomerId = state.CorrelationId, DueAt = fanOut.DueAt, Reason = extension.Reason, DecidedBy = extension.DecidedBy,
        });
        Audit(state, "deadline-extended", extension.RequestId, extension.DecidedBy, [], "", extension.Reason, policy.Policy.Version);
    }

    /// <summary>Escalates what is still unanswered when a deadline passes; each deadline escalates once.</summary>
    public void Escalate(CustomerCareState state, DeadlineReached deadline)
    {
        var fanOut = state.FindFanOut(deadline.RequestId);
        if (fanOut is null || !fanOut.IsOpen)
        {
            return;
        }

        var now = Touch(state);
        if (deadline.Company.Length == 0)
        {
            if (fanOut.OverdueSince is not null || now < fanOut.DueAt)
            {
                return;
            }

            fanOut.OverdueSince = now;
            var waiting = fanOut.Waiting.Select(r => r.Company).ToList();

            // Art. 15 GDPR: the customer gets the report at the deadline, saying who did not answer.
            if (fanOut.Kind == FanOutKind.Access)
            {
                fanOut.CompletedAt = now;
                outbox.Publish(state.CorrelationId, CareCommands.CompletionFor(fanOut, state.CorrelationId)!);
            }

            outbox.Publish(state.CorrelationId, new RequestOverdue
            {
                RequestId = fanOut.RequestId, CustomerId = state.CorrelationId, RequestKind = fanOut.Kind.ToString(), DueAt = fanOut.DueAt, WaitingFor = waiting,
            });
            Audit(state, "request-overdue", fanOut.RequestId, "hub", [], string.Join(";", waiting), "", policy.Policy.Version);
            logger.LogWarning("{Kind} {RequestId} of customer {CustomerId} is past its legal deadline; waiting for {Waiting}",
                fanOut.Kind, fanOut.RequestId, state.CorrelationId, string.Join(",", waiting));
            return;
        }

        var recipient = fanOut.Recipients.SingleOrDefault(r => r.Company == deadline.Company);
        if (recipient is null || recipient.AcknowledgedAt is not null || recipient.OverdueSince is not null || now < recipient.AcknowledgeBy)
        {
            return;
        }

        recipient.OverdueSince = now;
        outbox.Publish(state.CorrelationId, new AcknowledgementOverdue
        {
            RequestId = fanOut.RequestId, CustomerId = state.CorrelationId, CommandId = recipient.CommandId, Company = recipient.Company,
            RequestKind = fanOut.Kind.ToString(), AcknowledgeBy = recipient.AcknowledgeBy,
        });
        Audit(state, "acknowledgement-overdue", recipient.CommandId, recipient.Company, recipient.Categories, recipient.Company, "", policy.Policy.Version);
        logger.LogWarning("{Company} has not acknowledged {Kind} {RequestId} of customer {CustomerId} by its deadline",
            recipient.Company, fanOut.Kind, fanOut.RequestId, state.CorrelationId);
    }

    /// <summary>
    /// The end of an erasure (Art. 17 GDPR): every holder answered, so the hub keeps only a tombstone.
    /// The audit trail stays as evidence but loses the customer id; the saga row is deleted when the
    /// state machine finalizes.
    /// </summary>
    public async Task Forget(CustomerCareState state, FanOut erasure, CancellationToken cancellationToken)
    {
        var hash = admission.HashOf(state.CorrelationId);
        var now = clock.GetUtcNow();
        if (await db.Tombstones.FindAsync([hash], cancellationToken) is null)
        {
            db.Tombstones.Add(new Tombstone
            {
                CustomerHash = hash,
                ErasureRequestId = erasure.RequestId,
                RequestedAt = erasure.ReceivedAt,
                ErasedAt = now,
                ReceiptDigests = string.Join(";", erasure.Recipients.Select(r => $"{r.Company}={r.ReceiptDigest}")),
            });
        }

        // Copies of the customer's messages may sit in the hub's error and dead-letter queues.
        if (await db.PendingScrubs.FindAsync([state.CorrelationId], cancellationToken) is null)
        {
            db.PendingScrubs.Add(new PendingScrub { CustomerId = state.CorrelationId, RequestedAt = now });
        }

        Audit(state, "customer-erased", erasure.RequestId, "hub", [], string.Join(";", erasure.Recipients.Select(r => r.Company)), "", policy.Policy.Version);
        db.Gathered.RemoveRange(await db.Gathered.Where(g => g.CustomerId == state.CorrelationId).ToListAsync(cancellationToken));
        db.Sightings.RemoveRange(await db.Sightings.Where(s => s.CustomerHash == hash).ToListAsync(cancellationToken));
        await db.Audit.Where(a => a.CustomerId == state.CorrelationId).LoadAsync(cancellationToken);
        foreach (var record in db.Audit.Local.Where(a => a.CustomerId == state.CorrelationId).ToList())
        {
            record.CustomerId = Guid.Empty;
            record.CustomerHash = hash;
        }

        logger.LogInformation("Customer {CustomerHash} erased at the hub; tombstone kept", hash[..12]);
    }

    public static bool IsErasureDone(CustomerCareState state) =>
        state.FanOuts.Any(f => f.Kind == FanOutKind.Erasure && !f.IsOpen);

    private bool CompleteIfAnswered(CustomerCareState state, FanOut fanOut)
    {
        if (!fanOut.IsOpen || fanOut.Waiting.Any())
        {
            return false;
        }

        fanOut.CompletedAt = clock.GetUtcNow();
        switch (CareCommands.CompletionFor(fanOut, state.CorrelationId))
        {
            case CustomerHandedOver handedOver:
                outbox.Send(state.CorrelationId, Platform.BrokerNames.HubAddress, handedOver);
                break;
            case { } completion:
                outbox.Publish(state.CorrelationId, completion);
                break;
        }

        Audit(state, "completed-" + fanOut.Kind, fanOut.RequestId, "hub", [], string.Join(";", fanOut.Recipients.Select(r => r.Company)), "", policy.Policy.Version);
        return true;
    }

    private static void ForgetHeldCategories(CustomerCareState state, FanOutKind kind, FanOutRecipient recipient, ActionReceipt receipt)
    {
        if (kind is FanOutKind.ConsentWithdrawal or FanOutKind.Erasure or FanOutKind.OperatorChangeErasure)
        {
            // What a holder keeps under a retention duty stays in the ledger: it still holds it.
            var kept = receipt.Outcomes.Where(o => o.Outcome == OutcomeKind.KeptRestricted).Select(o => o.Category).ToHashSet();
            state.Ledger.RemoveAll(h => h.Company == recipient.Company && recipient.Categories.Contains(h.Category) && !kept.Contains(h.Category));
        }
    }

    private async Task<CustomerRoutingState> RoutingStateOf(CustomerCareState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var objections = new HashSet<ObjectionKind>();
        if (state.ObjectedGenerally && state.CompellingGrounds is null)
        {
            objections.Add(ObjectionKind.General);
        }

        if (state.ObjectedToDirectMarketing)
        {
            objections.Add(ObjectionKind.DirectMarketing);
        }

        var dealerOperator = state.DealerId is null ? null : await dealers.OperatorOf(state.DealerId, now, cancellationToken);
        return new CustomerRoutingState(state.ConsentGiven, state.Restricted, objections, dealerOperator);
    }

    private DateTimeOffset Touch(CustomerCareState state)
    {
        var now = clock.GetUtcNow();
        if (state.CreatedAt == default)
        {
            state.CreatedAt = now;
        }

        state.UpdatedAt = now;
        return now;
    }

    private void Audit(CustomerCareState state, string kind, Guid messageId, string source, IEnumerable<DataCategory> categories,
        string recipients, string dropped, string policyVersion) =>
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetUtcNow(),
            Kind = kind,
            MessageId = messageId,
            CustomerId = state.CorrelationId,
            SourceCompany = source,
            Categories = string.Join(",", categories.Distinct().Order()),
            Recipients = recipients,
            Dropped = dropped,
            PolicyVersion = policyVersion,
        });
}
