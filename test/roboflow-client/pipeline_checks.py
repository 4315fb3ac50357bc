"""Roboflow's Python client's video pipeline methods (inference_sdk, vendored beside this file) against a running cvflow.

Reads a plan (JSON on stdin: the stack's URL and key, a video, a workflow) and drives one pipeline
as a Roboflow user would: start it with start_inference_pipeline_with_workflow, list it, read its
status, pause and resume it, consume its results, terminate it. Prints one JSON object of what the
client returned or raised at each step, observed, not judged: test/roboflow-client-pipelines.test.ts
asserts on it.
"""
import json
import sys
import time
import warnings

from inference_sdk import InferenceHTTPClient
from inference_sdk.http.errors import HTTPCallErrorError

# The pipeline methods are marked experimental, and the client warns about its legacy key channel.
warnings.simplefilter("ignore")

PLAN = json.load(sys.stdin)
client = InferenceHTTPClient(api_url=PLAN["api_url"], api_key=PLAN["api_key"])
report = {}


def attempt(name, call):
    try:
        report[name] = {"returned": call()}
    except HTTPCallErrorError as error:
        report[name] = {"raised": type(error).__name__, "status_code": error.status_code, "api_message": error.api_message}
    return report[name].get("returned")


def counters(status):
    return status["report"]["cvflow"] if status else None


started = attempt(
    "start",
    lambda: client.start_inference_pipeline_with_workflow(
        video_reference=PLAN["video"],
        workflow_specification=PLAN["workflow"],
        max_fps=PLAN["max_fps"],
        results_buffer_size=PLAN["results_buffer_size"],
    ),
)
pipeline_id = started["context"]["pipeline_id"]
attempt("list", client.list_inference_pipelines)

# Some frames through before pausing, so that the pause has something to stop.
deadline = time.monotonic() + PLAN["wait_seconds"]
while time.monotonic() < deadline and counters(client.get_inference_pipeline_status(pipeline_id))["frames_processed"] < 3:
    time.sleep(0.1)
attempt("pause", lambda: client.pause_inference_pipeline(pipeline_id))
paused = attempt("status_paused", lambda: client.get_inference_pipeline_status(pipeline_id))
time.sleep(PLAN["paused_seconds"])
attempt("status_still_paused", lambda: client.get_inference_pipeline_status(pipeline_id))
attempt("resume", lambda: client.resume_inference_pipeline(pipeline_id))
attempt("status_resumed", lambda: client.get_inference_pipeline_status(pipeline_id))

# Roboflow's consume gives one frame's result per call; an empty answer means none waits yet.
consumed = []
deadline = time.monotonic() + PLAN["wait_seconds"]
while len(consumed) < PLAN["consume"] and time.monotonic() < deadline:
    result = client.consume_inference_pipeline_result(pipeline_id, excluded_fields=PLAN.get("excluded_fields"))
    if not result["outputs"]:
        time.sleep(0.05)
        continue
    consumed.append(
        {
            "frames_metadata": result["frames_metadata"],
            "output_names": sorted(result["outputs"][0].keys()),
            "classes": [p["class"] for p in result["outputs"][0]["predictions"]["predictions"]],
            "image": result["outputs"][0]["predictions"]["image"],
        }
    )
report["consumed"] = consumed

attempt("status_before_terminate", lambda: client.get_inference_pipeline_status(pipeline_id))
attempt("terminate", lambda: client.terminate_inference_pipeline(pipeline_id))
attempt("list_after_terminate", client.list_inference_pipelines)
attempt("status_after_terminate", lambda: client.get_inference_pipeline_status(pipeline_id))
attempt("consume_after_terminate", lambda: client.consume_inference_pipeline_result(pipeline_id))

print(json.dumps(report))
