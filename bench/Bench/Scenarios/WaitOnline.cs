using System.Diagnostics;
using OpenBastion.Bench.Load;
using OpenBastion.Wire;

namespace OpenBastion.Bench.Scenarios;

/// <summary><c>wait-online</c>: logs in until the daemon answers a success from LLNG (not from its cache).</summary>
internal static class WaitOnline
{
    public static async Task<int> RunAsync(Options o)
    {
        var socket = o.Require("socket");
        var user = o.Require("user");
        var password = o.Require("password");
        var limit = TimeSpan.FromSeconds(o.Double("limit-s", 90));
        o.CheckAllUsed();
        var sw = Stopwatch.StartNew();
        Answer last = default;
        while (sw.Elapsed < limit)
        {
            last = await BridgeClient.AuthenticateAsync(socket, user, password, 10_000, TimeSpan.FromSeconds(30));
            if (last is { Status: BridgeStatus.Success, Offline: false })
            {
                Console.WriteLine($"wait-online: online after {sw.Elapsed.TotalSeconds:F1} s");
                return 0;
            }
            await Task.Delay(500);
        }
        Console.Error.WriteLine($"wait-online: still not online after {limit.TotalSeconds} s (last answer {last.Outcome}, offline {last.Offline})");
        return 1;
    }
}
