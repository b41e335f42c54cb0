"""`make run` on one machine leaves no open door (issue 14, finding 6 and 7):
every server listens on 127.0.0.1 only, Rasa's HTTP API needs its token, the
action server answers only the Rasa server, and the database file is the
owner's alone."""
import json
import os
import socket
import urllib.error
import urllib.request

import pytest

from bot.ops.action_server import TOKEN_HEADER


def status_of(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def other_addresses():
    """This machine's addresses other than loopback (empty in a bare sandbox)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent
            address = s.getsockname()[0]
        except OSError:
            return []
    return [] if address.startswith("127.") else [address]


@pytest.mark.parametrize("port", ["RASA_PORT", "ACTION_PORT", "REVIEW_PORT"])
def test_servers_listen_on_loopback_only(server, port):
    addresses = other_addresses()
    if not addresses:
        pytest.skip("this machine has no address besides loopback")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((addresses[0], int(server.env[port]))) != 0


@pytest.mark.parametrize("method, path", [
    ("GET", "/conversations/someone/tracker"), ("POST", "/conversations/someone/tracker/events"),
    ("DELETE", "/model"), ("GET", "/status"), ("GET", "/domain"),
])
def test_rasa_http_api_refuses_requests_without_the_token(server, method, path):
    data = b"[]" if method == "POST" else None
    assert status_of(f"{server.url}{path}", data=data, method=method,
                     headers={"Content-Type": "application/json"}) == 401
    assert status_of(f"{server.url}{path}?token=wrong", data=data, method=method,
                     headers={"Content-Type": "application/json"}) == 401


def test_the_webhooks_need_no_token(server):
    assert server.send("open-door-check", "hi")


@pytest.mark.parametrize("token", [None, "", "wrong-token-of-some-length"])
def test_the_action_server_refuses_calls_without_its_token(server, token):
    call = json.dumps({"next_action": "action_handle_red_flag", "sender_id": "forged",
                       "tracker": {"sender_id": "forged", "slots": {}, "latest_message": {},
                                   "events": []}, "domain": {}}).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers[TOKEN_HEADER] = token
    url = f"http://127.0.0.1:{server.env['ACTION_PORT']}/webhook"
    assert status_of(url, data=call, headers=headers) == 403
    assert status_of(f"http://127.0.0.1:{server.env['ACTION_PORT']}/health") == 200


def test_the_database_file_is_readable_by_its_owner_only(server):
    assert server.db and os.stat(server.db).st_mode & 0o077 == 0
