# Issue 17's yardstick, run here: Apache with mod_auth_openidc (Debian's
# apache2 and libapache2-mod-auth-openidc) protecting a 2.9 KB static
# page, configured as the seed's example (Pro Santé Connect's discovery,
# the client's secret, acr_values) and otherwise left at Debian's
# defaults: mpm_event with its Debian settings, the shared-memory session
# cache, no access log; only its keep-alive is unbounded (see below). Sourced by wrk-signed-in.sh (APACHE=1).

# apache_start DIR PORT ISSUER starts Apache on 127.0.0.1:PORT, its files
# in DIR, which www-data must be able to reach; the issuer's client must
# accept http://127.0.0.1:PORT/auth/psc/callback.
apache_start() {
  local dir=$1 port=$2 issuer=$3 modules=/usr/lib/apache2/modules
  [ -f "$modules/mod_auth_openidc.so" ] ||
    { echo "APACHE=1 needs: apt-get install apache2 libapache2-mod-auth-openidc" >&2; return 1; }
  mkdir -p "$dir/www"
  # Apache's children run as www-data, mktemp's directories are private.
  chmod 755 "$dir" "$dir/www"
  python3 - "$dir/www/index.html" <<'EOF'
import sys
line = '<p>Identification du patient : saisissez le NIR ou les traits INS.</p>\n'
head = '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>InfoPatient</title></head><body><main>\n'
tail = '</main></body></html>\n'
body = head + line * ((2900 - len(head) - len(tail)) // len(line))
open(sys.argv[1], 'w').write(body + ' ' * (2900 - len(body) - len(tail)) + tail)
EOF
  cat >"$dir/httpd.conf" <<EOF
ServerRoot $dir
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/httpd.pid
ErrorLog $dir/error.log
LogLevel warn
User www-data
Group www-data
Mutex file:$dir default
LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authn_core_module $modules/mod_authn_core.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule authz_user_module $modules/mod_authz_user.so
LoadModule auth_openidc_module $modules/mod_auth_openidc.so
LoadModule mime_module $modules/mod_mime.so
LoadModule dir_module $modules/mod_dir.so
TypesConfig /etc/mime.types
# Debian's /etc/apache2/mods-available/mpm_event.conf
StartServers 2
MinSpareThreads 25
MaxSpareThreads 75
ThreadLimit 64
ThreadsPerChild 25
MaxRequestWorkers 150
MaxConnectionsPerChild 0
# Keep-alive connections unbounded, as the portal's: Apache's default
# closes one every 100 requests, which wrk reports as read errors.
MaxKeepAliveRequests 0
DocumentRoot $dir/www
DirectoryIndex index.html
OIDCProviderMetadataURL $issuer/.well-known/openid-configuration
OIDCClientID infopatient-demo
OIDCClientSecret infopatient-demo-psc-secret
OIDCRedirectURI http://127.0.0.1:$port/auth/psc/callback
OIDCCryptoPassphrase $(head -c24 /dev/urandom | base64)
OIDCScope "openid scope_all"
OIDCAuthRequestParams acr_values=eidas1
OIDCRemoteUserClaim sub
<Location />
  AuthType openid-connect
  Require valid-user
</Location>
EOF
  apache2 -f "$dir/httpd.conf" -k start
  # Ready once it sends an anonymous visitor to the provider.
  for _ in $(seq 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 302 ] && break
    sleep 0.1
  done
}

apache_stop() { [ -s "$1/httpd.pid" ] && apache2 -f "$1/httpd.conf" -k stop 2>/dev/null; true; }

# apache_memory DIR prints "processes rss_mb pss_mb" for Apache's parent
# and children as they are now: the sum of their resident sets, as issue
# 17 counted Apache (each process counts the shared libraries it maps),
# and the sum of their proportional sets (each shared page counted once
# in all). Apache adds children under load and ends them soon after, so
# the script samples this during Apache's rounds.
apache_memory() {
  local parent
  parent=$(cat "$1/httpd.pid")
  for p in $parent $(pgrep -P "$parent"); do
    # A child may end between pgrep and here.
    awk '/^Rss:/{r=$2} /^Pss:/{p=$2} END{if (r) print r, p}' "/proc/$p/smaps_rollup" 2>/dev/null || true
  done | awk '{n++; r+=$1; p+=$2} END{printf "%d %.1f %.1f\n", n, r/1024, p/1024}'
}
