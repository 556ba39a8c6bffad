using System.Runtime.Versioning;

// The daemon serves a Unix socket, reads SO_PEERCRED, and logs to syslog: Linux only.
[assembly: SupportedOSPlatform("linux")]
