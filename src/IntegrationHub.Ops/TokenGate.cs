using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Ops;

/// <summary>
/// Every page and API of the dashboard behind the configured token: as a bearer token (scripts) or
/// as the cookie the sign-in form sets (browsers). Without it an API call gets 401 and a page the
/// sign-in form, nothing else. Changes (moving a message back) also need a header that a form on
/// another site cannot send, so a signed-in browser cannot be made to move messages by another page.
/// </summary>
public static class TokenGate
{
    public const string CookieName = "ops-token";
    public const string ChangeHeader = "X-Ops-Dashboard";

    public static void UseTokenGate(this WebApplication app, OpsOptions options)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        app.MapGet("/login", () => Results.Content(SignInPage(failed: false), "text/html; charset=utf-8"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (!Matches(form["token"].ToString(), expected))
            {
                return Results.Content(SignInPage(failed: true), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            http.Response.Cookies.Append(CookieName, form["token"].ToString(),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/" });
            return Results.Redirect("/");
        }).DisableAntiforgery();

        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/login"))
            {
                await next(http);
                return;
            }

            var presented = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
                ? header["Bearer ".Length..]
                : http.Request.Cookies[CookieName] ?? "";
            if (!Matches(presented, expected))
            {
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await http.Response.WriteAsync("the dashboard's token is required");
                }
                else
                {
                    http.Response.Redirect("/login");
                }

                return;
            }

            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !http.Request.Headers.ContainsKey(ChangeHeader))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsync($"changes need the {ChangeHeader} header");
                return;
            }

            await next(http);
        });
    }

    // Compared as hashes of equal length in constant time: the answer's timing tells nothing about the token.
    private static bool Matches(string presented, byte[] expected) =>
        presented.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);

    private static string SignInPage(bool failed) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Integration Hub operations: sign in</title>
        <style>body{font-family:system-ui,sans-serif;background:#f4f5f7}.login{max-width:26rem;margin:6rem auto;background:#fff;padding:2rem;border-radius:6px}
        input{width:100%;margin:.5rem 0 1rem;padding:.4rem}.refused{color:#b00020}</style></head>
        <body><main class="login"><h1>Integration Hub operations</h1>
        <form method="post" action="/login">
        <label>Token <input type="password" name="token" autocomplete="current-password" autofocus></label>
        <button type="submit">Sign in</button></form>
        {{(failed ? "<p class=\"refused\">That is not the dashboard's token.</p>" : "<p>The token is the dashboard's <code>Ops:Token</code> setting.</p>")}}
        </main></body></html>
        """;
}
