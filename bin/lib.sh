# Shared by bin/run and bin/test; sourced, not run.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE="renewal_contracts,renewal_portal,renewal_channel,renewal_reporting,renewal_refresh,renewal_stock"
PYTHON=${PYTHON:-python3}

odoo_version() {
    (cd /tmp && timeout 60 "$PYTHON" -c 'import odoo.release as r; print(r.version)' 2>/dev/null)
}

# Explain how to get Odoo 18 when it is not importable; returns 1 then.
require_odoo() {
    local version
    version=$(odoo_version)
    case "$version" in
        18.0*) return 0 ;;
        "")
            cat >&2 <<MSG
Odoo is not importable by '$PYTHON' on this machine.
The suite needs Odoo 18.0 community. Either:
  - get the source: git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo
    then, from this repo: pip install -r requirements.txt (Odoo 18 pins, a cbor2
    that builds, the test tools) and pip install -e odoo
    (or add the checkout to PYTHONPATH), and run this command again;
  - or run everything in Docker: cd docker && docker compose up
    (official odoo:18.0 image, PostgreSQL 16 and a Mailpit mail catcher).
MSG
            ;;
        *) echo "Odoo $version is importable, but the suite needs Odoo 18.0." >&2 ;;
    esac
    return 1
}

# This repo's addons, then Odoo's community addons wherever this Odoo keeps
# them (a source checkout has them beside the odoo package).
addons_path() {
    local extra
    extra=$(cd /tmp && "$PYTHON" - <<'PY'
import os
import odoo
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
paths = [os.path.join(root, "addons")]
paths += [p for p in odoo.addons.__path__]
print(",".join(p for p in paths if os.path.isdir(p)))
PY
)
    echo "$REPO/addons,$extra"
}

db_exists() {
    psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'" postgres 2>/dev/null | grep -q 1
}

# Install the Python tools the checks need (ruff, pylint-odoo, pytest-odoo…)
# when they are missing.
ensure_dev_tools() {
    if ! "$PYTHON" -c 'import lxml, pytest, ruff, pylint_odoo, aiosmtpd, websocket' 2>/dev/null; then
        echo "Installing the test tools (requirements-dev.txt)..."
        "$PYTHON" -m pip install -q -r "$REPO/requirements-dev.txt"
    fi
}

# The OCA addons of requirements-addons.txt, when Odoo cannot find them.
ensure_oca_addons() {
    if ! (cd /tmp && "$PYTHON" -c 'import odoo.addons.queue_job, odoo.addons.fastapi_auth_api_key, odoo.addons.auth_api_key_group, fastapi, a2wsgi, multipart, ujson, accept_language, fastapi_openapi_overrides, httpx2' 2>/dev/null); then
        echo "Installing the OCA addons (requirements-addons.txt)..."
        "$PYTHON" -m pip install -q --no-deps -r "$REPO/requirements-addons.txt"
    fi
}

# Odoo's browser tests (tours) drive a headless Chromium; without one they are
# skipped, so say so loudly.
check_browser() {
    if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1 \
        && ! command -v chromium-browser >/dev/null 2>&1; then
        echo "WARNING: no Chromium found: the portal's browser tours will be SKIPPED." >&2
        echo "         Install it (Debian/Ubuntu: apt-get install chromium) to run them." >&2
    fi
}

# odoo.conf with the addons path written into its [options] section, for
# pytest-odoo, `odoo shell -c` and friends (Odoo reads addons_path only there).
write_dev_conf() {
    local target=$1 addons=$2
    awk -v path="$addons" '
        { print }
        /^\[options\]/ && !done { print "addons_path = " path; done = 1 }
    ' "$REPO/odoo.conf" > "$target"
}

# Odoo prints PDFs through wkhtmltopdf; only the build with patched Qt
# (wkhtmltox 0.12.6.1 from the wkhtmltopdf packaging project) prints the
# report header and footer: logo, company or reseller name and address,
# page numbers. Debian's and Ubuntu's own package lacks them.
check_wkhtmltopdf() {
    local version
    if ! version=$(wkhtmltopdf --version 2>/dev/null); then
        echo "WARNING: no wkhtmltopdf: quotations and certificates show as HTML, not PDF." >&2
        echo "         Install wkhtmltox 0.12.6.1 (with patched Qt); see README, 'PDFs'." >&2
    elif ! grep -qi "patched qt" <<<"$version"; then
        echo "WARNING: $version has no patched Qt: PDFs print without their header and" >&2
        echo "         footer (no logo, no brand name or address, no page numbers)." >&2
        echo "         Install wkhtmltox 0.12.6.1 (with patched Qt); see README, 'PDFs'." >&2
    fi
}
