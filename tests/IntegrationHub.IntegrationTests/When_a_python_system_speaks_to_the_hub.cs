using System.Diagnostics;
using System.Text.Json;

namespace IntegrationHub.IntegrationTests;

/// <summary>A company system in Python (Debian's python3-pika), written from docs/amqp-interface.md alone.</summary>
[Collection(HubCollection.Name)]
public sealed class When_a_python_system_speaks_to_the_hub(HubProcess hub)
{
    // python3-pika is Debian's package for Debian's interpreter, which need not be the first python3 on the PATH.
    private const string DebianPython = "/usr/bin/python3";

    [Fact]
    public async Task Should_publish_a_capture_and_consume_the_minimised_delivery_from_its_own_queue()
    {
        Assert.NotNull(hub.Services);
        var customer = Guid.NewGuid();
        var start = new ProcessStartInfo(DebianPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", "company_system.py"));
        start.ArgumentList.Add("pd");
        start.ArgumentList.Add("pag");
        start.ArgumentList.Add(customer.ToString());
        start.ArgumentList.Add(Broker.Settings("pd").Host);
        start.ArgumentList.Add(Broker.Settings("pd").Port.ToString());

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"the Python system failed ({process.ExitCode}): {await stderr}");
        using var result = JsonDocument.Parse(await stdout);
        Assert.Equal("PAG", result.RootElement.GetProperty("recipient").GetString());
        Assert.Equal(customer, result.RootElement.GetProperty("customerId").GetGuid());
        Assert.Equal(["ContactIdentification", "VehicleHistory"], result.RootElement.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));
    }
}
