"""The shipped nginx files: filled in only where a deployer's envsubst would
fill them, and accepted by nginx itself (`nginx -t`)."""
import os
import re
import shutil
import subprocess

import pytest

from bot.ops import nginx
from tests.services import need

VALUES = {"PUBLIC_LISTEN": "127.0.0.1:18080", "RASA_SERVERS": nginx.upstream_servers(["127.0.0.1:18081"]),
          "TLS_INCLUDE": "/dev/null", "ACCESS_LOG": "/tmp/access.log",
          "REVIEW_LISTEN": "127.0.0.1:18443", "REVIEW_SERVER": "127.0.0.1:5010",
          "TLS_CERT": "/etc/ssl/cert.pem", "TLS_KEY": "/etc/ssl/key.pem"}
FILES = (nginx.PUBLIC_CONF, nginx.REVIEW_CONF, nginx.TLS_CONF)


def documented(path):
    """The names the file's own envsubst line lists."""
    line = next(line for line in path.read_text().splitlines() if "envsubst '" in line)
    return set(re.findall(r"\$\{([A-Z_]+)\}", line))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_uses_exactly_the_placeholders_its_header_documents(path):
    body = "\n".join(without_comments(path.read_text()))
    assert set(nginx.PLACEHOLDER.findall(body)) == documented(path)


def test_render_fills_only_ours_and_refuses_a_missing_value():
    out = nginx.render("listen ${PUBLIC_LISTEN};\nlog $remote_addr $upstream_addr;", VALUES)
    assert out == "listen 127.0.0.1:18080;\nlog $remote_addr $upstream_addr;"
    with pytest.raises(nginx.NginxConfigError, match="PUBLIC_LISTEN"):
        nginx.render("listen ${PUBLIC_LISTEN};", {})


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_render_matches_what_envsubst_gives_a_deployer(path):
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        pytest.skip("envsubst (gettext-base) is not installed")
    names = " ".join(f"${{{name}}}" for name in sorted(documented(path)))
    given = subprocess.run([envsubst, names], input=path.read_text(), capture_output=True, text=True,
                           env={**os.environ, **VALUES}, check=True).stdout
    assert without_comments(nginx.render(path.read_text(), VALUES)) == without_comments(given)


def without_comments(text):
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def test_nginx_accepts_the_filled_in_files(tmp_path):
    executable = nginx.find_nginx()
    need("nginx", executable is not None, "./scripts/install-nginx.sh installs it")
    openssl = shutil.which("openssl")
    need("openssl", openssl is not None, "apt-get install openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    top = nginx.prepare(tmp_path / "nginx",
                        public={k: VALUES[k] for k in ("PUBLIC_LISTEN", "RASA_SERVERS")},
                        review={k: VALUES[k] for k in ("REVIEW_LISTEN", "REVIEW_SERVER")},
                        tls={"TLS_CERT": str(cert), "TLS_KEY": str(key)})
    command = nginx.command(executable, tmp_path / "nginx", top)
    checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
