using Akka.Actor;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// Policy time taken from the actor system's scheduler: in production the wall clock, under the
/// TestKit's TestScheduler virtual time, so that advancing the scheduler moves timers and policy
/// decisions (lockout, expiry, deadlines) together.
/// </summary>
public sealed class SchedulerTimeProvider(IScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now.ToUniversalTime();
}
