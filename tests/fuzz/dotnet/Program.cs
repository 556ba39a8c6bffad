using SharpFuzz;

namespace OpenBastion.Fuzz;

/// <summary>
/// The .NET fuzz targets (tests/fuzz/README.md), one program for all of them:
/// <code>
///   OpenBastion.Fuzz TARGET                 under afl-fuzz: SharpFuzz's fork server, the input on stdin
///   OpenBastion.Fuzz TARGET FILE|DIR...     replay: every file through the target, exit 1 on the first failure
///   OpenBastion.Fuzz --list                 the target names
/// </code>
/// A target fails (a "crash" for afl-fuzz) by throwing: an exception out of a parser that promises
/// never to throw, or a <see cref="FuzzAssertionException"/> from a broken property (a round trip).
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["frame"] = FrameTargets.Parse,
        ["reader"] = FrameTargets.Read,
        ["admin"] = AdminTargets.Run,
        ["entry"] = EntryTargets.Run,
        ["ini"] = IniTargets.Run,
    };

    private static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "--list")
        {
            foreach (var name in Targets.Keys) Console.WriteLine(name);
            return 0;
        }
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: OpenBastion.Fuzz {{{string.Join('|', Targets.Keys)}}} [FILE|DIR...] | --list");
            return 2;
        }
        if (args.Length == 1)
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target(buffer.ToArray());
            });
            return 0;
        }
        return Replay(args[0], target, args[1..]);
    }

    private static int Replay(string name, Action<byte[]> target, string[] paths)
    {
        var files = paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [p]).ToList();
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"{name}: {file}: {e}");
                return 1;
            }
        }
        Console.WriteLine($"{name}: {files.Count} file(s) replayed, no failure");
        return 0;
    }
}

/// <summary>A property that the target checks does not hold.</summary>
internal sealed class FuzzAssertionException(string message) : Exception(message)
{
    public static void Check(bool condition, string what)
    {
        if (!condition) throw new FuzzAssertionException(what);
    }
}
