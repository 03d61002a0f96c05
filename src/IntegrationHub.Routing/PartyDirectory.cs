using System.Text.Json;

namespace IntegrationHub.Routing;

/// <summary>A joint controller or dealer operator company, with what an access report must name (Art. 15(1)(c) GDPR).</summary>
public sealed record Company(
    string Id,
    PartyRole Role,
    string LegalName,
    string Address,
    string PrivacyNotice,
    string DataProtectionContact,
    string? Retention = null);

/// <summary>A Porsche Zentrum and the operator company that runs it now.</summary>
public sealed record Dealer(string Id, string Name, string Operator);

/// <summary>
/// Who takes part: the fixed joint controllers, the dealer operator companies and the Porsche Zentren,
/// loaded from <c>parties.json</c>. Company ids are upper case and double as broker identities
/// (lower-cased user and queue names), so they are restricted to letters, digits and '-'.
/// </summary>
public sealed class PartyDirectory
{
    private readonly Dictionary<string, Company> _companies;
    private readonly Dictionary<string, Dealer> _dealers;

    public PartyDirectory(IEnumerable<Company> companies, IEnumerable<Dealer> dealers)
    {
        _companies = companies.ToDictionary(c => c.Id, StringComparer.Ordinal);
        _dealers = dealers.ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<Company> Companies => _companies.Values;

    public IReadOnlyCollection<Dealer> Dealers => _dealers.Values;

    public Company? FindCompany(string id) => _companies.GetValueOrDefault(id);

    public Dealer? FindDealer(string id) => _dealers.GetValueOrDefault(id);

    /// <summary>The company that holds a fixed role (PD, PAG, ...). Dealer roles are resolved per Zentrum instead.</summary>
    public Company CompanyFor(PartyRole role) =>
        role == PartyRole.Dealer
            ? throw new ArgumentException("Dealer companies are resolved through the customer's Porsche Zentrum", nameof(role))
            : _companies.Values.Single(c => c.Role == role);

    /// <summary>The broker queue of a company: <c>company.&lt;id lower case&gt;</c>.</summary>
    public static string QueueOf(string companyId) => "company." + companyId.ToLowerInvariant();

    public static PartyDirectory LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new PolicyValidationException($"{path}: party directory file not found");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static PartyDirectory Parse(string json, string source = "parties.json")
    {
        using var document = ParseDocument(json, source);
        var errors = new List<string>();
        var companies = new List<Company>();
        var dealers = new List<Dealer>();
        var root = document.RootElement;

        if (!root.TryGetProperty("companies", out var companyList) || companyList.ValueKind != JsonValueKind.Array)
        {
            errors.Add("companies: required, an array");
        }
        else
        {
            var index = 0;
            foreach (var item in companyList.EnumerateArray())
            {
                var path = $"companies[{index++}]";
                var id = Text(item, "id", path, errors);
                var roleText = Text(item, "role", path, errors);
                PartyRole role = default;
                if (roleText is not null && (!Enum.GetNames<PartyRole>().Contains(roleText) || !Enum.TryParse(roleText, out role)))
                {
                    errors.Add($"{path}.role: unknown company role '{roleText}' (known: {string.Join(", ", Enum.GetNames<PartyRole>())})");
                    roleText = null;
                }

                if (id is not null && !IsValidId(id))
                {
                    errors.Add($"{path}.id: '{id}' must be upper-case letters, digits and '-'");
                    id = null;
                }

                var legalName = Text(item, "legalName", path, errors);
                var address = Text(item, "address", path, errors);
                var notice = Text(item, "privacyNotice", path, errors);
                var contact = Text(item, "dataProtectionContact", path, errors);
                if (id is not null && roleText is not null && legalName is not null && address is not null && notice is not null && contact is not null)
                {
                    var retention = item.TryGetProperty("retention", out var kept) && kept.ValueKind == JsonValueKind.String ? kept.GetString() : null;
                    companies.Add(new Company(id, role, legalName, address, notice, contact, retention));
                }
            }
        }

        foreach (var duplicate in companies.GroupBy(c => c.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"companies: id '{duplicate.Key}' appears {duplicate.Count()} times");
        }

        foreach (var role in Enum.GetValues<PartyRole>().Where(r => r != PartyRole.Dealer))
        {
            var count = companies.Count(c => c.Role == role);
            if (count != 1)
            {
                errors.Add($"companies: role {role} must be held by exactly one company, found {count}");
            }
        }

        if (!root.TryGetProperty("dealers", out var dealerList) || dealerList.ValueKind != JsonValueKind.Array)
        {
            errors.Add("dealers: required, an array");
        }
        else
        {
            var index = 0;
            foreach (var item in dealerList.EnumerateArray())
            {
                var path = $"dealers[{index++}]";
                var id = Text(item, "id", path, errors);
                var name = Text(item, "name", path, errors);
                var op = Text(item, "operator", path, errors);
                if (op is not null && !companies.Any(c => c.Id == op && c.Role == PartyRole.Dealer))
                {
                    errors.Add($"{path}.operator: unknown dealer operator company '{op}'");
                    op = null;
                }

                if (id is not null && name is not null && op is not null)
                {
                    dealers.Add(new Dealer(id, name, op));
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new PolicyValidationException(
                $"{source} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return new PartyDirectory(companies, dealers);
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 32 && id.All(ch => ch is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-');

    private static JsonDocument ParseDocument(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new PolicyValidationException($"{source}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }
    }

    private static string? Text(JsonElement item, string name, string path, List<string> errors)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) &&
            value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            return value.GetString();
        }

        errors.Add($"{path}.{name}: required, a non-empty string");
        return null;
    }
}
