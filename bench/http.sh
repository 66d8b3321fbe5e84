#!/bin/bash
# http.sh BUILD_DIR OUT - gca serve against nginx with wrk on loopback
# (issue 6): requests/s and p99 latency of /api/v1/results and of a
# country profile page at 64 connections, 10 s each, and nginx serving
# the same bytes as static files in the same run; the server's RSS after
# the runs. Both get the same two cores: gca --threads 2, nginx
# worker_processes 2. Writes key=value lines to OUT.
set -euo pipefail
build=$1
out=$2
gca=$build/gca
for c in wrk nginx curl; do
    command -v $c >/dev/null || { echo "http.sh: $c is missing (deps.txt)" >&2; exit 1; }
done
tmp=$(mktemp -d)
cleanup() {
    [ -n "${gpid:-}" ] && kill "$gpid" 2>/dev/null || true
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

"$gca" db init --db "$tmp/gca.db" >/dev/null
"$gca" serve --db "$tmp/gca.db" --listen 127.0.0.1:0 --threads 2 --quiet \
    >"$tmp/serve.out" 2>"$tmp/serve.err" &
gpid=$!
for _ in $(seq 50); do
    grep -q listening "$tmp/serve.out" 2>/dev/null && break
    sleep 0.1
done
gport=$(sed -n 's|.*:\([0-9]*\)/$|\1|p' "$tmp/serve.out")

mkdir -p "$tmp/www"
curl -sf "http://127.0.0.1:$gport/api/v1/results" >"$tmp/www/results.json"
curl -sf "http://127.0.0.1:$gport/countries/GBR" >"$tmp/www/profile.html"

# nginx on a free port, in the foreground of its own process group.
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$tmp/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/ngx_body;
    proxy_temp_path $tmp/ngx_proxy;
    fastcgi_temp_path $tmp/ngx_fcgi;
    uwsgi_temp_path $tmp/ngx_uwsgi;
    scgi_temp_path $tmp/ngx_scgi;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        location = /results.json { default_type application/json; }
        location = /profile.html { default_type text/html; }
    }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp"
sleep 0.5

# wrk's "Requests/sec" and its 99% latency in ms.
bench() {
    local r
    r=$(wrk -t2 -c64 -d10s --latency "$1")
    local rps p99
    rps=$(echo "$r" | sed -n 's/^Requests\/sec: *//p')
    p99=$(echo "$r" | awk '$1 == "99%" { v = $2;
        if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v) }
        else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
        print v }')
    echo "$2_rps=$rps"
    echo "$2_p99_ms=$p99"
}
{
    bench "http://127.0.0.1:$gport/api/v1/results" gca_results
    bench "http://127.0.0.1:$nport/results.json" nginx_results
    bench "http://127.0.0.1:$gport/countries/GBR" gca_profile
    bench "http://127.0.0.1:$nport/profile.html" nginx_profile
    echo "gca_rss_mb=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/$gpid/status)"
    echo "results_bytes=$(stat -c %s "$tmp/www/results.json")"
    echo "profile_bytes=$(stat -c %s "$tmp/www/profile.html")"
} | tee "$out"
