"""Roboflow's Python client (inference_sdk, vendored beside this file) against a running cvflow.

Reads a plan (JSON on stdin: the stack's URL and key, saved workflows, photos) and calls each
workflow method of the unchanged client as a Roboflow user would. It prints one JSON object: for
each check what the client returned or raised, observed, not judged; the TypeScript test that
runs this script asserts on it (test/roboflow-client.test.ts).
"""
import base64
import glob
import json
import os
import sys
import traceback
import warnings

import cv2
import numpy as np
from PIL import Image

from inference_sdk import InferenceConfiguration, InferenceHTTPClient, VisualisationResponseFormat
from inference_sdk.http.errors import HTTPCallErrorError

# The client warns about its deprecated methods (infer_from_workflow) and its legacy key channel.
warnings.simplefilter("ignore")

PLAN = json.load(sys.stdin)
PHOTO = PLAN["photo"]
OTHER_PHOTO = PLAN["other_photo"]


def client(transport=None, output_format=VisualisationResponseFormat.NUMPY, key=None, **configuration):
    made = InferenceHTTPClient(api_url=PLAN["api_url"], api_key=key or PLAN["api_key"])
    return made.configure(
        InferenceConfiguration(output_visualisation_format=output_format, api_key_transport=transport, **configuration)
    )


def image_summary(value):
    if isinstance(value, np.ndarray):
        return {"kind": "numpy", "shape": list(value.shape), "mean": round(float(value.mean()), 3)}
    if isinstance(value, str):
        decoded = cv2.imdecode(np.frombuffer(base64.b64decode(value), dtype=np.uint8), cv2.IMREAD_COLOR)
        return {"kind": "base64", "shape": list(decoded.shape)}
    return {"kind": type(value).__name__, "value": value}


def outputs_summary(outputs):
    return [{name: summarise(value) for name, value in output.items()} for output in outputs]


def summarise(value):
    """An image (NumPy, or a long base64 string) by its shape; predictions by class and confidence."""
    if isinstance(value, np.ndarray) or (isinstance(value, str) and len(value) >= 200):
        return image_summary(value)
    if isinstance(value, dict) and "predictions" in value:
        return {"predictions": [{"class": p.get("class"), "confidence": p.get("confidence")} for p in value["predictions"]]}
    return value


def error_summary(error):
    if isinstance(error, HTTPCallErrorError):
        return {"raised": "HTTPCallErrorError", "status_code": error.status_code, "api_message": error.api_message}
    return {"raised": type(error).__name__, "text": str(error)[:500]}


def resize_run(method="run_workflow", images=None, parameters=None, **kwargs):
    return getattr(client(), method)(
        specification=PLAN["resize_spec"], images=images or {"image": PHOTO}, parameters=parameters or {"width": 48}, **kwargs
    )


def pil_image():
    with Image.open(PHOTO) as image:
        return image.convert("RGB")


def base64_image():
    with open(PHOTO, "rb") as file:
        return base64.b64encode(file.read()).decode("ascii")


def profiled_run():
    directory = PLAN["profiling_dir"]
    client(profiling_directory=directory).run_workflow(
        specification=PLAN["resize_spec"], images={"image": PHOTO}, enable_profiling=True
    )
    files = glob.glob(os.path.join(directory, "*.json"))
    with open(files[0]) as file:
        trace = json.load(file)
    return {"files": len(files), "events": len(trace), "names": sorted({event.get("name", "") for event in trace})[:20]}


def noise_photo():
    """A 1600x1200 JPEG of noise (about 1.7 MB, it does not compress): four copies pass 6 MB."""
    pixels = np.random.default_rng(7).integers(0, 256, size=(1200, 1600, 3), dtype=np.uint8)
    return pixels


def large_response():
    specification = {
        "version": "1.0",
        "inputs": [{"type": "WorkflowImage", "name": "image"}],
        "steps": [],
        "outputs": [{"type": "JsonField", "name": f"copy_{index}", "selector": "$inputs.image"} for index in range(4)],
    }
    return client().run_workflow(specification=specification, images={"image": noise_photo()})


def saved(method, **kwargs):
    name_argument = "workflow_name" if method == "infer_from_workflow" else "workflow_id"
    return outputs_summary(
        getattr(client(), method)(
            workspace_name=PLAN["workspace"], **{name_argument: PLAN["saved"]}, images={"image": PHOTO}, parameters={"width": 40}, **kwargs
        )
    )


CHECKS = {
    "inline_run_workflow": lambda: outputs_summary(resize_run()),
    "inline_infer_from_workflow": lambda: outputs_summary(resize_run("infer_from_workflow")),
    "saved_run_workflow": lambda: saved("run_workflow"),
    "saved_infer_from_workflow": lambda: saved("infer_from_workflow"),
    "saved_first_version": lambda: saved("run_workflow", workflow_version_id=PLAN["first_version"]),
    "image_numpy": lambda: outputs_summary(resize_run(images={"image": cv2.imread(PHOTO)})),
    "image_pil": lambda: outputs_summary(resize_run(images={"image": pil_image()})),
    "image_base64": lambda: outputs_summary(resize_run(images={"image": base64_image()})),
    "batch_of_images": lambda: outputs_summary(resize_run(images={"image": [PHOTO, OTHER_PHOTO]})),
    "excluded_fields": lambda: outputs_summary(resize_run(excluded_fields=["resized"])),
    "disable_sinks": lambda: outputs_summary(resize_run(disable_sinks=True)),
    "use_cache_false": lambda: outputs_summary(resize_run(use_cache=False)),
    "base64_output_format": lambda: outputs_summary(
        client(output_format=VisualisationResponseFormat.BASE64).run_workflow(
            specification=PLAN["resize_spec"], images={"image": PHOTO}, parameters={"width": 48}
        )
    ),
    "profiling": profiled_run,
    "large_response": large_response,
    **{
        f"key_in_{transport}": (
            lambda transport=transport: outputs_summary(
                client(transport=transport).run_workflow(specification=PLAN["resize_spec"], images={"image": PHOTO})
            )
        )
        for transport in ("header", "legacy", "both")
    },
    "error_invalid_definition": lambda: client().run_workflow(specification=PLAN["invalid_spec"], images={"image": PHOTO}),
    "error_bad_parameter": lambda: resize_run(parameters={"width": "wide"}),
    "error_unknown_key": lambda: client(key="cvf_not_a_key").run_workflow(specification=PLAN["resize_spec"], images={"image": PHOTO}),
    "error_unknown_workflow": lambda: client().run_workflow(workspace_name=PLAN["workspace"], workflow_id="no-such-workflow", images={"image": PHOTO}),
}
if PLAN.get("detect"):
    CHECKS["saved_detection"] = lambda: outputs_summary(
        client().run_workflow(workspace_name=PLAN["workspace"], workflow_id=PLAN["detect"], images={"image": PLAN["detect_photo"]})
    )

report = {}
for name in PLAN.get("only") or CHECKS:
    try:
        report[name] = {"returned": CHECKS[name]()}
    except Exception as error:  # the check records what the client raised; the test judges it
        report[name] = error_summary(error)
        if not isinstance(error, HTTPCallErrorError):
            report[name]["trace"] = traceback.format_exc()[-1500:]
print(json.dumps(report, default=lambda value: image_summary(value) if isinstance(value, np.ndarray) else repr(value)))
