using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IntegrationHub.Platform.Operations;

/// <summary>Where a process serves its health and metrics ("Ops" configuration section); port 0 serves nothing.</summary>
public sealed class OpsOptions
{
    public int Port { get; set; }

    /// <summary>Loopback unless configured: the endpoint has no login (a container sets 0.0.0.0 for its scraper).</summary>
    public string Address { get; set; } = "127.0.0.1";
}

/// <summary>
/// The operations endpoint of the hub and of each worker: `/health/live` (the process answers),
/// `/health/ready` (every health check: broker connected, consumer attached, store writable; 503
/// otherwise) and `/metrics` (OpenTelemetry's Prometheus exporter: the process's own meters,
/// MassTransit's and its garbage-collection pauses and thread-pool delays, <see cref="RuntimePauses"/>). Ids, names of checks and counts only; never a customer's data.
/// </summary>
public static class OpsEndpoint
{
    public static IServiceCollection AddOpsEndpoint(this IServiceCollection services, IConfiguration configuration, string service, params string[] meters)
    {
        var options = configuration.GetSection("Ops").Get<OpsOptions>() ?? new OpsOptions();
        services.AddSingleton(options);
        services.AddHealthChecks();

        // An unhealthy check is answered on /health/ready; logging it at every probe would only repeat it.
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service))
            .WithMetrics(metrics => metrics.AddMeter([.. meters, "MassTransit", RuntimePauses.MeterName]).AddPrometheusExporter());
        if (options.Port > 0)
        {
            services.AddHostedService<OpsServer>();
            services.AddHostedService<RuntimePauses>();
        }

        return services;
    }

    private sealed class OpsServer(OpsOptions options, HealthCheckService health, MeterProvider meters, ILogger<OpsServer> logger) : IHostedService
    {
        private WebApplication? _app;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Address), options.Port));
            _app = builder.Build();
            _app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, context => context.Request.Path == "/metrics", null, null, null);
            _app.MapGet("/health/live", () => Results.Text("alive\n"));
            _app.MapGet("/health/ready", async (CancellationToken token) =>
            {
                var report = await health.CheckHealthAsync(token);
                return Results.Json(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
                }, statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            });
            await _app.StartAsync(cancellationToken);
            logger.LogInformation("health on http://{Address}:{Port}/health/ready, metrics on http://{Address}:{Port}/metrics", options.Address, options.Port, options.Address, options.Port);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_app is not null)
            {
                await _app.StopAsync(cancellationToken);
                await _app.DisposeAsync();
            }
        }
    }
}
