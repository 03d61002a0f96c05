using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Care;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Routing;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// What data-protection staff ask of the hub about requests and customers: a request's status, the
/// access report, the portability package, a customer's ledger. Reads the hub's store; changes nothing.
/// </summary>
public sealed class RequestDesk(HubDbContext db, PartyDirectory parties, RoutingPolicy policy, TimeProvider clock)
{
    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly IReadOnlyList<PurposeEntry> PurposeTexts =
    [
        new(Purpose.JointCare, "Service and support, legal duties and needs analysis in joint customer and prospect care (seed, section 3)."),
        new(Purpose.IndividualCare, "Individual care over the channels you chose: personalised offers, profile, segmentation, e-mail tracking; only with your consent (seed, section 4)."),
        new(Purpose.DirectMarketing, "Direct marketing; stopped at once if you object (Art. 21(2) GDPR)."),
        new(Purpose.AggregatedAnalytics, "Statistics without personal data."),
    ];

    public async Task<RequestStatus?> Status(Guid requestId, CancellationToken cancellationToken = default) =>
        await Find(requestId, cancellationToken) is { } found ? RequestStatus.Of(found.State, found.FanOut) : null;

    public async Task<CustomerCareState?> Customer(Guid customerId, CancellationToken cancellationToken = default)
    {
        var row = await db.Sagas.AsNoTracking().SingleOrDefaultAsync(s => s.CorrelationId == customerId, cancellationToken);
        return row is null ? null : SagaStateSerializer.Deserialize<CustomerCareState>(row.Data);
    }

    public Task<AggregateStatistics> Aggregates(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        AggregateStatistics.Of(db, from, to, cancellationToken);

    /// <summary>How far a dealer takeover has come, for operations.</summary>
    public async Task<TakeoverProgress?> Takeover(Guid takeoverId, CancellationToken cancellationToken = default)
    {
        var takeover = await db.DealerAssignments.AsNoTracking().SingleOrDefaultAsync(a => a.TakeoverId == takeoverId, cancellationToken);
        if (takeover is null)
        {
            return null;
        }

        var done = await db.HandedOver.CountAsync(h => h.TakeoverId == takeoverId, cancellationToken);
        return new TakeoverProgress(takeoverId, takeover.DealerId, takeover.FromOperator, takeover.Operator, takeover.EffectiveAt,
            takeover.StartedAt, takeover.Customers, done, takeover.CompletedAt);
    }

    public async Task<AccessReport?> AccessReport(Guid requestId, CancellationToken cancellationToken = default)
    {
        if (await Find(requestId, cancellationToken) is not { } found || found.FanOut.Kind != FanOutKind.Access)
        {
            return null;
        }

        var (state, fanOut) = found;
        var answers = await Answers(requestId, cancellationToken);
        var sources = await SourcesOf(state.CorrelationId, cancellationToken);
        // The fixed joint controllers always; a dealer operator only when it holds or was asked, not
        // every operator of every other Porsche Zentrum.
        var companies = parties.Companies
            .Where(c => c.Role != PartyRole.Dealer || state.Ledger.Any(h => h.Company == c.Id) || fanOut.Recipients.Any(r => r.Company == c.Id))
            .OrderBy(c => c.Role).ThenBy(c => c.Id).Select(company =>
        {
            var holds = state.Ledger.Where(h => h.Company == company.Id).OrderBy(h => h.Category)
                .Select(h => new HeldEntry(h.Category, h.Since, sources.GetValueOrDefault((company.Id, h.Category)) ?? [])).ToList();
            var recipient = fanOut.Recipients.SingleOrDefault(r => r.Company == company.Id);
            return new CompanyEntry(company.Id, company.LegalName, company.Address, company.PrivacyNotice, company.DataProtectionContact, company.Retention,
                Holder: recipient is not null, Answered: recipient?.AcknowledgedAt is not null, holds, answers.GetValueOrDefault(company.Id));
        }).ToList();
        var status = RequestStatus.Of(state, fanOut);
        return new AccessReport(requestId, state.CorrelationId, status.State, fanOut.ReceivedAt, fanOut.ReceivedBy, fanOut.DueAt, fanOut.CompletedAt,
            clock.GetUtcNow(), policy.Version, PurposeTexts, companies, status.WaitingFor);
    }

    /// <summary>
    /// Writes the portability package (Art. 20 GDPR) as a zip: data.json (company, category, fields),
    /// one CSV per category, and manifest.json with each file's SHA-256. Returns false when the request
    /// is not a portability request.
    /// </summary>
    public async Task<bool> WritePortabilityPackage(Guid requestId, Stream output, CancellationToken cancellationToken = default)
    {
        if (await Find(requestId, cancellationToken) is not { } found || found.FanOut.Kind != FanOutKind.Portability)
        {
            return false;
        }

        var answers = await Answers(requestId, cancellationToken);
        var files = new List<(string Name, byte[] Content)>
        {
            ("data.json", JsonSerializer.SerializeToUtf8Bytes(answers.OrderBy(a => a.Key).ToDictionary(a => a.Key, a => a.Value), ReportJson)),
        };
        foreach (var category in answers.Values.SelectMany(d => d.Keys).Distinct().Order())
        {
            var csv = new StringBuilder("company,field,value\n");
            foreach (var (company, data) in answers.OrderBy(a => a.Key).Where(a => a.Value.ContainsKey(category)))
            {
                foreach (var (field, value) in data[category].OrderBy(f => f.Key))
                {
                    csv.Append(Csv(company)).Append(',').Append(Csv(field)).Append(',').Append(Csv(value)).Append('\n');
                }
            }

            files.Add(($"{category}.csv", Encoding.UTF8.GetBytes(csv.ToString())));
        }

        var manifest = new
        {
            requestId,
            customerId = found.State.CorrelationId,
            createdAt = clock.GetUtcNow(),
            transmitTo = found.FanOut.TransmitTo,
            companies = answers.Keys.Order().ToList(),
            notAnswered = found.FanOut.Waiting.Select(r => r.Company).ToList(),
            files = files.Select(f => new { name = f.Name, bytes = f.Content.Length, sha256 = Convert.ToHexString(SHA256.HashData(f.Content)).ToLowerInvariant() }).ToList(),
        };
        files.Insert(0, ("manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifest, ReportJson)));

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, content) in files)
        {
            await using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            await entry.WriteAsync(content, cancellationToken);
        }

        return true;
    }

    private async Task<(CustomerCareState State, FanOut FanOut)?> Find(Guid requestId, CancellationToken cancellationToken)
    {
        // Every fan-out leaves an audit record under its request id, which names the customer.
        var customerId = await db.Audit.AsNoTracking().Where(a => a.MessageId == requestId && a.Kind.StartsWith("fan-out-"))
            .Select(a => (Guid?)a.CustomerId).FirstOrDefaultAsync(cancellationToken);
        if (customerId is null || await Customer(customerId.Value, cancellationToken) is not { } state || state.FindFanOut(requestId) is not { } fanOut)
        {
            return null;
        }

        return (state, fanOut);
    }

    private async Task<Dictionary<string, CategoryData>> Answers(Guid requestId, CancellationToken cancellationToken) =>
        (await db.Gathered.AsNoTracking().Where(g => g.RequestId == requestId).ToListAsync(cancellationToken))
        .ToDictionary(g => g.Company, g => JsonSerializer.Deserialize<CategoryData>(g.Data, SystemTextJsonMessageSerializer.Options)!);

    /// <summary>For each (holder, category): the companies whose captures brought it, from the routing audit.</summary>
    private async Task<Dictionary<(string Company, DataCategory Category), List<string>>> SourcesOf(Guid customerId, CancellationToken cancellationToken)
    {
        var sources = new Dictionary<(string, DataCategory), List<string>>();
        var routed = await db.Audit.AsNoTracking().Where(a => a.CustomerId == customerId && a.Kind == "capture-routed")
            .Select(a => new { a.SourceCompany, a.Recipients }).ToListAsync(cancellationToken);
        foreach (var record in routed)
        {
            foreach (var recipient in record.Recipients.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = recipient.Split(':');
                foreach (var category in parts[1].Split(',').Select(Enum.Parse<DataCategory>))
                {
                    var list = sources.TryGetValue((parts[0], category), out var found) ? found : sources[(parts[0], category)] = [];
                    if (!list.Contains(record.SourceCompany))
                    {
                        list.Add(record.SourceCompany);
                    }
                }
            }
        }

        return sources;
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
