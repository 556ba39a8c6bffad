using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Cache;

/// <summary>
/// The JSON plaintext of an entry, field for field as Open Bastion 0.6 writes it (json-c), plus the
/// optional <c>argon2_m</c>, <c>argon2_t</c>, <c>argon2_p</c>. Unknown fields are ignored.
/// </summary>
internal static class EntryJson
{
    public const int SupportedVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Not embedded in HTML: keep '+' and non-ASCII readable; quotes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        MaxDepth = 8,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static byte[] Write(CredentialEntry e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", e.Version);
            w.WriteString("user", e.User);
            w.WriteNumber("created_at", e.CreatedAt);
            w.WriteNumber("expires_at", e.ExpiresAt);
            w.WriteString("password_hash", Convert.ToBase64String(e.PasswordHash));
            w.WriteString("salt", Convert.ToBase64String(e.Salt));
            if (e.Gecos is not null) w.WriteString("gecos", e.Gecos);
            if (e.Shell is not null) w.WriteString("shell", e.Shell);
            if (e.Home is not null) w.WriteString("home", e.Home);
            w.WriteNumber("locked_until", e.LockedUntil);
            w.WriteNumber("last_success", e.LastSuccess);
            w.WriteNumber("failed_attempts", e.FailedAttempts);
            if (e.Parameters is { } p)
            {
                w.WriteNumber("argon2_m", p.MemoryKiB);
                w.WriteNumber("argon2_t", p.Iterations);
                w.WriteNumber("argon2_p", p.Parallelism);
            }
            w.WriteEndObject();
        }
        var result = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes the buffer's copy of the verifier
        return result;
    }

    /// <summary>Parses a payload. On failure <paramref name="problem"/> says what is wrong (never a secret).</summary>
    public static bool TryRead(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out CredentialEntry? entry, [NotNullWhen(false)] out string? problem)
    {
        entry = null;
        // System.Text.Json checks the UTF-8 of a string only when it is read (GetString throws): refuse it here.
        if (!Utf8.IsValid(utf8.Span)) { problem = "payload is not valid UTF-8"; return false; }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, ReaderOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a property name with an escaped lone surrogate (the duplicate check unescapes names).
            problem = "payload is not valid JSON";
            return false;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { problem = "payload is not a JSON object"; return false; }

            if (!RequiredInt(root, "v", out var version, out problem)) return false;
            if (version != SupportedVersion) { problem = $"unsupported entry version {version}"; return false; }
            if (!RequiredString(root, "user", out var user, out problem)) return false;
            if (!RequiredLong(root, "created_at", out var createdAt, out problem)) return false;
            if (!RequiredLong(root, "expires_at", out var expiresAt, out problem)) return false;
            if (!RequiredBytes(root, "password_hash", Argon2Parameters.HashLength, out var hash, out problem)) return false;
            if (!RequiredBytes(root, "salt", Argon2Parameters.SaltLength, out var salt, out problem)) return false;
            if (!OptionalLong(root, "last_success", out var lastSuccess, out problem)) return false;
            if (!OptionalLong(root, "locked_until", out var lockedUntil, out problem)) return false;
            if (!OptionalLong(root, "failed_attempts", out var failed, out problem)) return false;
            if (failed is < 0 or > int.MaxValue) { problem = "field 'failed_attempts' is out of range"; return false; }
            if (!OptionalString(root, "gecos", out var gecos, out problem)) return false;
            if (!OptionalString(root, "shell", out var shell, out problem)) return false;
            if (!OptionalString(root, "home", out var home, out problem)) return false;
            if (!OptionalParameters(root, out var parameters, out problem)) return false;

            entry = new CredentialEntry
            {
                Version = version,
                User = user,
                CreatedAt = createdAt,
                ExpiresAt = expiresAt,
                LastSuccess = lastSuccess,
                FailedAttempts = (int)failed,
                LockedUntil = lockedUntil,
                PasswordHash = hash,
                Salt = salt,
                Gecos = gecos,
                Shell = shell,
                Home = home,
                Parameters = parameters,
            };
            return true;
        }
    }

    private static bool OptionalParameters(JsonElement root, out Argon2Parameters? parameters, [NotNullWhen(false)] out string? problem)
    {
        parameters = null;
        var hasM = root.TryGetProperty("argon2_m", out _);
        var hasT = root.TryGetProperty("argon2_t", out _);
        var hasP = root.TryGetProperty("argon2_p", out _);
        if (!hasM && !hasT && !hasP) { problem = null; return true; }
        if (!(hasM && hasT && hasP)) { problem = "argon2_m, argon2_t and argon2_p must appear together"; return false; }
        if (!RequiredInt(root, "argon2_m", out var m, out problem)
            || !RequiredInt(root, "argon2_t", out var t, out problem)
            || !RequiredInt(root, "argon2_p", out var p, out problem)) return false;
        var candidate = new Argon2Parameters(m, t, p);
        if (!Argon2Bounds.IsValid(candidate)) { problem = $"Argon2 parameters out of range ({candidate})"; return false; }
        parameters = candidate;
        return true;
    }

    private static bool RequiredBytes(JsonElement root, string name, int length, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        if (!RequiredString(root, name, out var text, out problem)) return false;
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            problem = $"field '{name}' is not base64";
            return false;
        }
        if (decoded.Length != length) { problem = $"field '{name}' has {decoded.Length} bytes, expected {length}"; return false; }
        value = decoded;
        return true;
    }

    private static bool RequiredString(JsonElement root, string name, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        if (!root.TryGetProperty(name, out var el)) { problem = $"field '{name}' is missing"; return false; }
        if (el.ValueKind != JsonValueKind.String) { problem = $"field '{name}' is not a string"; return false; }
        return ReadString(el, name, out value, out problem);
    }

    private static bool OptionalString(JsonElement root, string name, out string? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        problem = null;
        if (!root.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return true;
        if (el.ValueKind != JsonValueKind.String) { problem = $"field '{name}' is not a string"; return false; }
        return ReadString(el, name, out value, out problem);
    }

    /// <summary>The string of <paramref name="el"/>; an escaped lone surrogate (<c>\ud800</c>) is refused, not thrown.</summary>
    private static bool ReadString(JsonElement el, string name, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            value = el.GetString()!;
            problem = null;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            problem = $"field '{name}' is not valid text";
            return false;
        }
    }

    private static bool RequiredLong(JsonElement root, string name, out long value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        if (!root.TryGetProperty(name, out var el)) { problem = $"field '{name}' is missing"; return false; }
        return AsLong(el, name, out value, out problem);
    }

    private static bool OptionalLong(JsonElement root, string name, out long value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        problem = null;
        return !root.TryGetProperty(name, out var el) || AsLong(el, name, out value, out problem);
    }

    private static bool RequiredInt(JsonElement root, string name, out int value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        if (!RequiredLong(root, name, out var l, out problem)) return false;
        if (l is < int.MinValue or > int.MaxValue) { problem = $"field '{name}' is out of range"; return false; }
        value = (int)l;
        return true;
    }

    private static bool AsLong(JsonElement el, string name, out long value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt64(out value))
        {
            problem = $"field '{name}' is not an integer";
            return false;
        }
        problem = null;
        return true;
    }
}
