namespace IntegrationHub.Contracts;

/// <summary>
/// Customer data by category: each category holds named fields (for example
/// <c>ContactIdentification: { "familyName": "...", "email": "..." }</c>). The category is what the
/// routing policy decides on; field names are free for the companies to agree on.
/// </summary>
public sealed class CategoryData : Dictionary<DataCategory, Dictionary<string, string>>
{
    public CategoryData()
    {
    }

    public CategoryData(IEnumerable<KeyValuePair<DataCategory, Dictionary<string, string>>> entries)
        : base(entries)
    {
    }
}
