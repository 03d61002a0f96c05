using IntegrationHub.Hub.Operations;
using IntegrationHub.Hub.Persistence;

namespace IntegrationHub.Ops;

/// <summary>The dashboard's API: what its pages fetch. Everything behind <see cref="TokenGate"/>.</summary>
public static class OpsEndpoints
{
    public static void MapOpsApi(this WebApplication app, OpsOptions options)
    {
        var api = app.MapGroup("/api");

        // Pages that read the broker say plainly when the hub runs without one (the demo in memory).
        var broker = api.MapGroup("").AddEndpointFilter(async (context, next) => options.InMemoryTransport
            ? Results.Problem(OpsOptions.InMemoryNotice, statusCode: StatusCodes.Status503ServiceUnavailable, title: "in-memory transport")
            : await next(context));
        broker.MapGet("/queues", async (QueueMonitor monitor, CancellationToken token) => Results.Ok(await monitor.Queues(token)));
        broker.MapGet("/rates", async (QueueMonitor monitor, CancellationToken token) => Results.Ok(await monitor.Rates(token)));
        broker.MapGet("/parked/{queue}", async (string queue, ParkedMessages parked, CancellationToken token) =>
            ParkingQueues.IsParking(queue) ? Results.Ok(await parked.List(queue, 200, token)) : Results.NotFound($"{queue} is not a parking queue"));
        broker.MapPost("/parked/{queue}/{messageId}/move", async (string queue, string messageId, ParkedMessages parked, ILogger<ParkedMessages> logger,
            CancellationToken token) =>
        {
            if (!ParkingQueues.IsParking(queue))
            {
                return Results.NotFound($"{queue} is not a parking queue");
            }

            // Taken before the move: the hub may process the message before the broker's confirm is back here.
            var movedAt = DateTimeOffset.UtcNow;
            var outcome = await parked.MoveBack(queue, messageId, token);
            logger.LogInformation("Operations moved message {MessageId} from {Queue}: {Outcome}", messageId, queue, outcome.Outcome);
            return Results.Ok(new { outcome.Moved, outcome.To, outcome.Outcome, outcome.Message, MovedAt = movedAt });
        });

        // Pages that read the hub's store say plainly when there is none (yet) where it is configured.
        var store = api.MapGroup("").AddEndpointFilter(async (context, next) =>
        {
            var engine = context.HttpContext.RequestServices.GetRequiredService<StoreEngine>();
            return engine.Exists(context.HttpContext.RequestServices.GetRequiredService<HubDbContext>())
                ? await next(context)
                : Results.Problem($"the hub's store {engine.Location} does not exist ({(engine.Kind == StoreEngine.Sqlite ? "Ops:DatabasePath" : "Ops:PostgresConnection")})",
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        store.MapGet("/processed", async (string ids, DateTimeOffset since, OpsQueries hub, CancellationToken token) =>
        {
            var wanted = ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
            return Results.Ok(new { ProcessedAt = wanted.Count == 0 ? null : await hub.FirstAuditedSince(wanted, since, token) });
        });
        store.MapGet("/requests", async (OpsQueries hub, CancellationToken token) => Results.Ok(new
        {
            Requests = await hub.Requests(options.DoneRequests, token),
            Takeovers = await hub.TakeoversInProgress(token),
            Quarantined = await hub.Quarantined(100, token),
            Outbox = await hub.Outbox(token),
        }));
        store.MapGet("/customers/{customerId:guid}", async (Guid customerId, OpsQueries hub, CancellationToken token) =>
            await hub.Customer(customerId, 500, token) is { } customer ? Results.Ok(customer) : Results.NotFound("the hub holds no customer with this id (never seen, or erased)"));
    }
}
