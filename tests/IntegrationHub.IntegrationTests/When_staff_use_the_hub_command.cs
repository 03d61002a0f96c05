using IntegrationHub.Contracts;
using IntegrationHub.Hub.Messages;
using IntegrationHub.Hub.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>The `hub` command line, as a data-protection officer would use it against the running hub.</summary>
[Collection(HubCollection.Name)]
public sealed class When_staff_use_the_hub_command(HubProcess hub)
{
    [Fact]
    public async Task Should_submit_an_access_request_and_follow_it_to_its_report()
    {
        var customer = Guid.NewGuid();

        var (submitted, requestOutput, requestErrors) = await Hub("request", "access", "--customer", customer.ToString(), "--received-by", "PD");
        Assert.True(submitted == 0, requestErrors);
        var requestId = Guid.Parse(requestOutput.Trim());

        // Nobody holds data of a customer the hub has never seen, so the request is done at once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status;
        do
        {
            (_, status, _) = await Hub("status", "--request", requestId.ToString(), $"--Hub:DatabasePath={hub.DatabasePath}");
        }
        while (!status.Contains(": done;") && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));

        Assert.Contains($"Access {requestId} for customer {customer}: done;", status);
        var output = Path.Combine(Path.GetTempPath(), "ih-report-" + Guid.NewGuid().ToString("N"));
        var (reported, reportOutput, reportErrors) = await Hub("access-report", "--request", requestId.ToString(), "--out", output, $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.True(reported == 0, reportErrors);
        Assert.StartsWith("done:", reportOutput);
        Assert.Contains("Porsche Deutschland GmbH", await File.ReadAllTextAsync(Path.Combine(output, $"access-report-{requestId}.html")));
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public async Task Should_follow_a_request_to_its_end()
    {
        var (exitCode, output, errors) = await Hub("request", "erasure", "--customer", Guid.NewGuid().ToString(), "--follow", $"--Hub:DatabasePath={hub.DatabasePath}");

        Assert.True(exitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var requestId = Guid.Parse(lines[0].Trim());
        Assert.Equal($"request {requestId}: done, answered 0 of 0", lines[^1].Trim());
    }

    [Fact]
    public async Task Should_refuse_a_ledger_without_its_customer_before_opening_the_store()
    {
        var (refused, _, refusal) = await Hub("ledger", $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.Equal(64, refused);
        Assert.Contains("--customer <ID> is required", refusal);

        var (exitCode, output, _) = await Hub("ledger", "--customer", Guid.NewGuid().ToString(), $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.Equal(1, exitCode);
        Assert.Contains("(never known)", output);
    }

    [Fact]
    public async Task Should_announce_a_takeover_and_follow_it_to_the_end()
    {
        var (exitCode, output, errors) = await Hub("takeover", "--dealer", "PZ-LEIPZIG", "--from", "OP-SUED", "--to", "OP-NORD", "--follow", $"--Hub:DatabasePath={hub.DatabasePath}");

        Assert.True(exitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var takeoverId = Guid.Parse(lines[0].Trim());
        Assert.Contains($"takeover {takeoverId}: PZ-LEIPZIG OP-SUED -> OP-NORD", output);
        Assert.Contains("done, 0 customers handed over", lines[^1]);
    }

    [Fact]
    public async Task Should_record_a_consent_withdrawal_on_the_customer_s_behalf()
    {
        var customer = Guid.NewGuid();
        await Broker.PublishAs("pd", "inbound.consent-given", new ConsentGiven
        {
            ConsentId = Guid.NewGuid(), CustomerId = customer, Channel = ConsentChannel.Web, WordingVersion = "2026-03", CapturedBy = "PD",
            GivenAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        });
        await Eventually.Until(() => Desk(d => d.Customer(customer)), c => c?.ConsentGiven == true, "consent recorded");

        var (exitCode, output, errors) = await Hub("consent", "withdraw", "--customer", customer.ToString(), "--channel", "phone", "--received-by", "PSM");

        Assert.True(exitCode == 0, errors);
        var withdrawal = Guid.Parse(output.Trim());
        var state = await Eventually.Until(() => Desk(d => d.Customer(customer)), c => c?.ConsentGiven == false, "consent withdrawn");
        Assert.Equal((false, ConsentChannel.Phone, "PSM", withdrawal), (state!.Consent!.Granted, state.Consent.Channel, state.Consent.CapturedBy, state.Consent.ConsentId));
        var status = await Eventually.Until(() => Desk(d => d.Status(withdrawal)), s => s?.State == "done", "the withdrawal's deletion done");
        Assert.Equal(RequestKind.ConsentWithdrawal, status!.Kind);
    }

    [Fact]
    public async Task Should_refuse_a_rectification_whose_values_file_is_wrong_naming_the_field_and_never_the_value()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ih-values-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"ContactIdentification": {"email": "neu@example.org", "familyName": ["Beispiel-Neu"]}}""");

        var (exitCode, output, errors) = await Hub("request", "rectification", "--customer", Guid.NewGuid().ToString(), "--values", file);

        File.Delete(file);
        Assert.Equal(65, exitCode);
        Assert.Empty(output);
        Assert.Contains("field 'familyName' of ContactIdentification must be a string", errors);
        Assert.DoesNotContain("Beispiel-Neu", errors);
        Assert.DoesNotContain("neu@example.org", errors);
    }

    [Fact]
    public async Task Should_extend_an_open_request_once_with_its_reason()
    {
        // PSM alone receives a My Porsche login, and no PSM system runs here: the access request stays open.
        var customer = Guid.NewGuid();
        var capture = new CustomerDataCaptured
        {
            CaptureId = Guid.NewGuid(), CustomerId = customer, SourceCompany = "PAG", Context = CaptureContext.MyPorscheConnect, Purpose = Purpose.JointCare,
            CapturedAt = DateTimeOffset.UtcNow, Data = new CategoryData { [DataCategory.PorscheIdAccount] = new() { ["login"] = "kunde@example.org" } },
        };
        await Broker.PublishAs("pag", "inbound.customer-data-captured", capture);
        Assert.True(await hub.WaitUntilDispatched(capture.CaptureId, TimeSpan.FromSeconds(30)), "capture not dispatched");
        var (_, requested, _) = await Hub("request", "access", "--customer", customer.ToString());
        var requestId = Guid.Parse(requested.Trim());
        var open = await Eventually.Until(() => Desk(d => d.Status(requestId)), s => s?.WaitingFor.SequenceEqual(["PSM"]) == true, "the request waiting for PSM");

        const string Reason = "many requests at once: the customer asked every company of the group";
        var (exitCode, output, errors) = await Hub("extend", "--request", requestId.ToString(), "--reason", Reason, $"--Hub:DatabasePath={hub.DatabasePath}");

        Assert.True(exitCode == 0, errors);
        Assert.Equal(requestId, Guid.Parse(output.Trim()));
        var extended = await Eventually.Until(() => Desk(d => d.Status(requestId)), s => s?.ExtensionReason is not null, "the deadline extended");
        Assert.Equal((Reason, open!.ReceivedAt.AddMonths(3)), (extended!.ExtensionReason, extended.DueAt));

        var (again, _, refusal) = await Hub("extend", "--request", requestId.ToString(), "--reason", Reason, $"--Hub:DatabasePath={hub.DatabasePath}");
        Assert.Equal(65, again);
        Assert.Contains("was extended before", refusal);
    }

    private async Task<T> Desk<T>(Func<RequestDesk, Task<T>> ask)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        return await ask(scope.ServiceProvider.GetRequiredService<RequestDesk>());
    }

    private static Task<(int ExitCode, string Output, string Errors)> Hub(params string[] arguments) => HubCommand.Run(arguments);
}
