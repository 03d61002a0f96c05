using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Cli;

/// <summary>
/// The corrected values of a rectification, from a JSON file of the shape the wire uses for data:
/// <c>{"ContactIdentification": {"email": "new@example.org"}}</c>. Checked whole before anything is
/// sent; a problem is named by file, category and field, never by value.
/// </summary>
internal static class CorrectionsFile
{
    public const string Shape = "{\"<category>\": {\"<field>\": \"<corrected value>\", ...}, ...}";

    public static (CategoryData? Corrections, string? Problem) Read(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, $"rectification needs --values <file.json> with the corrected values: {Shape}");
        }

        if (!File.Exists(path))
        {
            return (null, $"--values: no file {path}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            // The parser's own message quotes the offending text, which may be a value: say only where.
            return (null, $"--values: {path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"--values: {path} must hold one JSON object {Shape}");
            }

            var corrections = new CategoryData();
            foreach (var category in document.RootElement.EnumerateObject())
            {
                if (!Enum.TryParse<DataCategory>(category.Name, ignoreCase: false, out var known) || !Enum.IsDefined(known) || int.TryParse(category.Name, out _))
                {
                    return (null, $"--values: '{category.Name}' is not a data category; categories: {string.Join(", ", Enum.GetNames<DataCategory>())}");
                }

                if (corrections.ContainsKey(known))
                {
                    return (null, $"--values: category {known} appears twice");
                }

                if (category.Value.ValueKind != JsonValueKind.Object || !category.Value.EnumerateObject().Any())
                {
                    return (null, $"--values: category {known} must map at least one field to its corrected value");
                }

                var fields = new Dictionary<string, string>();
                foreach (var field in category.Value.EnumerateObject())
                {
                    if (field.Value.ValueKind != JsonValueKind.String)
                    {
                        return (null, $"--values: field '{field.Name}' of {known} must be a string");
                    }

                    if (!fields.TryAdd(field.Name, field.Value.GetString()!))
                    {
                        return (null, $"--values: field '{field.Name}' of {known} appears twice");
                    }
                }

                corrections[known] = fields;
            }

            return corrections.Count == 0 ? (null, $"--values: {path} holds no category; expected {Shape}") : (corrections, null);
        }
    }
}
