"""Dify's workflow service API, standard library only, against cvflow.

Written from Dify's public API reference for workflow apps (web/app/components/develop/template/
template_workflow.en.mdx in langgenius/dify): the base URL an app is given, `Authorization:
Bearer <key>`, POST /workflows/run (blocking and streaming), POST /files/upload (multipart),
POST /workflows/tasks/{task_id}/stop, GET /workflows/run/{id}, GET /workflows/logs and
GET /workflow/{id}/events, with urllib instead of requests. Nothing in it knows cvflow but the
`X-Cvflow-Task-Id` header a blocking caller may read to stop its own run from another thread.

Run with a plan as JSON on stdin (test/dialects/dify-client.test.ts writes it); prints a JSON
report of every check: what each call returned, or the HTTP error it raised.
"""

import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


class DifyError(Exception):
    """A non-2xx answer: Dify's error body is {status, code, message}."""

    def __init__(self, status, body):
        super().__init__(f"{status}: {body[:200]}")
        self.status = status
        try:
            self.body = json.loads(body)
        except ValueError:
            self.body = body


class Stream:
    """One text/event-stream answer: its chunks (each `data:` JSON) and how many pings came."""

    def __init__(self, response):
        self.response = response
        self.headers = response.headers
        self.pings = 0

    def __iter__(self):
        event = None
        while True:
            raw = self.response.readline()
            if not raw:
                return
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                event = None
            elif line.startswith("event:"):
                event = line[6:].strip()
                if event == "ping":
                    self.pings += 1
            elif line.startswith("data:"):
                yield json.loads(line[5:].strip())

    def close(self):
        self.response.close()


class DifyClient:
    def __init__(self, base_url, api_key):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key

    def _request(self, method, path, body=None, query=None, headers=None, data=None):
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        all_headers = {"Authorization": f"Bearer {self.api_key}", **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            return urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as error:
            raise DifyError(error.code, error.read().decode("utf-8")) from None

    def _json(self, *args, **kwargs):
        with self._request(*args, **kwargs) as response:
            return json.loads(response.read())

    def upload_file(self, path, user, mime_type):
        boundary = uuid.uuid4().hex
        with open(path, "rb") as f:
            content = f.read()
        name = path.rsplit("/", 1)[-1]
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\n{user}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: {mime_type}\r\n\r\n'.encode() + content + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        with self._request("POST", "/files/upload", data=b"".join(parts), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}) as response:
            return {"status": response.status, "body": json.loads(response.read())}

    def run(self, inputs, user, response_mode):
        return self._request("POST", "/workflows/run", body={"inputs": inputs, "response_mode": response_mode, "user": user})

    def run_blocking(self, inputs, user):
        with self.run(inputs, user, "blocking") as response:
            return json.loads(response.read())

    def run_streaming(self, inputs, user):
        return Stream(self.run(inputs, user, "streaming"))

    def stop(self, task_id, user):
        return self._json("POST", f"/workflows/tasks/{task_id}/stop", body={"user": user})

    def get_run(self, workflow_run_id, query=None):
        return self._json("GET", f"/workflows/run/{workflow_run_id}", query=query)

    def logs(self, **query):
        return self._json("GET", "/workflows/logs", query=query)

    def events(self, workflow_run_id, user, last_event_id=None):
        headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else None
        return Stream(self._request("GET", f"/workflow/{workflow_run_id}/events", query={"user": user}, headers=headers))


def image_input(file_id):
    return {"type": "image", "transfer_method": "local_file", "upload_file_id": file_id}


def summary(chunks):
    """What a test asserts of a stream: each chunk's event, node and status, and the envelope's ids."""
    return [
        {
            "event": c.get("event"),
            "task_id": c.get("task_id"),
            "workflow_run_id": c.get("workflow_run_id"),
            "node_id": (c.get("data") or {}).get("node_id"),
            "index": (c.get("data") or {}).get("index"),
            "status": (c.get("data") or {}).get("status"),
            "elapsed_time": (c.get("data") or {}).get("elapsed_time"),
            "outputs": (c.get("data") or {}).get("outputs") if c.get("event") in ("workflow_finished", "node_finished") else None,
            "code": c.get("code"),
        }
        for c in chunks
    ]


def check(report, name, action):
    try:
        report[name] = {"returned": action()}
    except DifyError as error:
        report[name] = {"status": error.status, "body": error.body}


def stop_streaming(app, user):
    """Start a slow streaming run, stop it at its first node_started, read on to workflow_finished."""
    stream = app.run_streaming({"x": 1}, user)
    chunks, stopped_at, stop_answer = [], None, None
    for chunk in stream:
        chunks.append(chunk)
        if chunk["event"] == "node_started" and chunk["data"]["node_id"] == "wait" and stopped_at is None:
            stopped_at = time.monotonic()
            stop_answer = app.stop(chunk["task_id"], user)
        if chunk["event"] == "workflow_finished":
            break
    stream.close()
    return {"stop": stop_answer, "stop_to_finish_s": time.monotonic() - stopped_at, "chunks": summary(chunks)}


def stop_blocking(app, user):
    """A blocking run in one thread; the main thread reads its task id from the response headers and stops it."""
    holder = {}
    headers_arrived = threading.Event()

    def blocking():
        try:
            response = app.run({"x": 1}, user, "blocking")
            holder["task_id"] = response.headers.get("X-Cvflow-Task-Id")
            headers_arrived.set()
            holder["body"] = json.loads(response.read())
            holder["finished_at"] = time.monotonic()
        except DifyError as error:
            holder["error"] = {"status": error.status, "body": error.body}
            headers_arrived.set()

    thread = threading.Thread(target=blocking)
    thread.start()
    headers_arrived.wait(30)
    stopped_at = time.monotonic()
    stop_answer = app.stop(holder["task_id"], user) if holder.get("task_id") else None
    thread.join(60)
    return {
        "task_id": holder.get("task_id"),
        "stop": stop_answer,
        "body": holder.get("body"),
        "error": holder.get("error"),
        "stop_to_answer_s": holder["finished_at"] - stopped_at if "finished_at" in holder else None,
    }


def main():
    plan = json.load(sys.stdin)
    app = DifyClient(plan["base_url"], plan["api_key"])
    slow = DifyClient(plan["slow_base_url"], plan["api_key"])
    user, other = plan["user"], plan["other_user"]
    report = {}

    check(report, "upload", lambda: app.upload_file(plan["photo"], user, "image/jpeg"))
    file_id = report["upload"].get("returned", {}).get("body", {}).get("id")

    check(report, "blocking", lambda: app.run_blocking({"image": image_input(file_id)}, user))

    def streaming():
        stream = app.run_streaming({"image": image_input(file_id)}, user)
        chunks = list(stream)
        return {"content_type": stream.headers.get("Content-Type"), "chunks": summary(chunks)}

    check(report, "streaming", streaming)
    run_id = (report["streaming"].get("returned", {}).get("chunks") or [{}])[0].get("workflow_run_id")

    check(report, "get_run", lambda: app.get_run(run_id))
    check(report, "get_run_other_user", lambda: app.get_run(run_id, {"user": other}))

    # A reader that left after the third chunk resumes with the last id it saw (3): the rest, once.
    def resumed():
        stream = app.events(run_id, user, last_event_id=3)
        return summary(list(stream))

    check(report, "resume", resumed)
    check(report, "others_file", lambda: app.run_blocking({"image": image_input(file_id)}, other))
    check(report, "stop_streaming", lambda: stop_streaming(slow, user))
    check(report, "stop_blocking", lambda: stop_blocking(slow, user))
    check(report, "stop_other_user", lambda: app.stop(report["blocking"]["returned"]["task_id"], other))

    check(report, "logs_succeeded", lambda: app.logs(status="succeeded", created_by_end_user_session_id=user, page=1, limit=1))
    check(report, "logs_page_2", lambda: app.logs(status="succeeded", page=2, limit=1))
    check(report, "logs_stopped", lambda: slow.logs(status="stopped"))
    check(report, "logs_keyword", lambda: app.logs(keyword=run_id))
    check(report, "logs_after_now", lambda: app.logs(created_at__after="2999-01-01T00:00:00Z"))
    check(report, "logs_other_user", lambda: app.logs(created_by_end_user_session_id=other))
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
