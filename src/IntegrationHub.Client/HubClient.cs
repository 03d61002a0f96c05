using IntegrationHub.Contracts;
using MassTransit;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Client;

/// <summary>
/// What a .NET company system uses to speak to the hub. Every publish goes through a resilience
/// pipeline: a timeout per attempt (a lost publisher confirm must not hang the caller, see
/// ARCHITECTURE.md), retries with jittered backoff, a circuit breaker, and a total timeout, so a
/// caller always gets success or a <see cref="HubUnavailableException"/> in bounded time. Retrying
/// is safe because the hub de-duplicates every message by its own id.
/// </summary>
public sealed class HubClient
{
    private readonly IPublishEndpoint _publisher;
    private readonly HubClientOptions _options;
    private readonly ResiliencePipeline _pipeline;

    public HubClient(IPublishEndpoint publisher, HubClientOptions options, TimeProvider? clock = null)
    {
        _publisher = publisher;
        _options = options;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = new PredicateBuilder().Handle<TimeoutRejectedException>()
                    .Handle<Exception>(ex => ex is not (BrokenCircuitException or ArgumentException or OperationCanceledException)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // An attempt cut off by the total timeout ends in OperationCanceledException, which Polly's
                // breaker would count as a success: on a slow machine every call then ended that way and
                // the breaker never opened. It counts as a failed attempt here; so does an attempt the
                // caller cancelled, which at worst opens the breaker after that many cancellations in a row.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not (BrokenCircuitException or ArgumentException)),
                FailureRatio = 1.0,
                MinimumThroughput = options.BreakAfterFailures,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public Task Capture(CustomerDataCaptured capture, CancellationToken cancellationToken = default) =>
        Publish(capture, capture.SourceCompany, cancellationToken);

    public Task GiveConsent(ConsentGiven consent, CancellationToken cancellationToken = default) =>
        Publish(consent, consent.CapturedBy, cancellationToken);

    public Task WithdrawConsent(ConsentWithdrawn withdrawal, CancellationToken cancellationToken = default) =>
        Publish(withdrawal, withdrawal.CapturedBy, cancellationToken);

    public Task RequestAccess(AccessRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task RequestRectification(RectificationRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task RequestErasure(ErasureRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task RequestRestriction(RestrictionRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task RequestRestrictionLift(RestrictionLiftRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task RequestPortability(PortabilityRequested request, CancellationToken cancellationToken = default) => Publish(request, request.ReceivedBy, cancellationToken);

    public Task LodgeObjection(ObjectionLodged objection, CancellationToken cancellationToken = default) => Publish(objection, objection.ReceivedBy, cancellationToken);

    /// <summary>PD only: a Porsche Zentrum passes to another operator company at a given time.</summary>
    public Task AnnounceDealerOperatorChange(DealerOperatorChangeAnnounced change, CancellationToken cancellationToken = default) =>
        Publish(change, change.AnnouncedBy, cancellationToken);

    public Task LodgeDirectMarketingObjection(DirectMarketingObjectionLodged objection, CancellationToken cancellationToken = default) =>
        Publish(objection, objection.ReceivedBy, cancellationToken);

    /// <summary>Art. 12(3) GDPR: extends an open request's deadline by two months, with the reason told to the customer.</summary>
    public Task ExtendDeadline(ExtendRequestDeadline extension, CancellationToken cancellationToken = default) =>
        Publish(extension, extension.DecidedBy, cancellationToken);

    // The answers to the commands the hub sends to this company's queue (docs/amqp-interface.md, "Which
    // answer belongs to which command"); receipts carry a digest from RecordsDigest.
    public Task Answer(ConsentBasedDataDeleted answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(NeedsAnalysisStopped answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(DirectMarketingStopped answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(ProcessingRestricted answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(RestrictionLifted answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(CustomerDataRectified answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(CustomerDataErased answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(CustomerDataProvided answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(PortableDataExported answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    public Task Answer(DealerRecordsHandedOver answer, CancellationToken cancellationToken = default) => Publish(answer, answer.Company, cancellationToken);

    private async Task Publish<T>(T message, string speaksFor, CancellationToken cancellationToken) where T : class
    {
        // The hub would refuse it; say so at once, before anything leaves.
        if (!string.Equals(speaksFor, _options.Company, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{typeof(T).Name} speaks for {speaksFor}, but this client is {_options.Company}", nameof(message));
        }

        try
        {
            await _pipeline.ExecuteAsync(async token => await _publisher.Publish(message, token), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HubUnavailableException($"{typeof(T).Name} not confirmed by the broker in time ({_options.TotalTimeout.TotalSeconds:0.#} s in all, {_options.AttemptTimeout.TotalSeconds:0.#} s per attempt); publishing it again is safe", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new HubUnavailableException($"{typeof(T).Name} not sent: publishing failed {_options.BreakAfterFailures} times in a row, so calls fail at once for {_options.BreakDuration.TotalSeconds:0.#} s", ex);
        }
        catch (Exception ex) when (ex is not (ArgumentException or OperationCanceledException))
        {
            throw new HubUnavailableException($"{typeof(T).Name} not sent after {_options.Retries + 1} attempts: {ex.GetType().Name}", ex);
        }
    }
}
