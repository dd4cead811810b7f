"""Every command the README gives is run by CI.

The README's commands stand in ```sh blocks; tests/readme_commands.sh (run by
bin/test after the Odoo tests) runs each of them, announced by a
``# README: <command>`` line. This check fails when the README gains a
command that the script does not run, or writes one in running text instead
of a block, where nothing would notice it breaking.
"""

import re

NO_DOCKER = "CI machines run no Docker engine"
# Commands CI cannot run, and why. Keep this short.
NOT_RUN_BY_CI = {
    "git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo": (
        "fetches Odoo from GitHub; CI machines reach package registries only "
        "(CI's Odoo is such a checkout, and every later command proves it)"
    ),
    "pip install -e odoo": "needs the checkout made by the git clone above",
    "cd docker && docker compose up": NO_DOCKER,
    "docker compose down -v": NO_DOCKER,
    'docker compose run --rm odoo "odoo -c /etc/odoo/odoo.conf -d renewals -u '
    "renewal_contracts,renewal_portal,renewal_channel,renewal_reporting,"
    'renewal_refresh,renewal_stock --stop-after-init"': NO_DOCKER,
    'docker compose run --rm odoo "odoo -c /etc/odoo/odoo.conf -d renewals_test -i '
    "renewal_contracts,renewal_portal,renewal_channel,renewal_reporting,"
    "renewal_refresh,renewal_stock --test-enable "
    "--test-tags=/renewal_contracts,/renewal_portal,/renewal_channel,"
    '/renewal_reporting,/renewal_refresh,/renewal_stock --stop-after-init"': NO_DOCKER,
}

# Running text that names a command to type (not a variable or a path).
COMMAND_START = re.compile(
    r"^(?:[A-Z_]+=\S+\s+)*"
    r"(?:bin/[\w-]+(?=\s|$)|python3? |pip |pytest |apt-get |docker |git |cd )"
)


def readme_commands(text):
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                commands.append(" ".join(line.split()))
    return commands


def inline_commands(text):
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    return [
        span for span in re.findall(r"`([^`\n]+)`", prose) if COMMAND_START.match(span)
    ]


def script_commands(root):
    script = (root / "tests" / "readme_commands.sh").read_text()
    return {
        " ".join(line.split(":", 1)[1].split())
        for line in script.splitlines()
        if line.startswith("# README:")
    }


def test_every_readme_command_is_run_by_ci(root):
    covered = script_commands(root)
    for readme in (root / "README.md", root / "docker" / "README.md"):
        text = readme.read_text()
        missing = [
            command
            for command in readme_commands(text)
            if command not in covered and command not in NOT_RUN_BY_CI
        ]
        assert not missing, (
            f"{readme.name}: commands not run by tests/readme_commands.sh: {missing}"
        )


def test_commands_stand_in_blocks(root):
    for readme in (root / "README.md", root / "docker" / "README.md"):
        text = readme.read_text()
        in_blocks = set(readme_commands(text)) | script_commands(root)
        spans = [span for span in inline_commands(text) if span not in in_blocks]
        assert not spans, (
            f"{readme.name}: commands in running text, put them in a ```sh "
            f"block (CI runs those): {spans}"
        )


def test_script_runs_only_what_the_readme_says(root):
    text = (root / "README.md").read_text()
    stale = script_commands(root) - set(readme_commands(text))
    assert not stale, f"readme_commands.sh announces commands the README lost: {stale}"


def test_checker_sees_commands(tmp_path):
    text = "Run `bin/run --dev=xml` now.\n```sh\nbin/test   # all\n# note\n```\n"
    assert readme_commands(text) == ["bin/test"]
    assert inline_commands(text) == ["bin/run --dev=xml"]
    assert inline_commands("Set `KEEP_DB=1` or read `bin/lib.sh`.") == []
