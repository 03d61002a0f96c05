using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>
/// Reads and validates the routing policy. Every problem is reported with the file and the JSON path
/// of the wrong field, and the process must not start with a policy that failed here: a silently
/// ignored cell would either leak data to a company without need or starve one that has it.
/// </summary>
public static partial class RoutingPolicyLoader
{
    public static RoutingPolicy LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new PolicyValidationException($"{path}: routing policy file not found");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static RoutingPolicy Parse(string json, string source = "routing-policy.json")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new PolicyValidationException($"{source}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }

        using (document)
        {
            var errors = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyValidationException($"{source}: the top level must be an object");
            }

            var version = ReadVersion(root, errors);
            var consentOnly = ReadConsentOnly(root, errors);
            var purposes = ReadPurposes(root, errors);
            var cells = ReadMatrix(root, errors);

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("$comment" or "version" or "consentOnlyCategories" or "purposes" or "matrix"))
                {
                    errors.Add($"{property.Name}: unknown field");
                }
            }

            if (errors.Count > 0)
            {
                throw new PolicyValidationException(
                    $"{source} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
            }

            return new RoutingPolicy(version!, consentOnly, purposes, cells);
        }
    }

    private static string? ReadVersion(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String ||
            string.IsNullOrWhiteSpace(version.GetString()))
        {
            errors.Add("version: required, a non-empty string");
            return null;
        }

        return version.GetString();
    }

    private static HashSet<DataCategory> ReadConsentOnly(JsonElement root, List<string> errors)
    {
        var result = new HashSet<DataCategory>();
        if (!root.TryGetProperty("consentOnlyCategories", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add("consentOnlyCategories: required, an array of data categories");
            return result;
        }

        result.UnionWith(ReadEnumArray<DataCategory>(list, "consentOnlyCategories", "data category", errors));
        return result;
    }

    private static Dictionary<Purpose, PurposeRule> ReadPurposes(JsonElement root, List<string> errors)
    {
        var result = new Dictionary<Purpose, PurposeRule>();
        if (!root.TryGetProperty("purposes", out var purposes) || purposes.ValueKind != JsonValueKind.Object)
        {
            errors.Add("purposes: required, an object keyed by purpose");
            return result;
        }

        foreach (var property in purposes.EnumerateObject())
        {
            var path = $"purposes.{property.Name}";
            if (!TryEnumName<Purpose>(property.Name, out var purpose))
            {
                errors.Add($"{path}: {Unknown<Purpose>("purpose", property.Name)}");
                continue;
            }

            var rule = property.Value;
            var requiresConsent = ReadBool(rule, "requiresConsent", path, errors);
            var forwarded = ReadBool(rule, "forwarded", path, errors);
            var blockedBy = new HashSet<ObjectionKind>();
            if (!rule.TryGetProperty("blockedByObjections", out var objections) || objections.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{path}.blockedByObjections: required, an array of objection kinds");
            }
            else
            {
                blockedBy.UnionWith(ReadEnumArray<ObjectionKind>(objections, $"{path}.blockedByObjections", "objection kind", errors));
            }

            result[purpose] = new PurposeRule(requiresConsent, forwarded, blockedBy);
        }

        foreach (var purpose in Enum.GetValues<Purpose>().Where(p => !result.ContainsKey(p)))
        {
            errors.Add($"purposes.{purpose}: missing; every purpose needs a rule");
        }

        return result;
    }

    /// <summary>The named values of a JSON array; each unknown one is an error naming its index.</summary>
    private static HashSet<T> ReadEnumArray<T>(JsonElement array, string path, string what, List<string> errors)
        where T : struct, Enum
    {
        var values = new HashSet<T>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (TryEnum<T>(item, out var value))
            {
                values.Add(value);
            }
            else
            {
                errors.Add($"{path}[{index}]: {Unknown<T>(what, item)}");
            }

            index++;
        }

        return values;
    }

    private static bool ReadBool(JsonElement parent, string name, string path, List<string> errors)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) &&
            value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"{path}.{name}: required, true or false");
        return false;
    }

    private static bool TryEnum<T>(JsonElement item, out T value) where T : struct, Enum
    {
        value = default;
        return item.ValueKind == JsonValueKind.String && TryEnumName(item.GetString()!, out value);
    }

    // Names only: Enum.TryParse would also accept "3" or "1,2", which are not what a policy author means.
    private static bool TryEnumName<T>(string text, out T value) where T : struct, Enum
    {
        value = default;
        return Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) && Enum.TryParse(text, out value);
    }

    private static string Unknown<T>(string what, JsonElement item) where T : struct, Enum =>
        Unknown<T>(what, item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());

    private static string Unknown<T>(string what, string text) where T : struct, Enum =>
        $"unknown {what} '{text}' (known: {string.Join(", ", Enum.GetNames<T>())})";
}
