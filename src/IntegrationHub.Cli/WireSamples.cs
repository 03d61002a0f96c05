using System.Collections;
using System.Reflection;
using System.Text.Json;
using IntegrationHub.Contracts;
using MassTransit;
using MassTransit.Serialization;

namespace IntegrationHub.Cli;

/// <summary>
/// One complete JSON body per contract, serialized exactly as the hub serializes it, for
/// docs/amqp-interface.md ("hub wire-samples" prints the section; a test reads the page back).
/// </summary>
internal static class WireSamples
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 10, 15, 0, TimeSpan.FromHours(1));

    public static IEnumerable<Type> ContractTypes() =>
        typeof(CustomerDataCaptured).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Namespace == "IntegrationHub.Contracts" && t.GetProperties().Any(p => p.Name.EndsWith("Id", StringComparison.Ordinal)))
            .Where(t => t != typeof(CategoryData) && t != typeof(CategoryRecord))
            .OrderBy(t => Group(t)).ThenBy(t => t.Name);

    public static int Print()
    {
        foreach (var group in ContractTypes().GroupBy(Group))
        {
            Console.WriteLine($"### {group.Key}");
            Console.WriteLine();
            foreach (var type in group)
            {
                var entity = type.GetCustomAttribute<EntityNameAttribute>()?.EntityName;
                Console.WriteLine($"#### {type.Name}");
                Console.WriteLine();
                Console.WriteLine(entity is null
                    ? $"Sent by the hub to a company's queue. `MT-MessageType: urn:message:IntegrationHub.Contracts:{type.Name}`"
                    : $"Exchange `{entity}`. `MT-MessageType: urn:message:IntegrationHub.Contracts:{type.Name}`");
                Console.WriteLine();
                Console.WriteLine("```json");
                Console.WriteLine(JsonSerializer.Serialize(Sample(type), type, Indented));
                Console.WriteLine("```");
                Console.WriteLine();
            }
        }

        return 0;
    }

    private static readonly JsonSerializerOptions Indented = new(SystemTextJsonMessageSerializer.Options) { WriteIndented = true };

    private static string Group(Type type) => type.Namespace switch
    {
        _ when type.GetCustomAttribute<EntityNameAttribute>()?.EntityName.StartsWith("hub.events.", StringComparison.Ordinal) == true => "Events the hub publishes",
        _ when type.GetCustomAttribute<EntityNameAttribute>() is null => "Commands the hub sends to a company",
        _ => "Messages to the hub",
    };

    private static object Sample(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            property.SetValue(instance, Value(type, property.Name, property.PropertyType));
        }

        return instance;
    }

    private static object? Value(Type message, string name, Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (type == typeof(Guid))
        {
            return SampleId(name);
        }

        if (type == typeof(string))
        {
            return (message.Name, name) switch
            {
                (_, "SourceCompany" or "CapturedBy" or "ReceivedBy" or "AnnouncedBy" or "DecidedBy") => "PD",
                // The takeover's messages name the operators they go to or come from, never a fixed joint controller.
                (nameof(HandOverDealerRecords), "Recipient") or (nameof(DealerRecordsHandedOver), "Company") => "OP-NORD",
                (nameof(TakeOverDealerRecords), "Recipient") => "OP-SUED",
                (nameof(RequestStatusChanged), "Recipient") => "PD",
                (_, "Recipient" or "Company") => "PAG",
                (_, "RequestKind") => "Access",
                (nameof(RequestStatusChanged), "Status") => "done",
                (_, "Reason") => "many requests at once: the customer asked every company of the group",
                // Only an erasure for an operator change names a Zentrum; the sample is a customer's own erasure.
                (nameof(EraseCustomerData), "DealerId") => null,
                (_, "DealerId") => "PZ-HAMBURG",
                (_, "FromOperator") => "OP-NORD",
                (_, "ToOperator") => "OP-SUED",
                (_, "WordingVersion") => "2026-03",
                (_, "PolicyVersion") => "2026-11-29.1",
                (_, "Digest") => "sha256:9f2c1d0b5e3a4c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f",
                (_, "LegalBasis") => "§ 147 AO (tax retention, 10 years)",
                (_, "TransmitTo") => "another controller's intake address",
                (_, "CompellingGrounds") => null,
                _ => name,
            };
        }

        if (type == typeof(DateTimeOffset) || nullable == typeof(DateTimeOffset))
        {
            return name.Contains("By", StringComparison.Ordinal) ? At.AddHours(72) : At;
        }

        if (type == typeof(int))
        {
            return 1;
        }

        if (type == typeof(bool))
        {
            return name == "NoPersonalisedContact";
        }

        if (type == typeof(CaptureContext) || nullable == typeof(CaptureContext))
        {
            return CaptureContext.VehicleContract;
        }

        if (type == typeof(ContractKind) || nullable == typeof(ContractKind))
        {
            return ContractKind.Financing;
        }

        if ((nullable ?? type).IsEnum)
        {
            return Enum.GetValues(nullable ?? type).GetValue(0);
        }

        if (type == typeof(CategoryData))
        {
            return new CategoryData
            {
                [DataCategory.ContactIdentification] = new() { ["familyName"] = "Beispiel", ["email"] = "kunde@example.org" },
                [DataCategory.FinancingLeasingInsurance] = new() { ["monthlyRate"] = "899.00", ["termMonths"] = "36" },
            };
        }

        if (type == typeof(IReadOnlyList<DataCategory>))
        {
            return new List<DataCategory> { DataCategory.ContactIdentification, DataCategory.FinancingLeasingInsurance };
        }

        if (type == typeof(IReadOnlyList<CategoryRecord>))
        {
            // Two records of one category are two entries: an old and a new e-mail address both appear.
            return new List<CategoryRecord>
            {
                new()
                {
                    Category = DataCategory.ContactIdentification, Fields = new() { ["familyName"] = "Beispiel", ["email"] = "alt@example.org" },
                    SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop, Purpose = Purpose.JointCare,
                    CapturedAt = At.AddYears(-1), ReceivedAt = At.AddYears(-1).AddSeconds(2),
                },
                new()
                {
                    Category = DataCategory.ContactIdentification, Fields = new() { ["familyName"] = "Beispiel", ["email"] = "neu@example.org" },
                    SourceCompany = "PAG", DealerId = "PZ-HAMBURG", Context = CaptureContext.MyPorscheConnect, Purpose = Purpose.JointCare,
                    CapturedAt = At, ReceivedAt = At.AddSeconds(2),
                },
                new()
                {
                    Category = DataCategory.VehicleHistory, Fields = new() { ["service"] = "brake pads replaced" },
                    SourceCompany = "PD", DealerId = "PZ-HAMBURG", Context = CaptureContext.Workshop, Purpose = Purpose.JointCare,
                    CapturedAt = At.AddYears(-1), ReceivedAt = At.AddYears(-1).AddSeconds(2),
                },
            };
        }

        if (type == typeof(IReadOnlyList<string>))
        {
            return new List<string> { "PAG", "PFS", "OP-NORD" };
        }

        if (type == typeof(ActionReceipt))
        {
            return new ActionReceipt
            {
                Outcomes =
                [
                    new CategoryOutcome { Category = DataCategory.ContactIdentification, Outcome = OutcomeKind.Erased, RecordCount = 2 },
                    new CategoryOutcome { Category = DataCategory.FinancingLeasingInsurance, Outcome = OutcomeKind.KeptRestricted, RecordCount = 1, LegalBasis = "§ 147 AO (tax retention, 10 years)" },
                ],
                Digest = (string)Value(typeof(ActionReceipt), "Digest", typeof(string))!,
                CompletedAt = At.AddHours(5),
            };
        }

        throw new NotSupportedException($"no sample for {name} of type {type.Name}");
    }

    private static Guid SampleId(string name)
    {
        // Stable per property name, so the page does not change between runs.
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return new Guid(hash.AsSpan(0, 16));
    }
}
