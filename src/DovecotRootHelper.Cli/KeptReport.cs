using System.Text;
using DovecotRootHelper.Posix;

namespace DovecotRootHelper.Cli;

/// <summary>
/// A report kept in the journal directory as STEM.txt and STEM.json, both created new (O_EXCL), so
/// that no report ever replaces another: a stem another report holds (two batches in one second)
/// gives way to STEM-2, STEM-3 and so on. A crash while writing leaves a short report, never a lost one.
/// </summary>
internal sealed class KeptReport : IDisposable
{
    private const int MaxSuffix = 1000;

    private readonly FileDescriptor _text;
    private readonly FileDescriptor _json;

    private KeptReport(string textPath, FileDescriptor text, FileDescriptor json)
    {
        TextPath = textPath;
        _text = text;
        _json = json;
    }

    /// <summary>Where the text report is (the JSON one beside it, with .json).</summary>
    public string TextPath { get; }

    /// <summary>Creates the two files under the first free stem.</summary>
    /// <exception cref="IOException">They cannot be created, or STEM to STEM-1000 are all taken.</exception>
    public static KeptReport Create(string directory, string stem)
    {
        for (int n = 1; n <= MaxSuffix; n++)
        {
            string name = Path.Combine(directory, n == 1 ? stem : $"{stem}-{n}");
            if (Sys.TryCreateNew(name + ".txt", FileModes.UserReadWrite) is not { } text)
                continue;
            FileDescriptor? json = null;
            try
            {
                json = Sys.TryCreateNew(name + ".json", FileModes.UserReadWrite);
            }
            finally
            {
                if (json is null)
                {
                    text.Dispose();
                    Sys.UnlinkIfExists(name + ".txt");
                }
            }
            if (json is not null)
                return new KeptReport(name + ".txt", text, json);
        }
        throw new IOException($"{Path.Combine(directory, stem)}: reports up to -{MaxSuffix} exist already");
    }

    /// <summary>Writes both reports and makes them durable.</summary>
    public void Write(string text, string json)
    {
        string jsonPath = Path.ChangeExtension(TextPath, ".json");
        Sys.WriteAll(_text.Number, Encoding.UTF8.GetBytes(text), TextPath);
        Sys.WriteAll(_json.Number, Encoding.UTF8.GetBytes(json), jsonPath);
        Sys.Sync(_text, TextPath);
        Sys.Sync(_json, jsonPath);
        Sys.SyncDirectory(Path.GetDirectoryName(TextPath) ?? ".");
    }

    public void Dispose()
    {
        _text.Dispose();
        _json.Dispose();
    }
}
