using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Contracts;

/// <summary>One record as a receipt's digest sees it: its id, its category and its fields.</summary>
public readonly record struct DigestedRecord(Guid Id, DataCategory Category, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The digest of an <see cref="ActionReceipt"/>: SHA-256 over the records a command concerned, in a
/// form any language can reproduce (docs/amqp-interface.md, "The receipt"). One line per record,
/// <c>&lt;id as 32 hex digits&gt;|&lt;category&gt;|&lt;fields as canonical JSON&gt;</c>, the lines sorted and joined by a
/// line feed, hashed as UTF-8, written as "sha256:" and 64 lowercase hex digits.
/// </summary>
public static class RecordsDigest
{
    public static string Of(IEnumerable<DigestedRecord> records)
    {
        var lines = records.Select(r => $"{r.Id:N}|{r.Category}|{CanonicalJson(r.Fields)}").Order(StringComparer.Ordinal);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    /// <summary>
    /// A JSON object with its names in code-point order, no spaces, and every character outside
    /// U+0020..U+007E escaped (\", \\, \b, \f, \n, \r, \t, else \u and four lowercase hex digits per
    /// UTF-16 unit): what Python writes with json.dumps(fields, sort_keys=True, separators=(",", ":")).
    /// </summary>
    public static string CanonicalJson(IReadOnlyDictionary<string, string> fields)
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in fields.OrderBy(f => f.Key, CodePointOrder))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            Quote(json, name).Append(':');
            Quote(json, value);
        }

        return json.Append('}').ToString();
    }

    /// <summary>Code-point order, which UTF-8 bytes compared one by one give (UTF-16 ordinal order differs above U+FFFF).</summary>
    private static readonly Comparer<string> CodePointOrder =
        Comparer<string>.Create((a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    private static StringBuilder Quote(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return json.Append('"');
    }
}
