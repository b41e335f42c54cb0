"""Run Debian's (or any) nginx with the shipped deploy/nginx*.conf, for
`bot run --servers N` and the cluster test: what we ship is what we test.

The shipped files are filled in the way a deployer fills them with envsubst:
only the listed ${NAME}s are replaced, every other $ is nginx's own. nginx
runs in the foreground under our process supervision, with its own prefix
folder (pid, logs, temp files), so it needs no root and touches nothing of
the machine's own nginx.
"""
from __future__ import annotations

import getpass
import os
import re
import shutil
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from bot import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
PUBLIC_CONF = DEPLOY / "nginx.conf"
REVIEW_CONF = DEPLOY / "nginx-review.conf"
TLS_CONF = DEPLOY / "nginx-tls.conf"
PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")
INSTALL_HINT = "install nginx (Debian: ./scripts/install-nginx.sh; macOS: brew install nginx)"


class NginxConfigError(ValueError):
    """A shipped file needs a value that was not given."""


def render(template: str, values: Mapping[str, str]) -> str:
    """envsubst with a variable list: ${NAME} for each given NAME; a ${NAME}
    left over that looks like ours is an error, not an empty string."""
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise NginxConfigError(f"no value for ${{{name}}}")
        return values[name]

    # Comments are left as they are: they show the placeholders to a reader.
    return "\n".join(line if line.lstrip().startswith("#") else PLACEHOLDER.sub(fill, line)
                     for line in template.split("\n"))


def upstream_servers(addresses: Sequence[str]) -> str:
    """RASA_SERVERS for nginx.conf: one server line per HOST:PORT."""
    return " ".join(f"server {address} max_fails=2 fail_timeout=10s;" for address in addresses)


def find_nginx() -> Optional[str]:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/opt/homebrew/bin/nginx")
         if os.access(p, os.X_OK)), None)


def main_conf(prefix: Path, includes: Sequence[Path]) -> str:
    """The small top-level file a machine's own /etc/nginx/nginx.conf would be."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # root: workers stay us
    lines = "\n".join(f"    include {path};" for path in includes)
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            f"    client_body_temp_path {prefix / 'body'};\n    proxy_temp_path {prefix / 'proxy'};\n"
            f"    fastcgi_temp_path {prefix / 'fastcgi'};\n    uwsgi_temp_path {prefix / 'uwsgi'};\n"
            f"    scgi_temp_path {prefix / 'scgi'};\n"
            f"{lines}\n}}\n")


def prepare(prefix: Path, public: Optional[Dict[str, str]] = None,
            review: Optional[Dict[str, str]] = None, tls: Optional[Dict[str, str]] = None) -> Path:
    """Write the filled-in shipped files and a top-level config into `prefix`;
    return the top-level file. `public`/`review` hold their placeholders'
    values but TLS_INCLUDE and ACCESS_LOG, which are set here."""
    prefix.mkdir(parents=True, exist_ok=True)
    tls_file = prefix / "tls.conf"
    tls_file.write_text(render(TLS_CONF.read_text(), tls) if tls else "# plain HTTP\n")
    common = {"TLS_INCLUDE": str(tls_file), "ACCESS_LOG": str(prefix / "access.log")}
    includes: List[Path] = []
    # The public file defines the log format, so it comes first even when only the review is wanted.
    for name, template, values in (("public.conf", PUBLIC_CONF, public), ("review.conf", REVIEW_CONF, review)):
        if values is not None:
            path = prefix / name
            path.write_text(render(template.read_text(), {**values, **common}))
            includes.append(path)
    top = prefix / "nginx.conf"
    top.write_text(main_conf(prefix, includes))
    return top


def command(nginx: str, prefix: Path, top: Path) -> List[str]:
    """nginx in the foreground (SIGTERM stops it at once, SIGQUIT gracefully)."""
    return [nginx, "-p", str(prefix), "-c", str(top), "-e", str(prefix / "error.log"),
            "-g", "daemon off;"]
