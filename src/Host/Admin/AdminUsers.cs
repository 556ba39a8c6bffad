using OpenBastion.Wire;

namespace OpenBastion.Host.Admin;

/// <summary>User-name checks and replies shared by both paths.</summary>
internal static class AdminUsers
{
    public static AdminReply? Check(AdminRequest request)
    {
        if (AdminCommands.Arity(request.Command) < 1 || request.Command == AdminCommand.Rekey) return null;
        var user = request.User;
        if (user.Length == 0) return AdminReply.Error(AdminStatus.BadRequest, "the user name is empty");
        if (System.Text.Encoding.UTF8.GetByteCount(user) > BridgeProtocol.MaxUser)
            return AdminReply.Error(AdminStatus.BadRequest, $"the user name is longer than {BridgeProtocol.MaxUser} bytes");
        if (user.Any(char.IsControl)) return AdminReply.Error(AdminStatus.BadRequest, "the user name contains control characters");
        return null;
    }

    public static AdminReply NoEntry(string user) => AdminReply.Error(AdminStatus.NotFound, $"no cache entry for user '{user}'");
}
