// Stands in for Dovecot's script-login in the hook's process tests: records the argv and the
// environment it was exec'd with into the file named by its first argument, one NUL-terminated
// "ARG value" or "ENV KEY=VALUE" record each, byte for byte: the kernel's copies (/proc/self/cmdline
// and /proc/self/environ), not the runtime's decoded view (which rewrites argv[0] and bytes that
// are not UTF-8).
if (args.Length == 0)
    return 2;
using var output = new MemoryStream();
Append("ARG "u8, File.ReadAllBytes("/proc/self/cmdline"));
Append("ENV "u8, File.ReadAllBytes("/proc/self/environ"));
File.WriteAllBytes(args[0], output.ToArray());
return 0;

void Append(ReadOnlySpan<byte> tag, byte[] records)
{
    foreach (Range range in records.AsSpan().TrimEnd((byte)0).Split((byte)0))
    {
        if (records.AsSpan()[range].IsEmpty)
            continue;
        output.Write(tag);
        output.Write(records.AsSpan()[range]);
        output.WriteByte(0);
    }
}
