using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The README's run command, as a newcomer would run it from the repository: without a broker, to the
/// end of the scenario, telling every behaviour of DOMAIN.md in plain words.
/// </summary>
public sealed partial class When_the_readme_s_run_command_is_played
{
    [Fact]
    public async Task Should_play_every_behaviour_to_the_end_without_a_broker()
    {
        var repository = Repository();
        var readme = await File.ReadAllTextAsync(Path.Combine(repository, "README.md"));
        var command = RunCommand().Match(readme);
        Assert.True(command.Success, "the README has no run command of the form `dotnet run --project src/IntegrationHub.Cli -- ...`");

        // The command's own arguments, on the CLI that `dotnet run` would build (the tests built it already).
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repository };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in command.Groups["arguments"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("RABBITMQ_URL");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await errors}\n{text}");
        Assert.Contains("How to read it:", text);

        // The dashboard's address and how to sign in come first; without a terminal the demo ends with its scenario.
        Assert.Matches(@"(?m)^dashboard: http://127\.0\.0\.1:\d+", text);
        Assert.Matches(@"(?m)^dashboard: sign in with the token [0-9A-F]{32} ", text);
        Assert.Contains("dashboard: stops with the scenario, as input is not a terminal", text);
        foreach (var context in new[] { "Configuration", "VehicleContract", "PartsAccessories", "Workshop", "MyPorscheConnect", "Events" })
        {
            Assert.Matches($@"captures for \w+: {context}", text);
        }

        Assert.Matches(@"-> OP-NORD\s+gets ContactIdentification", text);
        Assert.Contains("(NoOperationalNeed)", text);
        Assert.Contains("(ConsentMissing)", text);
        Assert.Contains("consent recorded: granted", text);
        Assert.Matches(@"ok PSM\s+InterestProfile Erased 1, EmailEngagement Erased 1", text);
        Assert.Contains("request ConsentWithdrawal", text);
        Assert.Contains("(Objection)", text);
        Assert.Contains("(ProcessingRestricted)", text);
        Assert.Matches(@"ok PFS\s+.*CreditBank KeptRestricted 1 \(kept under", text);
        Assert.Contains("the hub keeps only a tombstone", text);
        Assert.Contains("quarantined, not routed", text);
        Assert.Contains("done, 1 customers handed over", text);
        Assert.Matches(@"OP-NORD\s+holds of Anna: nothing", text);
        Assert.Matches(@"OP-NORD\s+holds of David: ContactIdentification 1", text);
        Assert.Matches(@"-> OP-SUED\s+gets ContactIdentification, VehicleHistory", text);
        Assert.Contains("demo: done:", text);

        var report = Regex.Match(text, @"access report written: done: (?<json>\S+\.json), (?<html>\S+\.html)");
        Assert.True(report.Success, "no access report written");
        Assert.Contains("Porsche Deutschland GmbH", await File.ReadAllTextAsync(report.Groups["html"].Value));

        // Names are told, values never: what the companies captured stays in their stores.
        Assert.DoesNotContain("anna@example.org", text);
        Assert.DoesNotContain("P0301", text);
    }

    private static string Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests do not run from inside the repository");
    }

    [GeneratedRegex(@"^\s*dotnet run --project src/IntegrationHub\.Cli -- (?<arguments>[^\r\n]+)$", RegexOptions.Multiline)]
    private static partial Regex RunCommand();
}
