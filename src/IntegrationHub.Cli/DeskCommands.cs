using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>The settings of a command about one request.</summary>
internal class RequestSettings : CommandSettings
{
    [CommandOption("--request <ID>")]
    [Description("The request's id, as `hub request` printed it")]
    public Guid? Request { get; init; }

    public override ValidationResult Validate() =>
        Request is null ? ValidationResult.Error("--request <ID> is required") : ValidationResult.Success();
}

/// <summary>Where a request stands, with a table of the holders: who answered when, with which receipt, who is still waiting or late.</summary>
internal sealed class StatusCommand : AsyncCommand<RequestSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, RequestSettings settings, CancellationToken cancellationToken) =>
        HubStore.With<RequestDesk>(async (desk, _) =>
        {
            var status = await desk.Status(settings.Request!.Value, cancellationToken);
            if (status is null)
            {
                Console.WriteLine($"no request {settings.Request} at this hub");
                return 1;
            }

            Console.WriteLine(status.ToString().Split('\n')[0]);
            var receipts = status.Receipts.ToDictionary(r => r.Company);
            var rows = new List<IReadOnlyList<string>>();
            foreach (var company in status.AnsweredBy.Concat(status.WaitingFor).Distinct().Order())
            {
                if (!receipts.TryGetValue(company, out var receipt))
                {
                    rows.Add([company, status.OverdueCompanies.Contains(company) ? "OVERDUE" : "waiting", "", "", "", ""]);
                    continue;
                }

                var answered = $"answered {receipt.At:u}";
                rows.AddRange(receipt.Outcomes.Count == 0
                    ? [[company, answered, "(held nothing)", "", "", ""]]
                    : receipt.Outcomes.Select(o => (IReadOnlyList<string>)[company, answered, o.Category.ToString(), o.Outcome.ToString(), o.RecordCount.ToString(CultureInfo.InvariantCulture), o.LegalBasis ?? ""]));
            }

            if (rows.Count > 0)
            {
                Terminal.Table(["holder", "state", "category", "outcome", "records", "kept under"], rows);
            }

            return 0;
        });
}

internal sealed class LedgerCommand : AsyncCommand<LedgerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--customer <ID>")]
        [Description("The customer's id (a UUID)")]
        public Guid? Customer { get; init; }

        public override ValidationResult Validate() =>
            Customer is null ? ValidationResult.Error("--customer <ID> is required") : ValidationResult.Success();
    }

    /// <summary>Who holds which categories of a customer since when (Art. 19); for an erased customer, the tombstone.</summary>
    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With(async (services, _) =>
        {
            var customerId = settings.Customer!.Value;
            var customer = await services.GetRequiredService<RequestDesk>().Customer(customerId, cancellationToken);
            if (customer is null)
            {
                var hash = services.GetRequiredService<CustomerHashing>().HashOf(customerId);
                var tombstone = await services.GetRequiredService<HubDbContext>().Tombstones.AsNoTracking().SingleOrDefaultAsync(t => t.CustomerHash == hash, cancellationToken);
                Console.WriteLine(tombstone is null
                    ? $"no customer {customerId} at this hub (never known)"
                    : $"customer {customerId} is erased: only a tombstone is left (hash {hash[..12]}…, erasure {tombstone.ErasureRequestId}, erased {tombstone.ErasedAt:u}, " +
                      $"{tombstone.QuarantinedMessages} later messages quarantined)");
                return 1;
            }

            Console.WriteLine($"customer {customerId}: {customer.CurrentState}, consent {(customer.ConsentGiven ? "given" : "not given")}, " +
                              $"restricted {customer.Restricted}, objection {customer.ObjectedGenerally}, objection to direct marketing {customer.ObjectedToDirectMarketing}, " +
                              $"Porsche Zentrum {customer.DealerId ?? "-"}");
            Terminal.Table(["holder", "category", "since", "last delivery"],
                customer.Ledger.OrderBy(h => h.Company).ThenBy(h => h.Category.ToString())
                    .Select(h => (IReadOnlyList<string>)[h.Company, h.Category.ToString(), h.Since.ToString("u", CultureInfo.InvariantCulture), h.LastDeliveryId.ToString()]));
            return 0;
        });
}

internal sealed class AggregatesCommand : AsyncCommand<AggregatesCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--from <DATE>")]
        [Description("First day (yyyy-mm-dd; default 30 days before --to)")]
        public DateOnly? From { get; init; }

        [CommandOption("--to <DATE>")]
        [Description("Last day (yyyy-mm-dd; default today)")]
        public DateOnly? To { get; init; }

        public override ValidationResult Validate() =>
            From > To ? ValidationResult.Error("--from is after --to") : ValidationResult.Success();
    }

    /// <summary>The only thing that goes out about data that were merely counted: groups of at least ten customers.</summary>
    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With<RequestDesk>(async (desk, _) =>
        {
            var to = settings.To ?? DateOnly.FromDateTime(DateTime.UtcNow);
            var from = settings.From ?? to.AddDays(-30);
            Console.WriteLine(JsonSerializer.Serialize(await desk.Aggregates(from, to, cancellationToken), RequestDesk.ReportJson));
            return 0;
        });
}
