using DovecotRootHelper.Migration;

namespace DovecotRootHelper.Cli;

/// <summary>Where imaproot reads and writes, and whether a person is at the other end.</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool InputIsTerminal, bool OutputIsTerminal)
{
    public static CliConsole System => new(
        Console.In, Console.Out, Console.Error, !Console.IsInputRedirected, !Console.IsOutputRedirected);

    public void Warn(string message) => Error.WriteLine("imaproot: warning: " + PrintableText.Escape(message));
}
