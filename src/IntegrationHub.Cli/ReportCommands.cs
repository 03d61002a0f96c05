using System.ComponentModel;
using System.Text.Json;
using IntegrationHub.Hub.Requests;
using Spectre.Console.Cli;

namespace IntegrationHub.Cli;

/// <summary>
/// The answers to access and portability requests, written for the customer: the access report (JSON
/// and HTML) and the portability package. Once written for a done request, the hub deletes the values
/// it gathered for them.
/// </summary>
internal sealed class AccessReportCommand : AsyncCommand<AccessReportCommand.Settings>
{
    public sealed class Settings : RequestSettings
    {
        [CommandOption("--out <DIRECTORY>")]
        [Description("Where the JSON and HTML files go (default: the current directory)")]
        public string Out { get; init; } = ".";
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With<RequestDesk>((desk, _) => Write(desk, settings.Request!.Value, settings.Out));

    /// <summary>Writes the report as JSON and HTML into <paramref name="directory"/>; the demo uses it too.</summary>
    internal static async Task<int> Write(RequestDesk desk, Guid requestId, string directory)
    {
        if (await ReportRetention.AlreadyWritten(desk, requestId))
        {
            return 1;
        }

        var report = await desk.AccessReport(requestId);
        if (report is null)
        {
            Console.Error.WriteLine($"hub: no access request {requestId} at this hub");
            return 1;
        }

        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, $"access-report-{requestId}.json");
        var html = Path.Combine(directory, $"access-report-{requestId}.html");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, RequestDesk.ReportJson));
        await File.WriteAllTextAsync(html, AccessReportPage.Render(report));
        Console.WriteLine($"{report.State}: {json}, {html}" + (report.NotAnswered.Count == 0 ? "" : $" (not answered: {string.Join(", ", report.NotAnswered)})"));
        await ReportRetention.ForgetWhenDone(desk, requestId, report.State, "access report");
        return 0;
    }
}

internal sealed class PortabilityCommand : AsyncCommand<PortabilityCommand.Settings>
{
    public sealed class Settings : RequestSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("The zip file to write (default portability-<id>.zip)")]
        public string? Out { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        HubStore.With<RequestDesk>(async (desk, _) =>
    {
        var requestId = settings.Request!.Value;
        if (await ReportRetention.AlreadyWritten(desk, requestId))
        {
            return 1;
        }

        var path = settings.Out ?? $"portability-{requestId}.zip";
        await using (var file = File.Create(path))
        {
            if (!await desk.WritePortabilityPackage(requestId, file))
            {
                Console.Error.WriteLine($"hub: no portability request {requestId} at this hub");
                return 1;
            }
        }

        Console.WriteLine(path);
        await ReportRetention.ForgetWhenDone(desk, requestId, (await desk.Status(requestId))?.State, "portability package");
        return 0;
    });
}

internal static class ReportRetention
{
    // The gathered values leave the hub with the finished report or package; a report of a request
    // still waiting for answers keeps them, so the final one is complete.
    public static async Task ForgetWhenDone(RequestDesk desk, Guid requestId, string? state, string writtenAs)
    {
        if (state == "done")
        {
            var deleted = await desk.ForgetAnswers(requestId, writtenAs);
            Console.WriteLine($"{deleted} gathered answers deleted from the hub; the request keeps its receipts and times");
        }
    }

    public static async Task<bool> AlreadyWritten(RequestDesk desk, Guid requestId)
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
