using System.Security.Cryptography;
using IntegrationHub.Ops;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Cli;

/// <summary>
/// The operations dashboard inside the demo's process, reading the demo's hub store (read-only, as in
/// production). On the in-memory transport there is no broker for its queue pages, and they say so.
/// Listens on 127.0.0.1:5080 unless <c>--Ops:Urls</c> says otherwise; when that port is taken, on a
/// free one. Its token is <c>--Ops:Token</c> (or <c>Ops__Token</c>) when given, else made for this run.
/// </summary>
internal sealed class DemoDashboard : IAsyncDisposable
{
    private const string DefaultUrls = "http://127.0.0.1:5080";

    private readonly WebApplication _app;

    private DemoDashboard(WebApplication app, string address, string token, bool tokenMade, string? fallback)
    {
        _app = app;
        Address = address;
        Token = token;
        TokenMade = tokenMade;
        Fallback = fallback;
    }

    public string Address { get; }

    public string Token { get; }

    /// <summary>The token was made for this run (none was configured).</summary>
    public bool TokenMade { get; }

    /// <summary>Why the dashboard does not listen where it was asked to, if it does not.</summary>
    public string? Fallback { get; }

    public static async Task<DemoDashboard> Start(string hubDatabasePath, bool inMemory)
    {
        var configuration = HubCommandLine.Configuration();
        var configured = configuration["Ops:Token"];
        var token = string.IsNullOrEmpty(configured) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) : configured;
        var urls = configuration["Ops:Urls"] ?? DefaultUrls;
        try
        {
            return await Start(Arguments(token, urls, hubDatabasePath, inMemory), token, token != configured, fallback: null);
        }
        catch (IOException taken) when (configuration["Ops:Urls"] is null)
        {
            // 5080 is in use (another demo, another dashboard): any free loopback port will do for a demo.
            var reason = $"{DefaultUrls} is taken ({taken.InnerException?.Message ?? taken.Message})";
            return await Start(Arguments(token, "http://127.0.0.1:0", hubDatabasePath, inMemory), token, token != configured, reason);
        }
    }

    private static async Task<DemoDashboard> Start(string[] arguments, string token, bool tokenMade, string? fallback)
    {
        var app = OpsApplication.Build(arguments, builder => builder.Logging.ClearProviders());
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new DemoDashboard(app, OpsApplication.Address(app), token, tokenMade, fallback);
    }

    // The user's overrides (--Ops:*, --Broker:* for the ops user) first; then what the demo decides.
    private static string[] Arguments(string token, string urls, string hubDatabasePath, bool inMemory) =>
    [
        .. HubCommandLine.Overrides,
        $"--Ops:Token={token}",
        $"--Ops:Urls={urls}",
        $"--Ops:DatabasePath={hubDatabasePath}",
        $"--Ops:InMemoryTransport={inMemory}",
    ];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
