using System.Net;
using System.Text;
using IntegrationHub.Contracts;

namespace IntegrationHub.Hub.Requests;

/// <summary>The access report as a page a person can read.</summary>
public static class AccessReportPage
{
    public static string Render(AccessReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your data: access report</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}table{border-collapse:collapse;margin:.5rem 0 1.5rem}")
            .Append("td,th{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}.missing{color:#a00;font-weight:bold}</style></head><body>\n");
        html.Append("<h1>Access report (Art. 15 GDPR)</h1>\n<p>Request ").Append(E(report.RequestId.ToString()))
            .Append(", received ").Append(E(report.ReceivedAt.ToString("yyyy-MM-dd"))).Append(" by ").Append(E(report.ReceivedBy))
            .Append(", due ").Append(E(report.DueAt.ToString("yyyy-MM-dd"))).Append(". Status: ").Append(E(report.State)).Append(".</p>\n");
        if (report.NotAnswered.Count > 0)
        {
            html.Append("<p class=\"missing\">Not answered by the deadline: ").Append(E(string.Join(", ", report.NotAnswered)))
                .Append(". Their part of your data is missing from this report.</p>\n");
        }

        html.Append("<h2>Why your data are processed</h2>\n<ul>\n");
        foreach (var purpose in report.Purposes)
        {
            html.Append("<li><b>").Append(E(purpose.Purpose.ToString())).Append("</b>: ").Append(E(purpose.Description)).Append("</li>\n");
        }

        html.Append("</ul>\n<h2>The companies and what each holds</h2>\n");
        foreach (var company in report.Companies)
        {
            html.Append("<h3>").Append(E(company.LegalName)).Append(" (").Append(E(company.Id)).Append(")</h3>\n<p>")
                .Append(E(company.Address)).Append("<br>Privacy notice: ").Append(E(company.PrivacyNotice))
                .Append("<br>Data protection officer: ").Append(E(company.DataProtectionContact));
            if (company.Retention is not null)
            {
                html.Append("<br>How long it keeps your data: ").Append(E(company.Retention));
            }

            html.Append("</p>\n");
            if (!company.Holder)
            {
                html.Append("<p>Holds no data of yours received through the hub.</p>\n");
                continue;
            }

            if (!company.Answered)
            {
                html.Append("<p class=\"missing\">Did not answer.</p>\n");
            }

            html.Append("<table><tr><th>category</th><th>since</th><th>received from</th><th>records</th></tr>\n");
            foreach (var held in company.Holds)
            {
                var records = company.Records?.Where(r => r.Category == held.Category).ToList();
                var cell = records is null ? "(not answered)" : string.Join("<hr>", records.Select(Record));
                html.Append("<tr><td>").Append(E(held.Category.ToString())).Append("</td><td>").Append(E(held.Since.ToString("yyyy-MM-dd")))
                    .Append("</td><td>").Append(E(string.Join(", ", held.Sources))).Append("</td><td>").Append(cell).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<p><small>Generated ").Append(E(report.GeneratedAt.ToString("u"))).Append(", routing policy ").Append(E(report.PolicyVersion))
            .Append(".</small></p>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>One record: its fields, then where and when it came from and what for.</summary>
    private static string Record(CategoryRecord record)
    {
        var origin = new List<string> { "from " + record.SourceCompany };
        origin.AddRange(new[] { record.DealerId, record.Context?.ToString(), record.ContractKind?.ToString(), record.Purpose?.ToString() }.OfType<string>());
        if (record.CapturedAt is { } captured)
        {
            origin.Add("captured " + captured.ToString("yyyy-MM-dd HH:mm"));
        }

        origin.Add("received " + record.ReceivedAt.ToString("yyyy-MM-dd HH:mm"));
        return string.Join("<br>", record.Fields.Select(f => E(f.Key) + ": " + E(f.Value))) + "<br><small>" + E(string.Join(", ", origin)) + "</small>";
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
