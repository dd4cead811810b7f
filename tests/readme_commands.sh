#!/usr/bin/env bash
# Run every command the README gives a user or a developer, as bin/test's
# last step, so that a broken one fails CI. Each is preceded by a line
#   # README: <the command as the README writes it>
# and tests/test_readme.py checks that every command in the README's ```sh
# blocks has such a line here (or is one of the few listed there that need
# the internet or a Docker engine). Where the README's command works on a
# fixed database or a big size, it runs here on a scratch database, a free
# port and a small size: the same script, the same code path.
# Prints "ok <command>" or "FAIL <command>" per command, then "readme: done".
set -uo pipefail
source "$(dirname "$0")/../bin/lib.sh"
cd "$REPO"
OUT=${TEST_OUTPUT:-$REPO/.test-output}/readme
mkdir -p "$OUT"
DB=renewals_readme_$$
PORT=$((20000 + RANDOM % 20000))
cleanup() {
    [ -n "${SERVER_PID:-}" ] && kill -- -"$SERVER_PID" 2>/dev/null
    [ -n "${SMTP_PID:-}" ] && kill "$SMTP_PID" 2>/dev/null
    dropdb --if-exists "$DB" >/dev/null 2>&1
}
trap cleanup EXIT

# README: bin/test
# (this very run: .ci/run is bin/test, which ends with this script)

step=0
check() { # check "<README command>" <command to run...>
    local label=$1
    shift
    step=$((step + 1))
    if "$@" > "$OUT/$step.log" 2>&1; then
        echo "ok $label"
    else
        echo "FAIL $label (log: $OUT/$step.log)"
        tail -15 "$OUT/$step.log"
    fi
}

# Serve with bin/run until the login page answers, then stop it.
serve_until_up() {
    set -m
    RENEWALS_DB=$DB bin/run --http-port="$PORT" --dev=xml "$@" &
    SERVER_PID=$!
    set +m
    local url="http://127.0.0.1:$PORT/web/login"
    for _ in $(seq 1 300); do
        if curl -sf -o /dev/null "$url"; then
            kill -- -"$SERVER_PID" 2>/dev/null
            wait "$SERVER_PID" 2>/dev/null
            SERVER_PID=
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 1
    done
    return 1
}

# README: apt-get install -y wkhtmltopdf chromium
check "apt-get install -y wkhtmltopdf chromium" \
    bash -c 'command -v apt-get >/dev/null || exit 0; DEBIAN_FRONTEND=noninteractive apt-get install -y wkhtmltopdf chromium'

# README: pip install -r requirements.txt
check "pip install -r requirements.txt" "$PYTHON" -m pip install -q -r requirements.txt

# README: bin/run
# README: RENEWALS_DB=mydb bin/run
# README: bin/run --dev=xml
check "bin/run (creates the demo database, serves the login page)" serve_until_up

# README: bin/run --stop-after-init
check "bin/run --stop-after-init" env RENEWALS_DB="$DB" bin/run --stop-after-init

# README: pytest -p odoo -p no:cacheprovider --odoo-config=.odoo-dev.conf --odoo-database=renewals addons/renewal_contracts/tests
check "pytest -p odoo ... --odoo-config=.odoo-dev.conf addons/renewal_contracts/tests" \
    "$PYTHON" -m pytest -q -p odoo -p no:cacheprovider --odoo-config=.odoo-dev.conf \
    --odoo-database="$DB" addons/renewal_contracts/tests

# README: python3 -m odoo shell -c .odoo-dev.conf -d renewals
check "python3 -m odoo shell -c .odoo-dev.conf" bash -c \
    "echo 'print(\"contracts:\", env[\"renewal.contract\"].search_count([]))' \
     | '$PYTHON' -m odoo shell -c .odoo-dev.conf -d '$DB' --no-http --log-level=warn \
     | grep -E '^contracts: [1-9]'"

# README: python3 -m aiosmtpd -n -l 127.0.0.1:1025 &
# README: bin/run --smtp=127.0.0.1 --smtp-port=1025
smtp_catcher() {
    "$PYTHON" -m aiosmtpd -n -l 127.0.0.1:1025 > "$OUT/smtp.out" 2>&1 &
    SMTP_PID=$!
    sleep 1
    kill -0 "$SMTP_PID" && serve_until_up --smtp=127.0.0.1 --smtp-port=1025
}
check "aiosmtpd catcher + bin/run --smtp=127.0.0.1 --smtp-port=1025" smtp_catcher

# README: TEST_TAGS=/renewal_contracts:TestStatusRefresh bin/test
check "TEST_TAGS=/renewal_contracts:TestStatusRefresh bin/test" \
    env TEST_OUTPUT="$OUT/tags" TEST_TAGS=/renewal_contracts:TestStatusRefresh bin/test

# The benchmarks, each on its own scratch database at a small size.
# README: python3 benchmarks/status_refresh.py --lines 1000000
check "python3 benchmarks/status_refresh.py (2,000 lines)" \
    "$PYTHON" benchmarks/status_refresh.py --lines 2000 --db "${DB}_b1"
# README: python3 benchmarks/feed_import.py --rows 100000
check "python3 benchmarks/feed_import.py (500 rows)" \
    "$PYTHON" benchmarks/feed_import.py --rows 500 --load-rows 100 --db "${DB}_b2"
# README: python3 benchmarks/quote_generation.py --customers 2000
check "python3 benchmarks/quote_generation.py (50 customers)" \
    "$PYTHON" benchmarks/quote_generation.py --customers 50 --db "${DB}_b3"
# README: python3 benchmarks/portal_load.py --contracts 2000 --clients 8 --requests 400
check "python3 benchmarks/portal_load.py (100 contracts)" \
    "$PYTHON" benchmarks/portal_load.py --contracts 100 --clients 2 --requests 20 --db "${DB}_b4"
# README: python3 benchmarks/partner_api.py --rows 100000
check "python3 benchmarks/partner_api.py (1,000 rows)" \
    "$PYTHON" benchmarks/partner_api.py --rows 1000 --requests 80 --load-rows 100 --db "${DB}_b6"
# README: python3 benchmarks/reporting.py --lines 1000000
check "python3 benchmarks/reporting.py (20,000 lines)" \
    "$PYTHON" benchmarks/reporting.py --lines 20000 --runs 2 --db "${DB}_b7"
# README: python3 benchmarks/refresh_campaign.py --products 1000000 --selected 50000
check "python3 benchmarks/refresh_campaign.py (20,000 products)" \
    "$PYTHON" benchmarks/refresh_campaign.py --products 20000 --selected 1000 --sample 50 --db "${DB}_b8"
# README: python3 benchmarks/notices.py --customers 10000
check "python3 benchmarks/notices.py (50 customers)" \
    "$PYTHON" benchmarks/notices.py --customers 50 --db "${DB}_b5"

echo "readme: done"
