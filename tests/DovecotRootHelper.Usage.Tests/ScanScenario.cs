using System.IO.Compression;
using System.Text;
using DovecotRootHelper.Usage.Logs;
using DovecotRootHelper.Usage.Scan;
using DovecotRootHelper.Usage.Store;

namespace DovecotRootHelper.Usage.Tests;

/// <summary>A temporary directory with a usage database and log files, and what the database holds.</summary>
internal sealed class ScanScenario : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ScanScenario()
    {
        Database = Path.Combine(_directory.Path, "usage.sqlite");
    }

    public string Database { get; }

    public string PathOf(string name) => Path.Combine(_directory.Path, name);

    public string Append(string name, IEnumerable<string> lines)
    {
        string path = PathOf(name);
        File.AppendAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }

    /// <summary>logrotate with compress and delaycompress: NAME.1 becomes NAME.2.gz, NAME becomes NAME.1, a new empty NAME.</summary>
    public void Rotate(string name)
    {
        string first = PathOf(name + ".1");
        if (File.Exists(first))
        {
            using (FileStream input = File.OpenRead(first))
            using (FileStream output = File.Create(PathOf(name + ".2.gz")))
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
                input.CopyTo(gzip);
            File.Delete(first);
        }
        File.Move(PathOf(name), first);
        File.WriteAllText(PathOf(name), "");
    }

    public List<FileScanResult> Scan(params string[] paths) => Scan(null, paths);

    public List<FileScanResult> Scan(IScanObserver? observer, params string[] paths) => Scan(observer, 1, int.MaxValue, paths);

    /// <summary>A scan that commits after <paramref name="commitBytes"/> of lines or <paramref name="commitKeys"/> sums and changes.</summary>
    public List<FileScanResult> Scan(IScanObserver? observer, long commitBytes, int commitKeys, params string[] paths)
    {
        using UsageStore store = UsageStore.Open(Database);
        return new LogScan(store, new LogLineParser(MailboxNaming.Default), observer) { CommitBytes = commitBytes, CommitKeys = commitKeys }.Run(paths);
    }

    /// <summary>Every row of the usage tables, one string each, sorted: what two scans must agree on.</summary>
    public List<string> Rows()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (string table in new[] { "mailbox_use", "list_use", "mailbox_life" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                rows.Add(table + ": " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>user mailbox command count, one string a row, sorted.</summary>
    public List<string> Uses()
    {
        using UsageStore store = UsageStore.Open(Database);
        return [.. new[] { "bob", "carol" }.SelectMany(u => store.Mailboxes(u).SelectMany(m => m.Commands.Select(c => $"{u} {m.Mailbox} {c.Key} {c.Value}"))).Order(StringComparer.Ordinal)];
    }

    public static IEnumerable<string> Selects(string user, string mailbox, int count, int minute = 0) =>
        Enumerable.Range(0, count).Select(i => Lines.Exported(user, "SELECT", $"\"{mailbox}\"", time: $"2026-11-29T10:{minute:00}:{i % 60:00}.000000Z"));

    public void Dispose() => _directory.Dispose();

    public static string Text(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    public static byte[] Bytes(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(Text(lines));
}
