using System.Runtime.CompilerServices;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>
/// Finds the Open Bastion 0.6 interoperability vector (read in place, never copied into the repo):
/// env <c>OB_SHARED_DIR</c>, else walk up from the test binaries, the working directory and this
/// source file looking for <c>shared/vectors</c>.
/// </summary>
internal static class VectorLocator
{
    public const string VectorName = "openbastion-0.6-machineid";
    public const string EntryFileName = "e91494c30192fd38b4493d8ea7d6d268.cred";
    public const string User = "alice";
    public const string Password = "correct horse battery staple";
    public static readonly byte[] Key = Convert.FromHexString("897dfa6d43cfd490dbe57393be7e3ed7ce47b64a067bc48c561ddb10844f6f4b");

    public static string Folder([CallerFilePath] string sourceFile = "")
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable("OB_SHARED_DIR") is { Length: > 0 } env)
        {
            var candidate = Path.Combine(env, "vectors", VectorName);
            if (Directory.Exists(candidate)) return candidate;
            tried.Add(candidate);
        }
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = start.Length == 0 ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "vectors", VectorName);
                if (Directory.Exists(candidate)) return candidate;
            }
            tried.Add(start);
        }
        Assert.Fail($"vector folder not found: set OB_SHARED_DIR to the folder holding vectors/{VectorName} (searched upwards from {string.Join(", ", tried)})");
        throw new InvalidOperationException("unreachable");
    }

    public static byte[] EntryBytes() => File.ReadAllBytes(Path.Combine(Folder(), EntryFileName));
}
