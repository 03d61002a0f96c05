using System.Diagnostics;
using System.Text.Json.Nodes;

namespace IntegrationHub.IntegrationTests;

/// <summary>The real hub executable, started with a broken policy file, must refuse to start and say why.</summary>
public sealed class When_the_hub_starts_with_a_wrong_policy_file : IDisposable
{
    private readonly string _badPolicy = Path.Combine(Path.GetTempPath(), $"bad-policy-{Guid.NewGuid():N}.json");

    [Theory]
    [InlineData("category", "matrix.Horoscope: unknown data category 'Horoscope'")]
    [InlineData("company", "matrix.Contract.BMW: unknown company role 'BMW'")]
    [InlineData("context", "matrix.Contract.Dealer[0]: unknown context 'Showroom'")]
    public async Task Should_refuse_to_start_and_name_the_wrong_field(string wrong, string message)
    {
        var policy = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "policy", "routing-policy.json")))!;
        switch (wrong)
        {
            case "category":
                policy["matrix"]!["Horoscope"] = policy["matrix"]!["Voluntary"]!.DeepClone();
                break;
            case "company":
                policy["matrix"]!["Contract"]!["BMW"] = new JsonArray("*");
                break;
            case "context":
                policy["matrix"]!["Contract"]!["Dealer"] = new JsonArray("Showroom");
                break;
        }

        await File.WriteAllTextAsync(_badPolicy, policy.ToJsonString());

        var (exitCode, stderr) = await RunHub("serve", $"--Hub:PolicyPath={_badPolicy}",
            $"--Hub:PartiesPath={Path.Combine(AppContext.BaseDirectory, "policy", "parties.json")}");

        Assert.Equal(2, exitCode);
        Assert.Contains("refusing to start", stderr);
        Assert.Contains(message, stderr);
    }

    public void Dispose() => File.Delete(_badPolicy);

    private static async Task<(int ExitCode, string Stderr)> RunHub(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the hub did not stop within 60 s although its policy file is wrong");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
