namespace OpenBastion.Engine.Cache;

/// <summary>A write or delete in the cache directory failed. Authentication that depended on it fails.</summary>
public sealed class CredentialStoreException(string message, Exception? inner = null) : IOException(message, inner);
