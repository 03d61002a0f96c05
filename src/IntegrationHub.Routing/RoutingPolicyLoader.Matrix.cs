using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Routing;

/// <summary>Reading the matrix of the policy file: which company role may receive each category, in which contexts.</summary>
public static partial class RoutingPolicyLoader
{
    private static Dictionary<(DataCategory, PartyRole), IReadOnlyList<ContextSelector>> ReadMatrix(JsonElement root, List<string> errors)
    {
        var cells = new Dictionary<(DataCategory, PartyRole), IReadOnlyList<ContextSelector>>();
        if (!root.TryGetProperty("matrix", out var matrix) || matrix.ValueKind != JsonValueKind.Object)
        {
            errors.Add("matrix: required, an object keyed by data category");
            return cells;
        }

        var seenCategories = new HashSet<DataCategory>();
        foreach (var row in matrix.EnumerateObject())
        {
            var rowPath = $"matrix.{row.Name}";
            if (!TryEnumName<DataCategory>(row.Name, out var category))
            {
                errors.Add($"{rowPath}: {Unknown<DataCategory>("data category", row.Name)}");
                continue;
            }

            seenCategories.Add(category);
            if (row.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{rowPath}: must be an object keyed by company role");
                continue;
            }

            var seenRoles = new HashSet<PartyRole>();
            foreach (var cell in row.Value.EnumerateObject())
            {
                var cellPath = $"{rowPath}.{cell.Name}";
                if (!TryEnumName<PartyRole>(cell.Name, out var role))
                {
                    errors.Add($"{cellPath}: {Unknown<PartyRole>("company role", cell.Name)}");
                    continue;
                }

                seenRoles.Add(role);
                if (cell.Value.ValueKind != JsonValueKind.Array)
                {
                    errors.Add($"{cellPath}: must be an array of contexts ([] for never)");
                    continue;
                }

                var selectors = new List<ContextSelector>();
                var index = 0;
                foreach (var item in cell.Value.EnumerateArray())
                {
                    var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                    var selector = ContextSelector.TryParse(text, out var error);
                    if (selector is null)
                    {
                        errors.Add($"{cellPath}[{index}]: {error}");
                    }
                    else
                    {
                        selectors.Add(selector);
                    }

                    index++;
                }

                cells[(category, role)] = selectors;
            }

            foreach (var role in Enum.GetValues<PartyRole>().Where(r => !seenRoles.Contains(r)))
            {
                errors.Add($"{rowPath}.{role}: missing; write [] where the role never needs the category");
            }
        }

        foreach (var category in Enum.GetValues<DataCategory>().Where(c => !seenCategories.Contains(c)))
        {
            errors.Add($"matrix.{category}: missing row; every data category needs one");
        }

        return cells;
    }
}
