using OpenBastion.Engine.Tests.TestSupport;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>
/// The facts of the Open Bastion 0.6 interoperability vector (its README), read in place through
/// <see cref="SharedVectors"/> and never copied into the repository.
/// </summary>
internal static class VectorLocator
{
    public const string VectorName = "openbastion-0.6-machineid";
    public const string EntryFileName = "e91494c30192fd38b4493d8ea7d6d268.cred";
    public const string User = "alice";
    public const string Password = "correct horse battery staple";
    public static readonly byte[] Key = Convert.FromHexString("897dfa6d43cfd490dbe57393be7e3ed7ce47b64a067bc48c561ddb10844f6f4b");

    public static string Folder() => SharedVectors.Folder(VectorName);

    public static byte[] EntryBytes() => File.ReadAllBytes(SharedVectors.File(VectorName, EntryFileName));
}
