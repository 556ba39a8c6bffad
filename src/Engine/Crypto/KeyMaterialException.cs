namespace OpenBastion.Engine.Crypto;

/// <summary>
/// The cache key cannot be derived: a key file, salt or instance id that is refused or unreadable.
/// The message names the file and the problem, never key material.
/// </summary>
public sealed class KeyMaterialException : Exception
{
    public KeyMaterialException(string message) : base(message)
    {
    }

    public KeyMaterialException(string message, Exception inner) : base(message, inner)
    {
    }
}
