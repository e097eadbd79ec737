using System.Globalization;
using System.Text;
using DovecotRootHelper.Configuration;
using DovecotRootHelper.Locations;
using DovecotRootHelper.Posix;
using DovecotRootHelper.State;

namespace DovecotRootHelper.Dovecot;

/// <summary>
/// The all-services setup's userdb, derived from the state file and the config so that Dovecot
/// itself decides every service's root with no process per login or delivery. Two files:
/// <list type="bullet">
/// <item><c>[state] userdb</c>, a passwd-file userdb chained after the system userdb: one line per
/// listed user with that user's location fields, or <c>tempfail</c> for a user being migrated
/// (logins and deliveries fail temporarily). Dovecot re-reads it when its mtime or size changes.</item>
/// <item><c>[state] userdb</c> + <c>-unlisted.conf</c>, included into the system userdb's section:
/// the location of users the file does not list (<c>[state] default</c>, and
/// <c>migrated-from-uid</c> as Dovecot's own uid comparison, so accounts created later need no
/// rewrite). Read when Dovecot starts or reloads.</item>
/// </list>
/// Beside them the passdb that refuses migrating users at authentication (UserdbOverlay.Refusal.cs).
/// All are written under the state file's lock by every imaproot command that writes the state file,
/// owned by the user imaproot runs as, in a directory that passes <see cref="TrustedDirectory"/>'s rule.
/// </summary>
public sealed partial class UserdbOverlay : IStateFileCompanion
{
    /// <summary>
    /// The userdb's reason for a migrating user (passwd-file fields cannot hold blanks): what LMTP and
    /// doveadm log, and what a login reads only where the passdb refusal is not installed.
    /// </summary>
    public const string MigratingReason = "Mailboxes-are-being-moved,-please-try-again-in-a-few-minutes";

    private const string HelperFieldPrefix = "dovecot_root_helper_";
    private readonly HelperConfig _config;
    // The passwd-file is streamed through a buffer this size: at 100,000 users the whole file in
    // memory cost more in page faults than writing it.
    private const int ChunkSize = 64 * 1024;
    private DateTime? _written;

    private UserdbOverlay(HelperConfig config, string path)
    {
        _config = config;
        Path = path;
    }

    /// <summary>The passwd-file.</summary>
    public string Path { get; }

    /// <summary>The include for unlisted users.</summary>
    public string UnlistedPath => UnlistedPathFor(Path);

    /// <summary>The overlay the config asks for, or null when <c>[state] userdb</c> is unset.</summary>
    public static UserdbOverlay? For(HelperConfig config) =>
        config.UserdbFile is { } path ? new UserdbOverlay(config, path) : null;

    public static string UnlistedPathFor(string path) => path + "-unlisted.conf";

    // Every user name the state file holds can be a passwd-file's first field (UserName's rule
    // excludes ':' and a leading '#'), so only the config can make the userdb unwritable.
    public void Validate(StateFileContents contents)
    {
        RequireTrustedDirectory();
        _ = TextFor(contents.Path);
    }

    public void Write(StateFileContents contents)
    {
        RequireTrustedDirectory();
        byte[] unlisted = Encoding.UTF8.GetBytes(BuildUnlisted());
        WriteIfChanged(UnlistedPath, unlisted);
        WriteIfChanged(RefusalPath, Encoding.UTF8.GetBytes(BuildRefusal()));
        UserdbText text = TextFor(contents.Path);
        WriteForDovecot(Path, text.Size(contents), sink => text.Emit(contents, sink));
        byte[] migrating = BuildMigrating(contents);
        WriteForDovecot(MigratingPath, migrating.Length, sink => sink(migrating));
        _written = DateTime.UtcNow;
    }

    /// <summary>
    /// Returns once Dovecot serves what <see cref="Write"/> wrote. Dovecot's auth process looks at a
    /// passwd-file's mtime and size at most once per second (2.3.19 and 2.4.1's db-passwd-file.c), so
    /// a lookup in the second of the write may still get the previous version; from the next whole
    /// second on, every lookup sees it (each version has an mtime of its own). Waits at most a second.
    /// An auth cache flush must come after this, or such a lookup could cache the old answer again.
    /// </summary>
    public void WaitUntilDovecotSees()
    {
        if (_written is not DateTime written)
            return;
        DateTime nextSecond = new DateTime(written.Ticks - (written.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddSeconds(1);
        TimeSpan left = nextSecond - DateTime.UtcNow;
        if (left > TimeSpan.Zero)
            Thread.Sleep(left + TimeSpan.FromMilliseconds(5));
    }

    // Dovecot runs what these files say: whoever can write them can add a userdb driver that runs a
    // program as Dovecot (checkpassword) or hand any user any location. So their directory gets the
    // state file's rule, and root never writes them where another user could have planted one.
    private void RequireTrustedDirectory()
    {
        string directory = Directory;
        try
        {
            _ = TrustedDirectory.CheckIfExists(directory);
        }
        catch (UntrustedFileException e)
        {
            throw new StateFileException(directory, 0, $"{e.Problem}; the directory of [state] userdb must be writable by root (or the user imaproot runs as) only");
        }
    }

    private string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "/";

    public IReadOnlyList<string> Disagreements(StateFileContents contents)
    {
        var problems = new List<string>();
        try
        {
            RequireTrustedDirectory();
        }
        catch (StateFileException e)
        {
            problems.Add(e.Message);
        }
        foreach (string file in (string[])[Path, UnlistedPath, MigratingPath, RefusalPath])
        {
            if (Sys.LinkStatusOrNull(file) is { } status && TrustedFile.Problem(status, Sys.EffectiveUid) is string untrusted)
                problems.Add($"{file}: refused: {untrusted}: run imaproot reindex");
        }
        UserdbText text = TextFor(contents.Path);
        if (!SameContents(Path, text.Size(contents), sink => text.Emit(contents, sink)))
            problems.Add($"{Path} does not match {contents.Path}: run imaproot reindex");
        byte[] unlisted = Encoding.UTF8.GetBytes(BuildUnlisted());
        if (!SameContents(UnlistedPath, unlisted.Length, sink => sink(unlisted)))
            problems.Add($"{UnlistedPath} does not match {_config.Path}: run imaproot reindex, then doveadm reload");
        byte[] migrating = BuildMigrating(contents);
        if (!SameContents(MigratingPath, migrating.Length, sink => sink(migrating)))
            problems.Add($"{MigratingPath} does not match {contents.Path}: run imaproot reindex");
        byte[] refusal = Encoding.UTF8.GetBytes(BuildRefusal());
        if (!SameContents(RefusalPath, refusal.Length, sink => sink(refusal)))
            problems.Add($"{RefusalPath} does not match {_config.Path}: run imaproot reindex, then doveadm reload");
        return problems;
    }

    /// <summary>The passwd-file: <c>user:::::::userdb_FIELD=VALUE ...</c> for every listed user.</summary>
    public byte[] BuildUserdb(StateFileContents contents)
    {
        var userdb = new MemoryStream();
        TextFor(contents.Path).Emit(contents, chunk => userdb.Write(chunk));
        return userdb.ToArray();
    }

    // The header and the line endings (what follows a user's name) of the passwd-file, one per
    // state in the order of UserState's codes: legacy, migrated, migrating, then each target.
    private UserdbText TextFor(string statePath) => new(
        Encoding.UTF8.GetBytes($"# Written by imaproot from {statePath} and {_config.Path}. Do not edit: imaproot set, then this file follows.\n"),
        [
            Encoding.UTF8.GetBytes(":::::::" + LegacyFields() + "\n"),
            Encoding.UTF8.GetBytes(":::::::" + Fields(_config.Migrated, "[locations] migrated") + "\n"),
            Encoding.UTF8.GetBytes($":::::::userdb_tempfail=yes userdb_reason={MigratingReason}\n"),
            .. _config.Targets.Names.Select(name => Encoding.UTF8.GetBytes(":::::::" + Fields(_config.Targets.Template(name)!, $"[locations] {name}") + "\n")),
        ]);

    // The passwd-file's fixed parts; a user's line is the name and the ending of the user's state.
    private sealed record UserdbText(byte[] Header, byte[][] Endings)
    {
        public long Size(StateFileContents contents)
        {
            long size = Header.Length;
            foreach (StateLine line in contents.Lines)
                size += line.UserLength + Endings[line.StateCode].Length;
            return size;
        }

        // Hands the passwd-file to sink in chunks of at most ChunkSize bytes.
        public void Emit(StateFileContents contents, Action<ReadOnlySpan<byte>> sink)
        {
            byte[] buffer = new byte[ChunkSize];
            int used = 0;
            Put(Header);
            foreach (StateLine line in contents.Lines)
            {
                Put(contents.UserOf(line));
                Put(Endings[line.StateCode]);
            }
            if (used > 0)
                sink(buffer.AsSpan(0, used));

            void Put(ReadOnlySpan<byte> data)
            {
                if (used + data.Length > buffer.Length)
                {
                    sink(buffer.AsSpan(0, used));
                    used = 0;
                }
                if (data.Length > buffer.Length)
                    sink(data);
                else
                {
                    data.CopyTo(buffer.AsSpan(used));
                    used += data.Length;
                }
            }
        }
    }

    /// <summary>The include for the system userdb's section: the location of unlisted users.</summary>
    public string BuildUnlisted()
    {
        var text = new StringBuilder();
        text.Append("# Written by imaproot from ").Append(_config.Path)
            .Append(": the mail location of users the state file does not list.\n")
            .Append("# Included into the system userdb by the all-services snippet. Do not edit.\n");
        LocationTemplate? fallback = _config.DefaultState == UserState.Migrated ? _config.Migrated : _config.Legacy;
        bool byUid = _config.MigratedFromUid is uint && _config.DefaultState == UserState.Legacy;
        if (fallback is null && byUid)
            throw new ConfigException("[state] migrated-from-uid: Dovecot's userdb cannot leave the location unset below the uid and set it above; set [locations] legacy");
        if (_config.Generation == DovecotGeneration.V23)
        {
            if (fallback is null)
            {
                // [locations] legacy unset and no uid rule: unlisted users keep Dovecot's own mail_location.
            }
            else if (!byUid)
            {
                text.Append("override_fields = mail=").Append(Dovecot23(fallback, "[locations]")).Append('\n');
            }
            else
            {
                // 2.3's %{if} cuts its branches at ':', so the two locations travel in fields of their own.
                text.Append("override_fields = ")
                    .Append(HelperFieldPrefix).Append("legacy=").Append(Dovecot23(fallback, "[locations] legacy")).Append(' ')
                    .Append(HelperFieldPrefix).Append("migrated=").Append(Dovecot23(_config.Migrated, "[locations] migrated")).Append(' ')
                    .Append("mail=%{if;%{userdb:uid};>=;").Append(_config.MigratedFromUid!.Value.ToString(CultureInfo.InvariantCulture))
                    .Append(";%{userdb:").Append(HelperFieldPrefix).Append("migrated};%{userdb:").Append(HelperFieldPrefix).Append("legacy}}\n");
            }
            return text.ToString();
        }

        // [locations] legacy unset and no uid rule: no fields, Dovecot's own location settings apply.
        if (fallback is null)
            return text.ToString();
        text.Append("fields {\n");
        IReadOnlyList<KeyValuePair<string, string>> below = Settings24(fallback);
        IReadOnlyList<KeyValuePair<string, string>> above = byUid ? Settings24(_config.Migrated) : below;
        foreach (string key in below.Select(f => f.Key).Union(above.Select(f => f.Key)))
        {
            string low = below.FirstOrDefault(f => f.Key == key).Value ?? "";
            string high = above.FirstOrDefault(f => f.Key == key).Value ?? "";
            text.Append("  ").Append(key).Append(" = ");
            if (low == high)
                text.Append(low);
            else
                text.Append("%{userdb:uid | if('>=', ").Append(_config.MigratedFromUid!.Value.ToString(CultureInfo.InvariantCulture))
                    .Append(", ").Append(Quoted(high, key)).Append(", ").Append(Quoted(low, key)).Append(")}");
            text.Append('\n');
        }
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// A listed legacy user's fields. With <c>[locations] legacy</c> unset the user gets no location
    /// of ours; where the include hands unlisted users one (default migrated, or the uid rule) that
    /// user could have received it there, so the line removes those fields again (<c>NAME:remove</c>,
    /// 2.3.19 and 2.4.1's auth_request_set_userdb_field) and Dovecot's own location applies.
    /// </summary>
    private string LegacyFields()
    {
        if (_config.Legacy is { } legacy)
            return Fields(legacy, "[locations] legacy");
        if (_config.DefaultState == UserState.Legacy && _config.MigratedFromUid is null)
            return "";
        return string.Join(' ', _config.Generation.UserdbFields(InGeneration(_config.Migrated, _config.Generation))
            .Select(f => $"userdb_{f.Key}:remove"));
    }

    /// <summary>The template's userdb fields in the configured generation's form (2.3: <c>mail</c>; 2.4: every location setting).</summary>
    private string Fields(LocationTemplate template, string where) =>
        string.Join(' ', _config.Generation.UserdbFields(InGeneration(template, _config.Generation))
            .Select(f => $"userdb_{f.Key}={NoBlanks(f.Value, where)}"));

    private static string Dovecot23(LocationTemplate template, string where) =>
        NoBlanks(InGeneration(template, DovecotGeneration.V23).ToDovecot23(), where);

    private static IReadOnlyList<KeyValuePair<string, string>> Settings24(LocationTemplate template) =>
        DovecotGeneration.V24.UserdbFields(InGeneration(template, DovecotGeneration.V24));

    /// <summary>The template, unexpanded, with its variables in the generation's own syntax: Dovecot expands them per user.</summary>
    private static MailLocation InGeneration(LocationTemplate template, DovecotGeneration generation) =>
        new(template.Driver,
            DovecotVariables.Translate(template.Path, generation),
            template.Parameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value is null ? null : DovecotVariables.Translate(p.Value, generation))).ToList());

    private static string NoBlanks(string value, string where) =>
        value.Any(char.IsWhiteSpace)
            ? throw new ConfigException($"{where}: '{value}' holds a blank, which a passwd-file userdb cannot carry")
            : value;

    private static string Quoted(string value, string key) =>
        value.Contains('%', StringComparison.Ordinal) || value.Contains('\'', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal)
            ? throw new ConfigException($"[state] migrated-from-uid: Dovecot 2.4 cannot choose {key} by uid between locations whose {key} holds variables or quotes ('{value}'); give [locations] legacy and migrated the same {key}, or leave migrated-from-uid unset")
            : $"'{value}'";

    // Whether the file at path holds exactly what emit hands its sink, read chunk by chunk beside it;
    // one that breaks TrustedFile's rule (another owner, writable by others) never counts as the same.
    private static bool SameContents(string path, long size, Action<Action<ReadOnlySpan<byte>>> emit)
    {
        if (Sys.LinkStatusOrNull(path) is not { IsRegularFile: true } status || status.Size != size
            || TrustedFile.Problem(status, Sys.EffectiveUid) is not null)
            return false;
        using FileDescriptor fd = Sys.OpenReadOnly(path);
        byte[] read = new byte[ChunkSize];
        long offset = 0;
        bool same = true;
        emit(chunk =>
        {
            while (same && !chunk.IsEmpty)
            {
                int n = Math.Min(chunk.Length, read.Length);
                same = Sys.ReadAt(fd, read.AsSpan(0, n), offset, path) == n && read.AsSpan(0, n).SequenceEqual(chunk[..n]);
                offset += n;
                chunk = chunk[n..];
            }
        });
        return same;
    }

    private static void WriteIfChanged(string path, byte[] contents)
    {
        if (!SameContents(path, contents.Length, sink => sink(contents)))
            Sys.ReplaceFile(path, contents, FileModes.UserReadWriteOthersRead, keepOwner: false);
    }

    // Dovecot notices a changed passwd-file only by an mtime (whole seconds) or size other than those
    // of the version it last read, which may be several versions back: a version written within the
    // second of an earlier one could match it in both. So every version gets an mtime later than the
    // one before (the next second when the clock has not moved on; a burst runs ahead by its length).
    // (2.3's dict file, the migrating list there, is re-read when its inode changes: any replacement.)
    private static void WriteForDovecot(string path, long size, Action<Action<ReadOnlySpan<byte>>> emit)
    {
        FileStatus? previous = Sys.LinkStatusOrNull(path);
        if (SameContents(path, size, emit))
            return;
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long? modified = previous is { } p && p.MtimeSeconds >= now ? p.MtimeSeconds + 1 : null;
        using FileReplacement file = FileReplacement.Begin(path, FileModes.UserReadWriteOthersRead, keepOwner: false);
        emit(file.Write);
        file.Commit(modified);
    }
}
