using OpenBastion.Actors.Protocol;

namespace OpenBastion.Host.Bridge;

/// <summary>The edge between the socket and the actors: one request in, exactly one result out.</summary>
public interface IAuthenticationGateway
{
    /// <summary>Never throws for an actor-side failure or timeout: those are results.</summary>
    Task<AuthResult> AuthenticateAsync(Authenticate request, TimeSpan askTimeout);
}
