namespace OpenBastion.Actors.Tests;
public class SmokeTests : Akka.TestKit.Xunit2.TestKit { [Fact] public void Builds() => Assert.NotNull(Sys); }
