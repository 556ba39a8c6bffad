using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>
/// Keeps the process's memory to itself: <c>prctl(PR_SET_DUMPABLE, 0)</c> means no core dump (a core
/// would hold the cache key and passwords in flight) and no ptrace attach or /proc/PID/mem read by a
/// process of the same uid that lacks CAP_SYS_PTRACE. The unit adds <c>LimitCORE=0</c>.
/// </summary>
public static partial class ProcessHardening
{
    private const int PrGetDumpable = 3;
    private const int PrSetDumpable = 4;

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    /// <summary>Makes the process non-dumpable; throws when the kernel refuses (the daemon then does not start).</summary>
    public static void DisableCoreDumps()
    {
        if (Prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
            throw new InvalidOperationException($"prctl(PR_SET_DUMPABLE, 0) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>prctl(PR_GET_DUMPABLE): 0 when no core is dumped, 1 (or 2) otherwise.</summary>
    public static int Dumpable => Prctl(PrGetDumpable, 0, 0, 0, 0);
}
