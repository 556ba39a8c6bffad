using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>
/// The credentials of the process at the other end of a Unix stream socket, as the kernel recorded
/// them at connect time (SO_PEERCRED → struct ucred { pid_t pid; uid_t uid; gid_t gid; }). The peer
/// cannot forge them.
/// </summary>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12;

    /// <summary>
    /// Reads SO_PEERCRED with getsockopt, through <see cref="Socket.GetRawSocketOption"/> (the BCL's
    /// direct getsockopt call on the socket's descriptor; no hand-written P/Invoke needed).
    /// </summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[UcredSize];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < UcredSize) throw new SocketException((int)SocketError.ProtocolOption);
        // Native byte order, as the kernel wrote the struct.
        return new PeerCredentials(
            MemoryMarshal.Read<int>(ucred[..4]),
            MemoryMarshal.Read<uint>(ucred[4..8]),
            MemoryMarshal.Read<uint>(ucred[8..12]));
    }
}
