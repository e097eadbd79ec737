using System.Collections;
using System.Text;

// Stands in for Dovecot's script-login in the hook's process tests: records the argv and the
// environment it was exec'd with into the file named by its first argument, one NUL-terminated
// "ARG value" or "ENV KEY=VALUE" record each.
if (args.Length == 0)
    return 2;
var output = new StringBuilder();
// The kernel's copy of argv, exactly as execve passed it (the runtime's own view rewrites argv[0]).
foreach (string arg in File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries))
    output.Append("ARG ").Append(arg).Append('\0');
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
    output.Append("ENV ").Append(entry.Key).Append('=').Append(entry.Value).Append('\0');
File.WriteAllText(args[0], output.ToString());
return 0;
