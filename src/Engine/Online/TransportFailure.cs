using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace OpenBastion.Engine.Online;

/// <summary>
/// Short, log-safe descriptions of why a call to the portal failed. Built only from error codes and
/// the endpoint's host and port, never from exception messages, URLs with user info, request or
/// response bodies, so no password, token or client secret can leak into a reason.
/// </summary>
internal static class TransportFailure
{
    public static string Describe(string step, Uri endpoint, Exception error) =>
        $"{step}: {What(error)} ({endpoint.Authority})";

    public static string TimedOut(string step, Uri endpoint, TimeSpan budget) =>
        $"{step}: no answer within offline_timeout {budget.TotalSeconds:0.###} s ({endpoint.Authority})";

    private static string What(Exception error)
    {
        if (Find<SocketException>(error) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "DNS lookup failed",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => "network unreachable",
                SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
                SocketError.TimedOut => "connect timed out",
                var code => $"socket error {code}",
            };
        }
        if (Find<AuthenticationException>(error) is not null) return "TLS handshake failed";
        if (Find<TimeoutException>(error) is not null) return "connect timed out";
        if (error is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "DNS lookup failed",
                HttpRequestError.ConnectionError => "connection failed",
                HttpRequestError.SecureConnectionError => "TLS handshake failed",
                HttpRequestError.ResponseEnded => "connection closed before the answer",
                HttpRequestError.InvalidResponse => "invalid HTTP answer",
                HttpRequestError.ConfigurationLimitExceeded => "answer too large",
                HttpRequestError.ProxyTunnelError => "proxy tunnel failed",
                var code => $"HTTP transport error {code}",
            };
        }
        return $"unexpected {error.GetType().Name}";
    }

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }
}
