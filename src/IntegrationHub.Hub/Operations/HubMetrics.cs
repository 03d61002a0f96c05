using System.Diagnostics.Metrics;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Platform.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Hub.Operations;

/// <summary>
/// The hub's metrics, derived from its store so that the message path stays as it is: the audit trail
/// is read forward (by its id) for captures routed, deliveries, categories not sent by reason and
/// request durations; the outbox, tombstones and sagas give the gauges. What the trail held before
/// the process started is counted on its first pass, so the counters say "since this store began".
/// Ids never leave this class: the metrics carry company ids, reasons and request kinds only.
/// </summary>
public sealed class HubMetrics : BackgroundService
{
    public const string MeterName = "IntegrationHub.Hub";

    private const int Batch = 5000;

    private readonly IServiceScopeFactory _scopes;
    private readonly HubOptions _options;
    private readonly ILogger<HubMetrics> _logger;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _drops;
    private readonly Histogram<double> _requestDurations;
    private long _lastAuditId;
    private StoreGauges _gauges = new(0, 0, 0, 0, 0);

    public HubMetrics(IMeterFactory meters, IServiceScopeFactory scopes, HubOptions options, ILogger<HubMetrics> logger)
    {
        _scopes = scopes;
        _options = options;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _routed = meter.CreateCounter<long>("hub.captures.routed", description: "Captures the hub decided on and audited");
        _deliveries = meter.CreateCounter<long>("hub.deliveries", description: "Minimised copies sent to a company, by company");
        _drops = meter.CreateCounter<long>("hub.drops", description: "Categories of a capture not sent to a company, by reason");
        _requestDurations = meter.CreateHistogram<double>("hub.request.duration", unit: "s", description: "From receipt to completion of a data-subject request, by kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 10, 60, 600, 3600, 86400, 259200, 604800, 2678400] });
        meter.CreateObservableGauge("hub.outbox.waiting", () => _gauges.OutboxWaiting, description: "Messages in the outbox waiting to be sent");
        meter.CreateObservableGauge("hub.outbox.parked", () => _gauges.OutboxParked, description: "Messages parked in the outbox for operators (hub outbox)");
        meter.CreateObservableGauge("hub.quarantined", () => _gauges.Quarantined, description: "Messages for erased customers quarantined instead of routed");
        meter.CreateObservableGauge("hub.requests.open", () => _gauges.OpenRequests, description: "Data-subject requests not yet done");
        meter.CreateObservableGauge("hub.takeovers.running", () => _gauges.RunningTakeovers, description: "Dealer takeovers not yet done");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                while (await ReadAuditForward(db, stoppingToken) == Batch)
                {
                }

                _gauges = await Gauges(db, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("metrics: reading the hub's store failed ({Error}); trying again", ex.GetType().Name);
            }

            await Task.Delay(_options.MetricsInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Counts one batch of audit rows after the last one read; a message's rows (one transaction, consecutive ids) are never split.</summary>
    private async Task<int> ReadAuditForward(HubDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Audit.AsNoTracking().Where(a => a.Id > _lastAuditId).OrderBy(a => a.Id).Take(Batch)
            .Select(a => new { a.Id, a.Kind, a.MessageId, a.Company, a.Reason, a.At, a.Note }).ToListAsync(cancellationToken);
        if (rows.Count == Batch && rows[0].MessageId != rows[^1].MessageId)
        {
            rows = rows.Where(r => r.MessageId != rows[^1].MessageId).ToList();
        }

        foreach (var capture in rows.Where(r => r.Kind == AuditKind.CaptureRouted).GroupBy(r => r.MessageId))
        {
            _routed.Add(1);
            foreach (var company in capture.Where(r => r.Reason == AuditReason.Delivered).Select(r => r.Company).Distinct())
            {
                _deliveries.Add(1, new KeyValuePair<string, object?>("company", company));
            }

            foreach (var drop in capture.Where(r => r.Reason is not null and not AuditReason.Delivered).GroupBy(r => (r.Reason, r.Company)))
            {
                _drops.Add(drop.Count(), new("reason", drop.Key.Reason.ToString()), new("company", drop.Key.Company));
            }
        }

        foreach (var completed in rows.Where(r => r.Kind == AuditKind.RequestCompleted))
        {
            var opened = await db.Audit.AsNoTracking().Where(a => a.MessageId == completed.MessageId && a.Kind == AuditKind.RequestOpened)
                .Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(cancellationToken);
            if (opened is { } at)
            {
                _requestDurations.Record((completed.At - at).TotalSeconds, new KeyValuePair<string, object?>("kind", completed.Note));
            }
        }

        if (rows.Count > 0)
        {
            _lastAuditId = rows[^1].Id;
        }

        return rows.Count;
    }

    private static async Task<StoreGauges> Gauges(HubDbContext db, CancellationToken cancellationToken) => new(
        await db.Outbox.CountAsync(o => o.ParkedAt == null, cancellationToken),
        await db.Outbox.CountAsync(o => o.ParkedAt != null, cancellationToken),
        await db.Tombstones.SumAsync(t => (long)t.QuarantinedMessages, cancellationToken),
        await db.Sagas.CountAsync(s => s.SagaType == "RequestState" && s.CurrentState != "Done" && s.CurrentState != "Final", cancellationToken),
        await db.Sagas.CountAsync(s => s.SagaType == "TakeoverState" && s.CurrentState != "Done" && s.CurrentState != "Final", cancellationToken));

    /// <summary>
    /// The hub's operations endpoint (Ops:Port): health, readiness and these metrics. Without a port
    /// nothing reads the store for metrics, so a hub that nobody scrapes pays nothing for them.
    /// </summary>
    public static IServiceCollection AddHubOperations(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOpsEndpoint(configuration, "integration-hub", MeterName);
        if ((configuration.GetSection("Ops").Get<OpsOptions>() ?? new OpsOptions()).Port > 0)
        {
            services.AddHostedService<HubMetrics>();
        }

        return services;
    }

    private sealed record StoreGauges(int OutboxWaiting, int OutboxParked, long Quarantined, int OpenRequests, int RunningTakeovers);
}
