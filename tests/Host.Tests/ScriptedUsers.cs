using System.Collections.Concurrent;
using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Online;

namespace OpenBastion.Host.Tests;

/// <summary>
/// Stands in for the user registry: answers <see cref="Authenticate"/> by user name, records what it
/// was asked (without the password, which it only checks is readable), and can hold a request open.
/// </summary>
internal sealed class ScriptedUsers : ReceiveActor
{
    public static readonly UserAttributes Attributes = new("Doctor Who", "/bin/zsh", "/home/dwho");

    public ScriptedUsers(ConcurrentQueue<Authenticate> seen, TaskCompletionSource? hold, ConcurrentQueue<string> passwords)
    {
        ReceiveAsync<Authenticate>(async request =>
        {
            seen.Enqueue(request);
            passwords.Enqueue(request.Password.Reveal());
            var replyTo = Sender;
            if (request.User == "held" && hold is not null) await hold.Task;
            if (request.User == "silent") return; // never answers: the Ask times out
            replyTo.Tell(Answer(request.User));
        });
    }

    public static AuthResult Answer(string user) => user switch
    {
        "online" => new AuthResult.Success(AuthPath.Online, Attributes, null),
        "offline" or "held" => new AuthResult.Success(AuthPath.Offline, Attributes, TimeSpan.FromHours(6)),
        "wrong" => new AuthResult.WrongPassword(AuthPath.Online),
        "locked" => new AuthResult.Locked(120),
        "notcached" => new AuthResult.Unavailable(UnavailableReason.NotCached),
        "expired" => new AuthResult.Unavailable(UnavailableReason.Expired),
        "busy" => AuthResult.Busy.Instance,
        "broken" => new AuthResult.Error("store fault"),
        _ => new AuthResult.Unavailable(UnavailableReason.Unreadable),
    };

    public static Props Props(ConcurrentQueue<Authenticate> seen, ConcurrentQueue<string> passwords, TaskCompletionSource? hold = null) =>
        Akka.Actor.Props.Create(() => new ScriptedUsers(seen, hold, passwords));
}
