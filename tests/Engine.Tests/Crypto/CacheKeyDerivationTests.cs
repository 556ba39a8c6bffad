using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Native;
using OpenBastion.Engine.Tests.Configuration;
using OpenBastion.Engine.Tests.TestSupport;

namespace OpenBastion.Engine.Tests.Crypto;

public sealed class CacheKeyDerivationTests : IDisposable
{
    private const string VectorSet = "openbastion-0.6-machineid";
    private const string VectorKeyHex = "897dfa6d43cfd490dbe57393be7e3ed7ce47b64a067bc48c561ddb10844f6f4b";
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly ScratchDirectory _dir = new();
    private readonly string _cacheDir;
    private readonly string _machineId;
    private readonly string _noKeyFile;

    public CacheKeyDerivationTests()
    {
        _cacheDir = _dir.Combine("cache");
        _machineId = _dir.Write("machine-id", "0123456789abcdef0123456789abcdef\n");
        _noKeyFile = _dir.Combine("absent.key");
    }

    public void Dispose() => _dir.Dispose();

    private string SaltPath => Path.Combine(_cacheDir, ".cred_salt");

    [Fact]
    public void The_open_bastion_vector_key_is_derived_from_its_machine_id_and_salt()
    {
        var machineId = SharedVectors.File(VectorSet, "machine-id");
        Directory.CreateDirectory(_cacheDir);
        File.Copy(SharedVectors.File(VectorSet, "cred_salt.bin"), SaltPath);

        using var key = CacheKeyDerivation.Derive(_noKeyFile, machineId, _cacheDir);

        Assert.Equal(VectorKeyHex, Convert.ToHexStringLower(key.Bytes));
        Assert.False(key.UsedKeyFile);
        Assert.Equal(machineId, key.MachineIdSource);
        Assert.Equal(File.ReadAllBytes(SharedVectors.File(VectorSet, "cred_salt.bin")), File.ReadAllBytes(SaltPath));
    }

    [Fact]
    public void Derive_from_settings_uses_the_configured_paths()
    {
        var settings = EngineSettings.Defaults with { OfflineCacheKeyFile = _noKeyFile, MachineIdFile = _machineId, OfflineCacheDir = _cacheDir };
        using var fromSettings = CacheKeyDerivation.Derive(settings);
        using var direct = CacheKeyDerivation.Derive(_noKeyFile, _machineId, _cacheDir);
        Assert.Equal(direct.Bytes.ToArray(), fromSettings.Bytes.ToArray());
    }

    [Fact]
    public void A_key_file_is_prepended_to_the_machine_id()
    {
        var keyFileBytes = RandomNumberGenerator.GetBytes(32);
        var keyFile = _dir.Write("cache.key", keyFileBytes);

        using var withKey = CacheKeyDerivation.Derive(keyFile, _machineId, _cacheDir);
        using var without = CacheKeyDerivation.Derive(_noKeyFile, _machineId, _cacheDir);

        var salt = File.ReadAllBytes(SaltPath);
        byte[] password = [.. keyFileBytes, .. "0123456789abcdef0123456789abcdef"u8.ToArray()];
        var expected = Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32);
        Assert.True(withKey.UsedKeyFile);
        Assert.Equal(expected, withKey.Bytes.ToArray());
        Assert.NotEqual(withKey.Bytes.ToArray(), without.Bytes.ToArray());
    }

    [Fact]
    public void Only_the_first_32_bytes_of_a_longer_key_file_are_used()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        using var exact = CacheKeyDerivation.Derive(_dir.Write("exact.key", bytes), _machineId, _cacheDir);
        using var longer = CacheKeyDerivation.Derive(_dir.Write("long.key", [.. bytes, .. "\ntrailing junk"u8.ToArray()]), _machineId, _cacheDir);
        Assert.Equal(exact.Bytes.ToArray(), longer.Bytes.ToArray());
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, "0440")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite, "0602")]
    public void A_key_file_open_to_group_or_others_is_refused(UnixFileMode mode, string octal)
    {
        var keyFile = _dir.Write("cache.key", RandomNumberGenerator.GetBytes(32), mode);
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(keyFile, _machineId, _cacheDir));
        Assert.Equal($"cache key file {keyFile} is accessible by group or others (mode {octal}); run: chmod 600 {keyFile}", e.Message);
        Assert.False(Directory.Exists(_cacheDir), "nothing is created when the key file is refused");
    }

    [Fact]
    public void A_short_key_file_is_refused()
    {
        var keyFile = _dir.Write("cache.key", RandomNumberGenerator.GetBytes(31));
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(keyFile, _machineId, _cacheDir));
        Assert.StartsWith($"cache key file {keyFile} holds 31 bytes; at least 32 random bytes are required", e.Message);
    }

    [Fact]
    public void A_key_file_that_is_a_directory_is_refused()
    {
        var keyDir = _dir.Combine("key.d");
        Directory.CreateDirectory(keyDir);
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(keyDir, _machineId, _cacheDir));
        Assert.StartsWith($"cache key file {keyDir} ", e.Message);
    }

    [Fact]
    public void When_running_as_root_a_key_file_owned_by_another_user_is_refused()
    {
        var keyFile = _dir.Write("cache.key", RandomNumberGenerator.GetBytes(32));
        if (!Libc.IsRoot)
        {
            using var key = CacheKeyDerivation.Derive(keyFile, _machineId, _cacheDir);
            Assert.True(key.UsedKeyFile);
            return;
        }

        SecretSettingsTests.Chown(keyFile, 4242);
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(keyFile, _machineId, _cacheDir));
        Assert.Equal($"cache key file {keyFile} is owned by uid 4242, not root; run: chown root: {keyFile}", e.Message);
    }

    [Fact]
    public void The_salt_is_created_0600_in_a_new_0700_directory_and_reused()
    {
        var nested = Path.Combine(_cacheDir, "credentials");

        using var first = CacheKeyDerivation.Derive(_noKeyFile, _machineId, nested);
        var saltPath = Path.Combine(nested, ".cred_salt");
        var salt = File.ReadAllBytes(saltPath);
        using var second = CacheKeyDerivation.Derive(_noKeyFile, _machineId, nested);

        Assert.Equal(16, salt.Length);
        Assert.Equal("0600", FileStatus.Of(saltPath).OctalPermissions);
        Assert.Equal("0700", FileStatus.Of(nested).OctalPermissions);
        Assert.Equal(ProcessIdentity.EffectiveUid, FileStatus.Of(saltPath).Uid);
        Assert.Equal(salt, File.ReadAllBytes(saltPath));
        Assert.Equal(first.Bytes.ToArray(), second.Bytes.ToArray());
        Assert.Equal([".cred_salt"], Directory.GetFiles(nested).Select(Path.GetFileName));
    }

    [Fact]
    public void Two_salts_are_never_created_for_one_directory()
    {
        var salts = new byte[16][];
        Parallel.For(0, salts.Length, i => salts[i] = CacheKeyDerivation.LoadOrCreateSalt(CreateOnce()));
        Assert.All(salts, s => Assert.Equal(salts[0], s));
        Assert.Equal(salts[0], File.ReadAllBytes(SaltPath));
        Assert.Single(Directory.GetFiles(_cacheDir));
    }

    private string CreateOnce()
    {
        Directory.CreateDirectory(_cacheDir);
        return _cacheDir;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    public void A_salt_of_the_wrong_length_is_refused_and_never_regenerated(int length)
    {
        Directory.CreateDirectory(_cacheDir);
        var bad = RandomNumberGenerator.GetBytes(length);
        File.WriteAllBytes(SaltPath, bad);

        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(_noKeyFile, _machineId, _cacheDir));

        Assert.StartsWith($"salt file {SaltPath} holds {length} bytes, 16 expected; it is never regenerated", e.Message);
        Assert.Equal(bad, File.ReadAllBytes(SaltPath));
    }

    [Fact]
    public void An_unreadable_salt_is_refused_and_never_regenerated()
    {
        Directory.CreateDirectory(SaltPath);
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(_noKeyFile, _machineId, _cacheDir));
        Assert.StartsWith($"salt file {SaltPath} cannot be read", e.Message);
        Assert.True(Directory.Exists(SaltPath));
    }

    [Fact]
    public void The_machine_id_loses_its_trailing_newline()
    {
        var bare = _dir.Write("machine-id-bare", "0123456789abcdef0123456789abcdef");
        using var withNewline = CacheKeyDerivation.Derive(_noKeyFile, _machineId, _cacheDir);
        using var withoutNewline = CacheKeyDerivation.Derive(_noKeyFile, bare, _cacheDir);
        var expected = CacheKeyDerivation.DeriveKey([], "0123456789abcdef0123456789abcdef"u8, File.ReadAllBytes(SaltPath));
        Assert.Equal(expected, withNewline.Bytes.ToArray());
        Assert.Equal(expected, withoutNewline.Bytes.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Without_a_machine_id_an_instance_id_is_created_once_and_used(bool emptyMachineIdFile)
    {
        var machineIdFile = emptyMachineIdFile ? _dir.Write("empty-machine-id", "\n") : _dir.Combine("no-machine-id");
        var instancePath = Path.Combine(_cacheDir, ".instance_id");

        using var first = CacheKeyDerivation.Derive(_noKeyFile, machineIdFile, _cacheDir);
        var instanceId = File.ReadAllText(instancePath);
        using var second = CacheKeyDerivation.Derive(_noKeyFile, machineIdFile, _cacheDir);

        Assert.Matches("^[0-9a-f]{32}$", instanceId);
        Assert.Equal("0600", FileStatus.Of(instancePath).OctalPermissions);
        Assert.Equal(instancePath, first.MachineIdSource);
        Assert.Equal(instanceId, File.ReadAllText(instancePath));
        Assert.Equal(first.Bytes.ToArray(), second.Bytes.ToArray());
        var expected = CacheKeyDerivation.DeriveKey([], Encoding.ASCII.GetBytes(instanceId), File.ReadAllBytes(SaltPath));
        Assert.Equal(expected, first.Bytes.ToArray());
    }

    [Fact]
    public void An_existing_instance_id_is_read_and_an_empty_one_refused()
    {
        Directory.CreateDirectory(_cacheDir);
        var instancePath = Path.Combine(_cacheDir, ".instance_id");
        File.WriteAllText(instancePath, "fedcba9876543210fedcba9876543210\n");
        var noMachineId = _dir.Combine("no-machine-id");

        using (var key = CacheKeyDerivation.Derive(_noKeyFile, noMachineId, _cacheDir))
        {
            var expected = CacheKeyDerivation.DeriveKey([], "fedcba9876543210fedcba9876543210"u8, File.ReadAllBytes(SaltPath));
            Assert.Equal(expected, key.Bytes.ToArray());
        }

        File.WriteAllText(instancePath, "");
        var e = Assert.Throws<KeyMaterialException>(() => CacheKeyDerivation.Derive(_noKeyFile, noMachineId, _cacheDir));
        Assert.StartsWith($"instance id file {instancePath} is empty; it is never regenerated", e.Message);
        Assert.Equal(0, new FileInfo(instancePath).Length);
    }

    [Fact]
    public void A_cache_key_never_prints_its_bytes_and_is_zeroed_on_dispose()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var key = new CacheKey(bytes, usedKeyFile: false, "/etc/machine-id");

        Assert.Equal("CacheKey(***, UsedKeyFile = False, MachineIdSource = /etc/machine-id)", key.ToString());
        Assert.DoesNotContain(Convert.ToHexString(bytes), key.ToString(), StringComparison.OrdinalIgnoreCase);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Bytes.Length);
        Assert.Throws<ArgumentException>(() => new CacheKey(new byte[31], true, "x"));
    }
}
