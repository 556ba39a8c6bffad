using OpenBastion.Bench;

// Benchmarks behind DESIGN §4. Run: dotnet run -c Release --project bench/Bench -- <command>
var command = args.Length > 0 ? args[0] : "help";
switch (command)
{
    case "verifiers":
        return VerifierBench.Run(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine("usage: Bench verifiers [--runs N]");
        Console.Error.WriteLine("  verifiers  median Argon2id verification time: Konscious p=4 (defaults), Konscious and libsodium p=1,");
        Console.Error.WriteLine("             and Debian's argon2 CLI with the same parameters for comparison");
        return command == "help" ? 0 : 2;
}
