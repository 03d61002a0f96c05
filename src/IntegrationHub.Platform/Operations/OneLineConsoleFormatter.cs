using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace IntegrationHub.Platform.Operations;

/// <summary>
/// One line per log event, also when it carries an exception: the chain of exception types and the
/// innermost message, never a stack trace. A broker that cannot be reached is then one line per
/// attempt naming the address and the reason (MassTransit's "Connection Failed:
/// rabbitmq://host:port/vhost", "... Connection refused"), not dozens of lines of stack trace.
/// </summary>
public sealed class OneLineConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception)?.ReplaceLineEndings(" ");
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Level(logEntry.LogLevel)} {logEntry.Category}: {message}");
        if (logEntry.Exception is { } exception)
        {
            var innermost = exception;
            var types = new List<string> { exception.GetType().Name };
            while (innermost.InnerException is { } inner)
            {
                innermost = inner;
                types.Add(inner.GetType().Name);
            }

            textWriter.Write($" [{string.Join(" > ", types)}: {innermost.Message.ReplaceLineEndings(" ")}]");
        }

        textWriter.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info", LogLevel.Warning => "warn",
        LogLevel.Error => "fail", LogLevel.Critical => "crit", _ => "none",
    };
}

public static class OneLineConsoleLogging
{
    /// <summary>The console log of a long-running process: one line per event (see <see cref="OneLineConsoleFormatter"/>).</summary>
    public static ILoggingBuilder AddOneLineConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(console => console.FormatterName = OneLineConsoleFormatter.FormatterName);
        logging.AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>();
        return logging;
    }
}
