"""LlamaIndex's workflow-server client protocol, standard library only, against cvflow.

Written from their public client (run-llama/llama-agents, packages/llama-agents-client,
`WorkflowClient`) and server routes: the same paths, bodies and SSE reading, with urllib instead
of httpx. Their client takes auth through a pre-configured httpx client; here it is the same
`Authorization: Bearer <API key>` header.

Run with a plan as JSON on stdin (test/dialects/llamaindex-client.test.ts writes it); prints a
JSON report of every check: what each call returned, or the HTTP error it raised.
"""

import http.client
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body[:200]}")
        self.status = status
        self.body = body


class EventStream:
    """One SSE connection to GET /events/{id}: (sequence, envelope) pairs as they come."""

    def __init__(self, response):
        self.response = response
        self.status = response.status
        self.content_type = response.headers.get("content-type", "")
        self.heartbeats = 0

    def __iter__(self):
        current_id = None
        while True:
            raw = self.response.readline()
            if not raw:
                return
            line = raw.decode("utf-8").strip()
            if not line:
                continue
            if line.startswith(":"):
                self.heartbeats += 1
            elif line.startswith("id:"):
                current_id = line[3:].strip()
            elif line.startswith("data:"):
                envelope = json.loads(line[5:].strip())
                yield (int(current_id) if current_id is not None else None), envelope
                current_id = None

    def close(self):
        self.response.close()


class WorkflowClient:
    """The methods of their WorkflowClient, synchronous."""

    def __init__(self, base_url, api_key):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key

    def _request(self, method, path, params=None, body=None, headers=None):
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.api_key}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            return urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as error:
            raise HttpError(error.code, error.read().decode("utf-8")) from None

    def _json(self, method, path, params=None, body=None):
        with self._request(method, path, params, body) as response:
            return response.status, json.loads(response.read() or b"null")

    def list_workflows(self):
        return self._json("GET", "/workflows")[1]

    def get_workflow_schema(self, name):
        return self._json("GET", f"/workflows/{name}/schema")[1]

    def run_workflow(self, name, start_event=None):
        # Their run_workflow sends the start event bare (`StartEvent(...).model_dump()`).
        return self._json("POST", f"/workflows/{name}/run", body={"start_event": start_event or {}, "context": {}})[1]

    def run_workflow_nowait(self, name, start_event=None):
        # Their run_workflow_nowait sends it as an envelope (`EventEnvelope.from_event`).
        envelope = {"value": start_event or {}, "type": "StartEvent"}
        return self._json("POST", f"/workflows/{name}/run-nowait", body={"start_event": envelope, "context": {}})[1]

    def open_events(self, handler_id, after_sequence=-1, include_internal=False, sse=True, last_event_id=None):
        params = {"sse": "true" if sse else "false", "include_internal": "true" if include_internal else "false", "after_sequence": str(after_sequence)}
        headers = {"Connection": "keep-alive"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        return EventStream(self._request("GET", f"/events/{handler_id}", params=params, headers=headers))

    def get_workflow_events(self, handler_id, include_internal_events=False, after_sequence=-1, max_reconnect_attempts=3):
        """As theirs: every event until the stream ends; after a dropped connection it reads on
        from the last id it saw (`after_sequence`); [] on 204."""
        events = []
        attempts = 0
        while True:
            cursor = events[-1][0] if events else after_sequence
            try:
                stream = self.open_events(handler_id, cursor, include_internal_events)
                if stream.status == 204:
                    return events
                attempts = 0
                events.extend(stream)
                stream.close()
                return events
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException):
                attempts += 1
                if attempts > max_reconnect_attempts:
                    raise

    def send_event(self, handler_id, event, step=None):
        body = {"event": event}
        if step:
            body["step"] = step
        return self._json("POST", f"/events/{handler_id}", body=body)[1]

    def get_handler(self, handler_id):
        return self._json("GET", f"/handlers/{handler_id}")

    def get_result(self, handler_id):
        return self._json("GET", f"/results/{handler_id}")

    def get_handlers(self, status=None, workflow_name=None):
        params = {}
        if status:
            params["status"] = status
        if workflow_name:
            params["workflow_name"] = workflow_name
        return self._json("GET", "/handlers", params=params)[1]

    def cancel_handler(self, handler_id, purge=False):
        return self._json("POST", f"/handlers/{handler_id}/cancel", params={"purge": "true" if purge else "false"})[1]


def check(report, name, action):
    """Runs one check; its value, or the HTTP error it raised, goes into the report."""
    try:
        report[name] = {"returned": action()}
    except HttpError as error:
        try:
            body = json.loads(error.body)
        except ValueError:
            body = error.body
        report[name] = {"error": {"status": error.status, "body": body}}


def types_of(events):
    return [envelope["type"] for _, envelope in events]


def basic(client, plan, report):
    check(report, "list_workflows", client.list_workflows)
    check(report, "workflow_schema", lambda: client.get_workflow_schema(plan["fast"]))
    check(report, "run_workflow", lambda: client.run_workflow(plan["fast"], plan["fast_inputs"]))

    started = client.run_workflow_nowait(plan["fast"], plan["fast_inputs"])
    report["run_nowait"] = {"returned": started}
    handler_id = started["handler_id"]
    stream = client.open_events(handler_id, after_sequence=-1)
    report["stream_content_type"] = stream.content_type
    events = list(stream)
    stream.close()
    report["stream"] = {"types": types_of(events), "ids": [seq for seq, _ in events], "last": events[-1][1] if events else None}
    internal = client.get_workflow_events(handler_id, include_internal_events=True)
    report["stream_internal"] = {"types": types_of(internal), "steps": [e["value"].get("name") for _, e in internal if e["type"] == "StepStateChanged"]}
    ndjson = client.open_events(handler_id, after_sequence=-1, sse=False)
    report["ndjson"] = {"content_type": ndjson.content_type, "lines": [json.loads(line) for line in ndjson.response.read().decode().splitlines() if line.strip()]}
    ndjson.close()
    last = events[-1][0]
    after_end = client.open_events(handler_id, after_sequence=last)
    report["after_end_status"] = after_end.status
    after_end.close()
    check(report, "get_handler", lambda: client.get_handler(handler_id))
    check(report, "get_result", lambda: client.get_result(handler_id))
    check(report, "get_handlers", lambda: client.get_handlers(status=["completed"], workflow_name=[plan["fast"]]))


def human_in_the_loop(client, plan, report):
    started = client.run_workflow_nowait(plan["ask"], plan["ask_inputs"])
    handler_id = started["handler_id"]
    # A second reader follows the whole run on its own connection meanwhile.
    second = client.open_events(handler_id, after_sequence=-1, include_internal=True)
    # The first reader drops its connection right after the InputRequiredEvent.
    first = client.open_events(handler_id, after_sequence=-1, include_internal=True)
    before = []
    for seq, envelope in first:
        before.append((seq, envelope))
        if envelope["type"] == "InputRequiredEvent":
            break
    first.close()
    report["hitl_before_drop"] = {"types": types_of(before), "input_required": before[-1][1]}
    check(report, "hitl_status_while_waiting", lambda: client.get_handler(handler_id))
    check(report, "hitl_send_event", lambda: client.send_event(handler_id, {"type": "HumanResponseEvent", "value": plan["answer"]}))
    # It comes back as an EventSource does: Last-Event-ID, the last id it saw.
    resumed = client.open_events(handler_id, after_sequence="now", include_internal=True, last_event_id=before[-1][0])
    after = list(resumed)
    resumed.close()
    whole = list(second)
    second.close()
    report["hitl_resume"] = {
        "ids_before": [seq for seq, _ in before],
        "ids_after": [seq for seq, _ in after],
        "ids_whole": [seq for seq, _ in whole],
        "types_after": types_of(after),
    }
    check(report, "hitl_final", lambda: client.get_handler(handler_id))
    check(report, "hitl_send_after_end", lambda: client.send_event(handler_id, {"type": "HumanResponseEvent", "value": plan["answer"]}))


def cancel(client, plan, report):
    started = client.run_workflow_nowait(plan["ask"], plan["ask_inputs"])
    handler_id = started["handler_id"]
    stream = client.open_events(handler_id, after_sequence=-1)
    events = []
    cancelled_at = None
    for seq, envelope in stream:
        events.append((seq, envelope))
        if envelope["type"] == "InputRequiredEvent":
            cancelled_at = time.monotonic()
            check(report, "cancel", lambda: client.cancel_handler(handler_id))
    ended_at = time.monotonic()
    stream.close()
    report["cancel_stream"] = {"types": types_of(events), "last": events[-1][1], "seconds_to_end": ended_at - cancelled_at if cancelled_at else None}
    check(report, "cancel_handler_after", lambda: client.get_handler(handler_id))
    check(report, "cancel_again", lambda: client.cancel_handler(handler_id))
    check(report, "purge", lambda: client.cancel_handler(handler_id, purge=True))
    check(report, "after_purge", lambda: client.get_handler(handler_id))


def errors(client, plan, report):
    check(report, "unknown_handler", lambda: client.get_handler("no-such-handler"))
    check(report, "unknown_workflow", lambda: client.run_workflow_nowait("no-such-workflow"))
    check(report, "bad_after_sequence", lambda: client.open_events("no-such-handler", after_sequence="soon").status)


def main():
    plan = json.load(sys.stdin)
    client = WorkflowClient(plan["base_url"], plan["api_key"])
    report = {}
    for scenario in (basic, human_in_the_loop, cancel, errors):
        scenario(client, plan, report)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
