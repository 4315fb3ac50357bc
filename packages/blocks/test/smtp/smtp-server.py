"""A real SMTP server for the email sink's tests (Debian's python3-aiosmtpd), over implicit TLS
(SMTPS, as Roboflow's block and ours speak) with AUTH LOGIN/PLAIN.

    python3 smtp-server.py CERT KEY PASSWORD [--silent]

Listens on 127.0.0.1 on a free port and prints one JSON line per event on stdout:
{"port": N} once listening; {"connected": true} per connection (so a test can act on it);
per message {"auth": [login, password], "mail_from", "rcpt_tos", "message"} where "message" is the
message as Python's own email parser reads it: headers, then every leaf part with its type,
disposition, filename, Content-ID and decoded content (text as text, anything else as base64).
--silent: accept connections and never greet (a server that hangs).
Logins with another password than PASSWORD are refused (535).
"""
import asyncio
import base64
import email
import email.policy
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def part_record(part):
    payload = part.get_payload(decode=True) or b""
    record = {
        "content_type": part.get_content_type(),
        "disposition": part.get_content_disposition(),
        "filename": part.get_filename(),
        "content_id": part.get("Content-ID"),
    }
    if part.get_content_maintype() == "text":
        record["text"] = payload.decode(part.get_content_charset() or "utf-8")
    else:
        record["base64"] = base64.b64encode(payload).decode()
    return record


def message_record(raw):
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "headers": {key: str(value) for key, value in parsed.items()},
        "content_type": parsed.get_content_type(),
        "parts": [part_record(p) for p in parsed.walk() if not p.is_multipart()],
    }


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        emit(
            {
                "auth": session.auth_data and [session.auth_data.login.decode(), session.auth_data.password.decode()],
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "message": message_record(envelope.original_content),
            }
        )
        return "250 OK"


def main():
    cert, key, password = sys.argv[1:4]
    silent = "--silent" in sys.argv[4:]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    class Silent(asyncio.Protocol):
        def connection_made(self, transport):
            emit({"connected": True})

    def factory():
        if silent:
            return Silent()
        emit({"connected": True})
        # The TLS is the listening socket's (SMTPS), so AUTH need not wait for STARTTLS.
        return SMTP(Recorder(), authenticator=authenticator, auth_require_tls=False)

    async def serve():
        server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", 0, ssl=context)
        emit({"port": server.sockets[0].getsockname()[1]})
        await server.serve_forever()

    asyncio.run(serve())


main()
