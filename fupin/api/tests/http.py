"""A small HTTP client over urllib for tests against pytest-django's `live_server`.

It sends exactly what an integrating system sends: no cookie unless given one, a Bearer token
when given one, JSON or multipart bodies.
"""

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass


@dataclass
class Reply:
    """A response: its status, headers and raw body."""

    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body.decode())

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def multipart(fields: dict) -> tuple[bytes, str]:
    """Encode fields (str values, or (filename, bytes, content type) tuples) as multipart/form-data."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, content, content_type = value
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(f"--{boundary}\r\n{head}".encode() + content + b"\r\n")
        else:
            head = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(f"--{boundary}\r\n{head}{value}\r\n".encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def request(
    base: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    json_body=None,
    form: dict | None = None,
    headers: dict | None = None,
    raw: bytes | None = None,
    timeout: float = 30,
) -> Reply:
    """Send one request to the live server and return its reply, whatever the status."""
    sent = dict(headers or {})
    data = raw
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        sent.setdefault("Content-Type", "application/json")
    elif form is not None:
        data, content_type = multipart(form)
        sent["Content-Type"] = content_type
    req = urllib.request.Request(base + path, data=data, method=method.upper(), headers=sent)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())
