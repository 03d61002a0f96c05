using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Cli;

/// <summary>
/// What the `hub` command shows a person: tables for ledgers and statuses, and a progress bar for long
/// waits when a terminal is attached. Redirected output (a script, a test) gets one plain line per
/// change instead, so nothing depends on a terminal.
/// </summary>
internal static class Terminal
{
    public static bool Interactive => !Console.IsOutputRedirected;

    /// <summary>A table of plain text cells (never read as markup: values such as "[x]" stay as they are).</summary>
    public static void Table(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        // Redirected output has no width of its own; rows of a script's output should not wrap at 80.
        if (!Interactive)
        {
            AnsiConsole.Profile.Width = 240;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>
    /// Polls <paramref name="poll"/> every half second until it says done: a progress bar on a
    /// terminal, otherwise a line whenever the description changes. Returns the last value seen.
    /// </summary>
    public static async Task<T> Follow<T>(string title, Func<Task<T>> poll, Func<T, (string Line, int Done, int Total, bool Finished)> describe, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var current = await poll();
        if (!Interactive)
        {
            string? printed = null;
            while (true)
            {
                var (line, _, _, finished) = describe(current);
                if (line != printed)
                {
                    Console.WriteLine(line);
                    printed = line;
                }

                if (finished || DateTime.UtcNow > deadline)
                {
                    return current;
                }

                await Task.Delay(500);
                current = await poll();
            }
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(title));
                while (true)
                {
                    var (_, done, total, finished) = describe(current);
                    task.Description = Markup.Escape($"{title}: {done} of {total}");
                    task.MaxValue = Math.Max(1, total);
                    task.Value = finished ? task.MaxValue : done;
                    if (finished || DateTime.UtcNow > deadline)
                    {
                        task.StopTask();
                        return;
                    }

                    await Task.Delay(500);
                    current = await poll();
                }
            });
        Console.WriteLine(describe(current).Line);
        return current;
    }
}
