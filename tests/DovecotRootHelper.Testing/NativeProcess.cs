using System.Diagnostics;

namespace DovecotRootHelper.Testing;

/// <summary>Runs a published native binary as Dovecot or an admin's script would: argv, an optional cleared environment, stdin.</summary>
public static class NativeProcess
{
    public static NativeRun Run(string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, byte[]? stdin = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (KeyValuePair<string, string> pair in environment)
                start.Environment[pair.Key] = pair.Value;
        }
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program may finish, as it should for some inputs, before reading them.
        }
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill();
            throw new TimeoutException($"{binary} did not finish in {timeoutSeconds} s");
        }
        return new NativeRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>What one run of a program left behind.</summary>
public sealed record NativeRun(int ExitCode, string Stdout, string Stderr);
