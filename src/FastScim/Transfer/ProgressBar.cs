using System.Globalization;

namespace FastScim.Transfer;

/// <summary>
/// <c>[#########.....................] 512/1000 users</c> on one line of a terminal, redrawn in
/// place with a carriage return. Only ever given a terminal: redirected to a file or a pipe, the
/// redrawn lines would be noise.
/// </summary>
internal sealed class ProgressBar(TextWriter terminal)
{
    private const int Width = 30;
    private bool _shown;

    public void Show(int done, int total, string what)
    {
        var filled = total == 0 ? Width : (int)((long)Math.Min(done, total) * Width / total);
        terminal.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {what}"));
        terminal.Flush();
        _shown = true;
    }

    /// <summary>Leaves the last state on its line and moves on to the next.</summary>
    public void End()
    {
        if (_shown)
        {
            terminal.WriteLine();
            _shown = false;
        }
    }
}
