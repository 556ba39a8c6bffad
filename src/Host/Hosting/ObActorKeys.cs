namespace OpenBastion.Host.Hosting;

/// <summary>Keys of the top-level actors in Akka.Hosting's <c>ActorRegistry</c> (<c>IRequiredActor&lt;T&gt;</c>).</summary>
public static class ObActorKeys
{
    /// <summary>The user registry: Authenticate and the admin messages.</summary>
    public sealed class Users;

    /// <summary>The connectivity monitor: GetConnectivity, ForceOffline/ForceOnline/ClearForce.</summary>
    public sealed class Connectivity;

    /// <summary>The janitor: SweepNow.</summary>
    public sealed class Janitor;
}
