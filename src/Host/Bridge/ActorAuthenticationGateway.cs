using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors.Protocol;
using OpenBastion.Host.Hosting;

namespace OpenBastion.Host.Bridge;

/// <summary>Asks the user registry (the only Ask in the daemon: at the edge, always with a timeout).</summary>
public sealed class ActorAuthenticationGateway : IAuthenticationGateway
{
    private readonly Lazy<Task<IActorRef>> _users;
    private readonly ILogger<ActorAuthenticationGateway> _logger;

    public ActorAuthenticationGateway(IActorRef users, ILogger<ActorAuthenticationGateway> logger)
    {
        _users = new Lazy<Task<IActorRef>>(Task.FromResult(users));
        _logger = logger;
    }

    /// <summary>Resolves the registry when the first request arrives (the actor system starts after DI builds this).</summary>
    public ActorAuthenticationGateway(IRequiredActor<ObActorKeys.Users> users, ILogger<ActorAuthenticationGateway> logger)
    {
        _users = new Lazy<Task<IActorRef>>(() => users.GetAsync());
        _logger = logger;
    }

    public async Task<AuthResult> AuthenticateAsync(Authenticate request, TimeSpan askTimeout)
    {
        try
        {
            var users = await _users.Value.WaitAsync(askTimeout).ConfigureAwait(false);
            return await users.Ask<AuthResult>(request, askTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TimeoutException)
        {
            return new AuthResult.Unavailable(UnavailableReason.TimedOut);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError("authentication request failed inside the engine ({Error})", ex.GetType().Name);
            return new AuthResult.Error(ex.GetType().Name);
        }
    }
}
