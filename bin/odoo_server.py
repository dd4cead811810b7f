#!/usr/bin/env python3
"""Odoo's command line, as a script: ``python3 bin/odoo_server.py <odoo options>``.

``python3 -m odoo`` serves well with threads, but with ``--workers`` Odoo
starts its long-polling (gevent) process by running ``sys.argv[0]`` again;
for ``-m odoo`` that is ``odoo/__main__.py`` run as a plain file, which
cannot import its own package, exits, and is started again at once, without
end, taking a core away from the workers. Through this script the gevent
process starts like the others.
"""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
