using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DovecotRootHelper.Bench.Interleave;

/// <summary>
/// <c>interleave RUNS WARMUP COMMAND...</c>: runs every command once per iteration, one after the
/// other, rotating which goes first, and prints one line per iteration with each command's wall
/// time in ms, in the order the commands were given. Commands run one run apart rather than
/// hundreds of runs apart, so a machine whose speed drifts over seconds slows them alike, and a
/// ratio taken within one line compares like with like. A command is split on blanks (a blank
/// after a backslash is kept), started with posix_spawn with stdout and stderr on /dev/null, and
/// must exit 0.
/// </summary>
internal static unsafe partial class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 3 || !int.TryParse(args[0], out int runs) || !int.TryParse(args[1], out int warmup))
        {
            Console.Error.WriteLine("usage: interleave RUNS WARMUP COMMAND...");
            return 2;
        }
        string[][] commands = args[2..].Select(Split).ToArray();
        var line = new StringBuilder();
        for (int iteration = -warmup; iteration < runs; iteration++)
        {
            double[] times = new double[commands.Length];
            int first = ((iteration % commands.Length) + commands.Length) % commands.Length;
            for (int k = 0; k < commands.Length; k++)
            {
                int c = (first + k) % commands.Length;
                times[c] = Run(commands[c]);
            }
            if (iteration < 0)
                continue;
            line.Clear();
            foreach (double t in times)
                line.Append(t.ToString("F4", CultureInfo.InvariantCulture)).Append(' ');
            Console.Out.WriteLine(line.ToString().TrimEnd());
        }
        return 0;
    }

    private static double Run(string[] argv)
    {
        byte* actions = stackalloc byte[256];
        _ = FileActionsInit(actions);
        _ = FileActionsAddOpen(actions, 1, "/dev/null", 1, 0);
        _ = FileActionsAddOpen(actions, 2, "/dev/null", 1, 0);
        nint* args = Strings(argv);
        nint* env = stackalloc nint[1];
        env[0] = 0;
        long start = Stopwatch.GetTimestamp();
        int pid;
        int error = Spawn(&pid, argv[0], actions, null, args, env);
        if (error != 0)
            throw new IOException($"posix_spawn {argv[0]}: error {error}");
        int status;
        while (Waitpid(pid, &status, 0) < 0 && Marshal.GetLastPInvokeError() == 4)
        {
        }
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        _ = FileActionsDestroy(actions);
        for (int i = 0; i < argv.Length; i++)
            Marshal.FreeCoTaskMem(args[i]);
        NativeMemory.Free(args);
        if (status != 0)
            throw new IOException($"{string.Join(' ', argv)}: wait status {status}");
        return ms;
    }

    private static string[] Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < command.Length; i++)
        {
            if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] == ' ')
                word.Append(command[++i]);
            else if (command[i] == ' ')
            {
                if (word.Length > 0)
                    words.Add(word.ToString());
                word.Clear();
            }
            else
                word.Append(command[i]);
        }
        if (word.Length > 0)
            words.Add(word.ToString());
        string path = words[0].Contains('/', StringComparison.Ordinal)
            ? words[0]
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, words[0])).FirstOrDefault(File.Exists)
              ?? throw new FileNotFoundException($"{words[0]} not found in PATH");
        words[0] = path;
        return [.. words];
    }

    private static nint* Strings(string[] values)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(values.Length + 1), (nuint)sizeof(nint));
        for (int i = 0; i < values.Length; i++)
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return array;
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(int* pid, string path, byte* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int Waitpid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddOpen(byte* actions, int fd, string path, int flags, uint mode);
}
