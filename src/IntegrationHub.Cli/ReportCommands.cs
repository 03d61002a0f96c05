using System.Text.Json;
using IntegrationHub.Hub.Requests;

namespace IntegrationHub.Cli;

/// <summary>
/// The answers to access and portability requests, written for the customer: the access report (JSON
/// and HTML) and the portability package. Once written for a done request, the hub deletes the values
/// it gathered for them.
/// </summary>
public static class ReportCommands
{
    public static Task<int> AccessReport(string[] args) => DeskCommands.WithDesk(args, async (desk, config) =>
    {
        if (!Guid.TryParse(config["request"], out var requestId))
        {
            Console.Error.WriteLine("usage: hub access-report --request <id> [--out <directory>]");
            return 64;
        }

        if (await AlreadyWritten(desk, requestId))
        {
            return 1;
        }

        var report = await desk.AccessReport(requestId);
        if (report is null)
        {
            Console.Error.WriteLine($"hub: no access request {requestId} at this hub");
            return 1;
        }

        var directory = config["out"] ?? ".";
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"access-report-{requestId}.json");
        var html = Path.Combine(directory, $"access-report-{requestId}.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, RequestDesk.ReportJson));
        await File.WriteAllTextAsync(html, AccessReportPage.Render(report));
        Console.WriteLine($"{report.State}: {json}, {html}" + (report.NotAnswered.Count == 0 ? "" : $" (not answered: {string.Join(", ", report.NotAnswered)})"));
        await ForgetWhenDone(desk, requestId, report.State, "access report");
        return 0;
    });

    public static Task<int> Portability(string[] args) => DeskCommands.WithDesk(args, async (desk, config) =>
    {
        if (!Guid.TryParse(config["request"], out var requestId))
        {
            Console.Error.WriteLine("usage: hub portability --request <id> [--out <file.zip>]");
            return 64;
        }

        if (await AlreadyWritten(desk, requestId))
        {
            return 1;
        }

        var path = config["out"] ?? $"portability-{requestId}.zip";
        await using (var file = File.Create(path))
        {
            if (!await desk.WritePortabilityPackage(requestId, file))
            {
                Console.Error.WriteLine($"hub: no portability request {requestId} at this hub");
                return 1;
            }
        }

        Console.WriteLine(path);
        await ForgetWhenDone(desk, requestId, (await desk.Status(requestId))?.State, "portability package");
        return 0;
    });

    // The gathered values leave the hub with the finished report or package; a report of a request
    // still waiting for answers keeps them, so the final one is complete.
    private static async Task ForgetWhenDone(RequestDesk desk, Guid requestId, string? state, string writtenAs)
    {
        if (state == "done")
        {
            var deleted = await desk.ForgetAnswers(requestId, writtenAs);
            Console.WriteLine($"{deleted} gathered answers deleted from the hub; the request keeps its receipts and times");
        }
    }

    private static async Task<bool> AlreadyWritten(RequestDesk desk, Guid requestId)
    {
        if (await desk.ReportWrittenAt(requestId) is not { } at)
        {
            return false;
        }

        Console.Error.WriteLine($"hub: the answers of request {requestId} were written out at {at:u} and then deleted from the hub; " +
                                "for another copy, submit a new request");
        return true;
    }
}
