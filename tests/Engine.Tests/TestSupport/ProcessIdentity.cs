namespace OpenBastion.Engine.Tests.TestSupport;

/// <summary>
/// Who the test process is, read from <c>/proc/self/status</c> (an oracle independent of the engine's
/// own libc bindings): the line <c>Uid: real effective saved filesystem</c>.
/// </summary>
internal static class ProcessIdentity
{
    public static uint EffectiveUid =>
        uint.Parse(File.ReadLines("/proc/self/status")
            .First(line => line.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[2]);
}
