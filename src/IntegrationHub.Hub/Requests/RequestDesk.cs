using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Contracts;
using IntegrationHub.Hub.Audit;
using IntegrationHub.Hub.Customers;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Takeovers;
using IntegrationHub.Hub.Persistence;
using IntegrationHub.Hub.Sagas;
using IntegrationHub.Routing;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Hub.Requests;

/// <summary>
/// What data-protection staff ask of the hub about requests and customers: a request's status, the
/// access report, the portability package, a customer's ledger, a takeover's progress. Reads the hub's
/// store; the one change it makes is to delete gathered answers once their report or package is written.
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
        await Saga<RequestState>(requestId, cancellationToken) is { } request ? RequestStatus.Of(request) : null;

    public Task<CustomerState?> Customer(Guid customerId, CancellationToken cancellationToken = default) => Saga<CustomerState>(customerId, cancellationToken);

    public async Task<TSaga?> Saga<TSaga>(Guid id, CancellationToken cancellationToken = default)
        where TSaga : class
    {
        var row = await db.Sagas.AsNoTracking().SingleOrDefaultAsync(s => s.SagaType == typeof(TSaga).Name && s.CorrelationId == id, cancellationToken);
        return row is null ? null : SagaStateSerializer.Deserialize<TSaga>(row.Data);
    }

    public Task<AggregateStatistics> Aggregates(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        AggregateStatistics.Of(db, from, to, cancellationToken);

    /// <summary>How far a dealer takeover has come, for operations.</summary>
    public async Task<TakeoverProgress?> Takeover(Guid takeoverId, CancellationToken cancellationToken = default)
    {
        var assignment = await db.DealerAssignments.AsNoTracking().SingleOrDefaultAsync(a => a.TakeoverId == takeoverId, cancellationToken);
        if (assignment is null)
        {
            return null;
        }

        var takeover = await Saga<TakeoverState>(takeoverId, cancellationToken);
        return new TakeoverProgress(takeoverId, assignment.DealerId, assignment.FromOperator, assignment.Operator, assignment.EffectiveAt,
            takeover?.StartedAt, takeover?.Customers ?? 0, takeover?.Done ?? 0, takeover?.CompletedAt);
    }

    public async Task<AccessReport?> AccessReport(Guid requestId, CancellationToken cancellationToken = default)
    {
        if (await Saga<RequestState>(requestId, cancellationToken) is not { Kind: RequestKind.Access } request)
        {
            return null;
        }

        var answers = await Answers(requestId, cancellationToken);
        var customer = request.CustomerId is { } customerId ? await Customer(customerId, cancellationToken) : null;
        var ledger = customer?.Ledger ?? [];
        var sources = request.CustomerId is { } id ? await SourcesOf(id, cancellationToken) : [];
        // The fixed joint controllers always; a dealer operator only when it holds or was asked, not
        // every operator of every other Porsche Zentrum.
        var companies = parties.Companies
            .Where(c => c.Role != PartyRole.Dealer || ledger.Any(h => h.Company == c.Id) || request.Recipients.Any(r => r.Company == c.Id))
            .OrderBy(c => c.Role).ThenBy(c => c.Id).Select(company =>
        {
            var holds = ledger.Where(h => h.Company == company.Id).OrderBy(h => h.Category)
                .Select(h => new HeldEntry(h.Category, h.Since, sources.GetValueOrDefault((company.Id, h.Category)) ?? [])).ToList();
            var recipient = request.Recipients.SingleOrDefault(r => r.Company == company.Id);
            return new CompanyEntry(company.Id, company.LegalName, company.Address, company.PrivacyNotice, company.DataProtectionContact, company.Retention,
                Holder: recipient is not null, Answered: recipient?.AcknowledgedAt is not null, holds, answers.GetValueOrDefault(company.Id));
        }).ToList();
        var status = RequestStatus.Of(request);
        return new AccessReport(requestId, request.CustomerId ?? Guid.Empty, status.State, request.ReceivedAt, request.ReceivedBy, request.DueAt,
            request.CompletedAt, clock.GetUtcNow(), policy.Version, PurposeTexts, companies, status.WaitingFor);
    }

    /// <summary>
    /// Once the report or package is in the customer's hands, the hub keeps no copy of the values it
    /// gathered for it: the request keeps its receipts and times only.
    /// </summary>
    public async Task<int> ForgetAnswers(Guid requestId, string writtenAs, CancellationToken cancellationToken = default)
    {
        var answers = await db.Gathered.Where(g => g.RequestId == requestId).ToListAsync(cancellationToken);
        db.Gathered.RemoveRange(answers);
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Kind = AuditKind.ReportWritten, MessageId = requestId, CustomerId = answers.FirstOrDefault()?.CustomerId, Actor = HubAudit.Hub,
            PolicyVersion = policy.Version, Note = $"{writtenAs}; {answers.Count} gathered answers deleted",
        });
        await db.SaveChangesAsync(cancellationToken);
        return answers.Count;
    }

    /// <summary>When the gathered answers of a request were deleted after its report or package was written, if they were.</summary>
    public Task<DateTimeOffset?> ReportWrittenAt(Guid requestId, CancellationToken cancellationToken = default) =>
        db.Audit.AsNoTracking().Where(a => a.MessageId == requestId && a.Kind == AuditKind.ReportWritten).Select(a => (DateTimeOffset?)a.At)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Writes the portability package (Art. 20 GDPR) as a zip: data.json (per company, every record
    /// with its category, fields, source and times), one CSV per category (a line per field of each
    /// record), and manifest.json with each file's SHA-256. Returns false when the request
    /// is not a portability request.
    /// </summary>
    public async Task<bool> WritePortabilityPackage(Guid requestId, Stream output, CancellationToken cancellationToken = default)
    {
        if (await Saga<RequestState>(requestId, cancellationToken) is not { Kind: RequestKind.Portability } request)
        {
            return false;
        }

        var answers = await Answers(requestId, cancellationToken);
        var files = new List<(string Name, byte[] Content)>
        {
            ("data.json", JsonSerializer.SerializeToUtf8Bytes(answers.OrderBy(a => a.Key).ToDictionary(a => a.Key, a => a.Value), ReportJson)),
        };
        foreach (var category in answers.Values.SelectMany(d => d).Select(r => r.Category).Distinct().Order())
        {
            var csv = new StringBuilder("company,record,source,context,purpose,capturedAt,receivedAt,field,value\n");
            foreach (var (company, records) in answers.OrderBy(a => a.Key))
            {
                foreach (var (record, number) in records.Where(r => r.Category == category).Select((r, i) => (r, i + 1)))
                {
                    var origin = string.Join(',', Csv(company), number, Csv(record.SourceCompany), record.Context, record.Purpose,
                        record.CapturedAt?.ToString("O"), record.ReceivedAt.ToString("O"));
                    foreach (var (field, value) in record.Fields.OrderBy(f => f.Key))
                    {
                        csv.Append(origin).Append(',').Append(Csv(field)).Append(',').Append(Csv(value)).Append('\n');
                    }
                }
            }

            files.Add(($"{category}.csv", Encoding.UTF8.GetBytes(csv.ToString())));
        }

        var manifest = new
        {
            requestId,
            customerId = request.CustomerId,
            createdAt = clock.GetUtcNow(),
            transmitTo = request.TransmitTo,
            companies = answers.Keys.Order().ToList(),
            notAnswered = request.Waiting.Select(r => r.Company).ToList(),
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

    private async Task<Dictionary<string, List<CategoryRecord>>> Answers(Guid requestId, CancellationToken cancellationToken) =>
        (await db.Gathered.AsNoTracking().Where(g => g.RequestId == requestId).ToListAsync(cancellationToken))
        .ToDictionary(g => g.Company, g => JsonSerializer.Deserialize<List<CategoryRecord>>(g.Data, SystemTextJsonMessageSerializer.Options)!);

    /// <summary>For each (holder, category): the companies whose captures brought it, from the routing audit.</summary>
    private async Task<Dictionary<(string Company, DataCategory Category), List<string>>> SourcesOf(Guid customerId, CancellationToken cancellationToken) =>
        (await db.Audit.AsNoTracking()
            .Where(a => a.CustomerId == customerId && a.Kind == AuditKind.CaptureRouted && a.Reason == AuditReason.Delivered)
            .Select(a => new { a.Company, a.Category, a.Actor }).Distinct().ToListAsync(cancellationToken))
        .GroupBy(a => (a.Company!, a.Category!.Value))
        .ToDictionary(g => g.Key, g => g.Select(a => a.Actor).Distinct().Order().ToList());

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
