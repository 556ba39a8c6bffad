#!/usr/bin/env bash
# llng.sh - a throw-away LemonLDAP::NG 2.16 portal on 127.0.0.1 (Debian packages), used as the real
# OpenID Connect identity provider by the integration and end-to-end tests.
#
# Usage: scripts/llng.sh COMMAND
#   install      install the Debian packages (delegates to scripts/deps.sh; root)
#   configure    (re)write the portal's ini, configuration, signing key and user base under $LLNG_DIR
#   start        run the portal in the background and wait (bounded) until it answers
#   stop         stop it (resumes a frozen portal first), by PID file
#   status       exit 0 when the portal answers its discovery document
#   smoke        check a password grant (client_secret_post), a wrong password and userinfo with curl
#   passwd U P   change user U's password to P while the portal runs (LLNG_AUTH=sqlite only)
#   freeze       SIGSTOP the portal: connections are accepted by the kernel but never answered
#   thaw         SIGCONT it
#   all          install, then stop configure start smoke (a fresh portal; the default)
#
# Environment:
#   LLNG_DIR (/tmp/obactors-llng)  LLNG_PORT (18080)  LLNG_AUTH (demo | sqlite)
#   LLNG_CLIENT_ID (bastion)  LLNG_CLIENT_SECRET (bastionsecret)
#   LLNG_LOGLEVEL (notice)  LLNG_START_TIMEOUT (seconds, 30)
#
# Users: dwho, rtyler, msmith; each one's initial password is the login. "demo" uses LLNG's built-in
# Demo backend (fixed passwords); "sqlite" uses LLNG's DBI backend on $LLNG_DIR/users.db so that a test
# can change a password while the portal runs. The OIDC relying party is a confidential client that
# may use the resource-owner password grant, as the engine does.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${LLNG_DIR:-/tmp/obactors-llng}
port=${LLNG_PORT:-18080}
auth=${LLNG_AUTH:-demo}
client_id=${LLNG_CLIENT_ID:-bastion}
client_secret=${LLNG_CLIENT_SECRET:-bastionsecret}
loglevel=${LLNG_LOGLEVEL:-notice}
start_timeout=${LLNG_START_TIMEOUT:-30}
host=127.0.0.1
base="http://$host:$port"
pidfile="$dir/run/portal.pid"
logfile="$dir/run/portal.log"
psgi=/usr/share/lemonldap-ng/portal/htdocs/index.psgi

say() { printf 'llng: %s\n' "$*"; }
die() { printf 'llng: %s\n' "$*" >&2; exit 1; }

case "$auth" in demo|sqlite) ;; *) die "LLNG_AUTH must be demo or sqlite, not '$auth'" ;; esac
case "$port" in ''|*[!0-9]*) die "LLNG_PORT must be a number, not '$port'" ;; esac

# --- process bookkeeping -----------------------------------------------------------------------

# The portal's PID, printed only if the PID file names a live plackup process (guards against a
# stale file whose PID has been reused by something else).
portal_pid() {
  local pid cmdline
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *plackup* ]] || return 1
  printf '%s\n' "$pid"
}

answers() { curl -sf -o /dev/null --max-time "${1:-2}" "$base/.well-known/openid-configuration"; }

# --- commands ----------------------------------------------------------------------------------

cmd_install() { "$here/deps.sh"; }

write_users_db() {
  rm -f "$dir/users.db"
  perl -MDBI -e '
    my $db = DBI->connect("dbi:SQLite:dbname=$ARGV[0]", "", "", { RaiseError => 1, PrintError => 0 });
    $db->do("CREATE TABLE users (user TEXT PRIMARY KEY, password TEXT NOT NULL, name TEXT, mail TEXT)");
    my $add = $db->prepare("INSERT INTO users (user, password, name, mail) VALUES (?, ?, ?, ?)");
    $add->execute(@$_) for ["dwho", "dwho", "Doctor Who", "dwho\@badwolf.org"],
                           ["rtyler", "rtyler", "Rose Tyler", "rtyler\@badwolf.org"],
                           ["msmith", "msmith", "Mickey Smith", "msmith\@badwolf.org"];
  ' "$dir/users.db"
}

# lmConf-1.json is produced by Perl's JSON encoder so the PEM keys are escaped correctly.
write_portal_conf() {
  DIR="$dir" BASE="$base" AUTH="$auth" CID="$client_id" CSECRET="$client_secret" perl -MJSON -e '
    sub file { my ($p) = @_; open my $fh, "<", $p or die "$p: $!\n"; local $/; scalar <$fh> }
    my ($d, $base, $rp) = @ENV{qw(DIR BASE CID)};
    my %backend = $ENV{AUTH} eq "sqlite"
      ? ( authentication => "DBI", userDB => "Same", passwordDB => "Null",
          dbiAuthChain => "dbi:SQLite:dbname=$d/users.db", dbiAuthUser => "", dbiAuthPassword => "",
          dbiAuthTable => "users", dbiAuthLoginCol => "user", dbiAuthPasswordCol => "password",
          dbiAuthPasswordHash => "", dbiExportedVars => { uid => "user", cn => "name", mail => "mail" } )
      : ( authentication => "Demo", userDB => "Same", passwordDB => "Demo",
          demoExportedVars => { uid => "uid", cn => "cn", mail => "mail" } );
    my $conf = {
      cfgNum => 1, cfgAuthor => "scripts/llng.sh", cfgDate => time, cfgVersion => "2.16.1",
      key => "obactors-test-portal-key",          # session cipher key of a throw-away portal
      portal => "$base/", domain => "127.0.0.1", cookieName => "lemonldap", securedCookie => 0,
      timeout => 72000, whatToTrace => "uid", registerDB => "Null", %backend,
      globalStorage => "Apache::Session::File",
      globalStorageOptions => { Directory => "$d/sessions", LockDirectory => "$d/sessions/lock",
        generateModule => "Lemonldap::NG::Common::Apache::Session::Generate::SHA256" },
      persistentStorage => "Apache::Session::File",
      persistentStorageOptions => { Directory => "$d/psessions", LockDirectory => "$d/psessions/lock" },
      localSessionStorage => "Cache::FileCache",
      localSessionStorageOptions => { namespace => "lemonldap-ng-sessions", default_expires_in => 600,
        directory_umask => "077", cache_root => "$d/cache", cache_depth => 3 },
      notification => 0, loginHistoryEnabled => 0,
      bruteForceProtection => 0,                  # the tests send many wrong passwords on purpose
      captcha => "::Main::Plugin",                # a no-op: the default captcha needs GD/ImageMagick
      locationRules => { "127.0.0.1" => { default => "accept" } },
      issuerDBOpenIDConnectActivation => 1,
      issuerDBOpenIDConnectPath => "^/oauth2/",
      oidcServiceMetaDataIssuer => $base,
      oidcServicePrivateKeySig => file("$d/keys/oidc.key"),
      oidcServicePublicKeySig => file("$d/keys/oidc.pub"),
      oidcServiceKeyIdSig => "obactors-test-1",
      oidcServiceAllowAuthorizationCodeFlow => 1,
      oidcServiceAccessTokenExpiration => 3600,
      oidcRPMetaDataOptions => { $rp => {
        oidcRPMetaDataOptionsDisplayName => "OpenBastion.Actors tests",
        oidcRPMetaDataOptionsClientID => $rp,
        oidcRPMetaDataOptionsClientSecret => $ENV{CSECRET},
        oidcRPMetaDataOptionsPublic => 0,
        oidcRPMetaDataOptionsAllowPasswordGrant => 1,
        oidcRPMetaDataOptionsRefreshToken => 0,
        oidcRPMetaDataOptionsIDTokenSignAlg => "RS256",
        oidcRPMetaDataOptionsAccessTokenExpiration => 3600,
        oidcRPMetaDataOptionsRedirectUris => "http://127.0.0.1/callback" } },
      oidcRPMetaDataExportedVars => { $rp => {
        name => "cn", email => "mail", preferred_username => "uid" } },
    };
    open my $out, ">", "$d/conf/lmConf-1.json" or die "$d/conf/lmConf-1.json: $!\n";
    print $out JSON->new->canonical->pretty->encode($conf);
    close $out or die "$!\n";
  '
}

cmd_configure() {
  if portal_pid >/dev/null; then die "the portal is running; stop it before configure"; fi
  umask 077
  rm -rf "$dir/sessions" "$dir/psessions" "$dir/cache"      # no session survives a reconfigure
  mkdir -p "$dir"/{etc,conf,keys,run,cache,notifications,sessions/lock,psessions/lock}
  chmod 700 "$dir"
  if [ ! -s "$dir/keys/oidc.key" ] || [ ! -s "$dir/keys/oidc.pub" ]; then
    # PKCS#1 private key + SPKI public key, the forms LLNG 2.16 reads for ID token signatures.
    openssl genrsa -traditional -out "$dir/keys/oidc.key" 2048 2>/dev/null
    openssl rsa -in "$dir/keys/oidc.key" -pubout -out "$dir/keys/oidc.pub" 2>/dev/null
  fi
  cat >"$dir/etc/lemonldap-ng.ini" <<EOF
; generated by scripts/llng.sh - a test portal, not for production
[all]
logLevel = $loglevel
; re-read the File configuration every second
checkTime = 1

[configuration]
type = File
dirName = $dir/conf
prettyPrint = 1

[portal]
staticPrefix = /static
templateDir = /usr/share/lemonldap-ng/portal/templates
languages = en
EOF
  [ "$auth" = sqlite ] && write_users_db
  write_portal_conf
  say "configured $dir (auth=$auth, portal $base/)"
}

cmd_start() {
  local pid deadline=$((SECONDS + start_timeout)) t0
  if pid=$(portal_pid); then say "already running (pid $pid)"; return 0; fi
  [ -s "$dir/conf/lmConf-1.json" ] || die "not configured: run '$0 configure' first"
  command -v plackup >/dev/null || die "plackup not found: the LLNG packages are missing (run scripts/deps.sh as root)"
  [ -r "$psgi" ] || die "$psgi not found: the LLNG portal package is missing (run scripts/deps.sh as root)"
  if answers 1; then die "something else already answers on $base"; fi
  t0=$(date +%s%N)
  # deployment mode: no Lint/StackTrace/AccessLog middleware. HTTP::Server::PSGI serves one
  # request at a time, which suits sequential tests. setsid: its own session, away from our signals.
  LLNG_DEFAULTCONFFILE="$dir/etc/lemonldap-ng.ini" setsid plackup -E deployment \
    -s HTTP::Server::PSGI --host "$host" --port "$port" "$psgi" >"$logfile" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pidfile"
  until answers 2; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the portal exited during start-up; last log lines:" >&2; tail -n 20 "$logfile" >&2
      rm -f "$pidfile"; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "the portal did not answer within ${start_timeout}s; last log lines:" >&2
      tail -n 20 "$logfile" >&2; cmd_stop >&2; return 1
    fi
    sleep 0.1
  done
  say "up at $base/ (pid $pid) after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}

cmd_stop() {
  local pid i
  if ! pid=$(portal_pid); then rm -f "$pidfile"; say "not running"; return 0; fi
  kill -CONT "$pid" 2>/dev/null || true        # a frozen process would not act on SIGTERM
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid
  if answers 2; then say "up at $base/"; return 0; fi
  if pid=$(portal_pid); then say "process $pid exists but does not answer (frozen?)"; else say "down"; fi
  return 1
}

# POST a password grant the way the engine does: client_secret_post, credentials in the form body.
grant() {
  curl -s --max-time 10 -w '\n%{http_code}' \
    --data-urlencode grant_type=password --data-urlencode "client_id=$client_id" \
    --data-urlencode "client_secret=$client_secret" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" --data-urlencode "scope=openid profile email" "$base/oauth2/token"
}

cmd_smoke() {
  local out code body token user=dwho
  out=$(grant "$user" "$user"); code=${out##*$'\n'}; body=${out%$'\n'*}
  token=$(jq -er '.access_token' <<<"$body" 2>/dev/null) || die "smoke: password grant failed (HTTP $code): $body"
  [ "$code" = 200 ] || die "smoke: password grant answered HTTP $code"
  say "ok: password grant for $user (HTTP 200, token issued)"

  out=$(grant "$user" "not-$user"); code=${out##*$'\n'}; body=${out%$'\n'*}
  [ "$code" = 400 ] && [ "$(jq -r '.error' <<<"$body" 2>/dev/null)" = invalid_grant ] \
    || die "smoke: wrong password gave HTTP $code $body, expected 400 invalid_grant"
  say "ok: wrong password -> 400 invalid_grant"

  out=$(curl -s --max-time 10 -w '\n%{http_code}' -H "Authorization: Bearer $token" "$base/oauth2/userinfo")
  code=${out##*$'\n'}; body=${out%$'\n'*}
  [ "$code" = 200 ] && [ "$(jq -r '.name' <<<"$body" 2>/dev/null)" = "Doctor Who" ] \
    || die "smoke: userinfo gave HTTP $code $body, expected name \"Doctor Who\""
  say "ok: userinfo name = Doctor Who"

  out=$(client_secret="not-$client_secret" grant "$user" "$user"); code=${out##*$'\n'}; body=${out%$'\n'*}
  # LLNG 2.16 answers 400 for a bad client_secret_post (401 for a bad Basic header); both are invalid_client.
  [ "$(jq -r '.error' <<<"$body" 2>/dev/null)" = invalid_client ] \
    || die "smoke: a wrong client secret gave HTTP $code $body, expected invalid_client"
  say "ok: wrong client secret -> HTTP $code invalid_client"
  say "smoke passed"
}

cmd_passwd() {
  [ "$auth" = sqlite ] || die "passwd needs LLNG_AUTH=sqlite (the demo backend has fixed passwords)"
  [ $# -eq 2 ] || die "usage: $0 passwd USER PASSWORD"
  [ -s "$dir/users.db" ] || die "no $dir/users.db: run configure with LLNG_AUTH=sqlite"
  perl -MDBI -e '
    my ($file, $user, $pass) = @ARGV;
    my $db = DBI->connect("dbi:SQLite:dbname=$file", "", "", { RaiseError => 1, PrintError => 0 });
    my $n = $db->do("UPDATE users SET password = ? WHERE user = ?", undef, $pass, $user);
    die "llng: no such user: $user\n" unless $n == 1;
  ' "$dir/users.db" "$1" "$2"
  say "password of $1 changed"
}

cmd_signal() {   # $1 = STOP | CONT
  local pid
  pid=$(portal_pid) || die "not running"
  kill "-$1" "$pid"
  say "sent SIG$1 to $pid"
}

main() {
  local cmd=${1:-all}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    install) cmd_install ;;
    configure) cmd_configure ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    smoke) cmd_smoke ;;
    passwd) cmd_passwd "$@" ;;
    freeze) cmd_signal STOP ;;
    thaw) cmd_signal CONT ;;
    all) cmd_install; cmd_stop; cmd_configure; cmd_start; cmd_smoke ;;
    -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (install configure start stop status smoke passwd freeze thaw all)" ;;
  esac
}

main "$@"
