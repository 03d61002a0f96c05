using IntegrationHub.Ops;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>The operations dashboard as it runs in production, on a free loopback port, against the real broker and a hub's store.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardProcess(WebApplication app, string address, string token)
    {
        _app = app;
        Address = address.TrimEnd('/');
        Token = token;
    }

    public string Address { get; }

    public string Token { get; }

    public static async Task<DashboardProcess> Start(string hubDatabasePath)
    {
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var app = OpsApplication.Build([$"--Ops:Token={token}", $"--Ops:DatabasePath={hubDatabasePath}", "--Ops:Urls=http://127.0.0.1:0"]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DashboardProcess(app, address, token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
