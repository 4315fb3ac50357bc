/**
 * Sinks that write into a service cvflow does not have — the Roboflow platform (datasets, model
 * monitoring, vision events, the asset library) and ONVIF cameras on a local network: Roboflow's
 * ids, fields and outputs, so that a definition using them compiles and the rest of it can be
 * checked, and a run that reaches one fails with `service_unavailable` naming what it needs.
 * Roboflow's cross-field rules on these manifests are not repeated: no run of them gets that far.
 */
import { defineBlock, type Block, type FieldSpec, type Kind, type OutputSpec } from "@cvflow/engine";
import { serviceUnavailable } from "../errors.js";
import { booleanField, choiceField, numberField, textField } from "../models/unavailable-model.js";

interface PlatformSink {
  type: string;
  aliases?: string[];
  name: string;
  /** What the block does where its service exists (one sentence). */
  does: string;
  /** The service it needs, as the error names it. */
  needs: string;
  fields: Record<string, FieldSpec>;
  outputs: OutputSpec[];
}

const ROBOFLOW_PLATFORM = "the Roboflow platform";

function platformSinkBlock(spec: PlatformSink): Block {
  return defineBlock({
    manifest: {
      type: spec.type,
      ...(spec.aliases ? { aliases: spec.aliases } : {}),
      name: spec.name,
      description: `${spec.does} Service unavailable here: it needs ${spec.needs}, so running it fails with service_unavailable.`,
      family: "sinks",
      fields: spec.fields,
      outputs: spec.outputs,
    },
    run() {
      throw serviceUnavailable(spec.type, spec.needs);
    },
  }) as Block;
}

const PREDICTION_KINDS: readonly Kind[] = ["object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction", "classification_prediction"];

const optionalPredictions: FieldSpec = { description: "Predictions to send with the images.", kinds: PREDICTION_KINDS };
const requiredPredictions: FieldSpec = { description: "The predictions the block reports on.", kinds: PREDICTION_KINDS, required: true };
const optionalImage = (description: string): FieldSpec => ({ description, kinds: ["image"] });

/** A list of strings given as it is (items may be selectors Roboflow resolves) or by a selector. */
const tagsField = (description: string, defaultValue: string[] | null): FieldSpec => ({
  description,
  kinds: ["list_of_values"],
  schema: { type: "array", items: { type: "string" } },
  default: defaultValue,
});

/** Flat key-value metadata: literals or selectors of any kind per key. */
const metadataField = (description: string): FieldSpec => ({ description, shape: "dict", kinds: ["*"], schema: { type: ["string", "number", "boolean"] }, default: {} });

const integer = (description: string, defaultValue: number, kinds: readonly Kind[] = []): FieldSpec => ({
  description,
  ...(kinds.length ? { kinds } : {}),
  schema: { type: "integer" },
  default: defaultValue,
});

const FIRE_AND_FORGET = booleanField("Send in the background (true) or wait for the answer (false).", true);
const DISABLE_SINK = booleanField("Skip the block: nothing is sent.", false);
const STATUS_OUTPUTS: OutputSpec[] = [
  { name: "error_status", kinds: ["boolean"] },
  { name: "message", kinds: ["string"] },
];

function datasetUploadFields(version: 1 | 2): Record<string, FieldSpec> {
  const v2 = version === 2;
  return {
    images: { description: "The images to upload.", kinds: ["image"], aliases: ["image"], required: true },
    predictions: optionalPredictions,
    target_project: textField("The Roboflow project that receives the images.", undefined, ["roboflow_project"]),
    ...(v2 ? { data_percentage: numberField("Percentage (0-100) of the inputs to upload, picked at random.", 100, ["float"], { type: "number", minimum: 0, maximum: 100 }) } : {}),
    minutely_usage_limit: integer("Most uploads per minute.", 10),
    hourly_usage_limit: integer("Most uploads per hour.", 100),
    daily_usage_limit: integer("Most uploads per day.", 1000),
    usage_quota_name: { description: "Name under which the upload limits are counted.", schema: { type: "string" }, required: true },
    max_image_size: {
      description: "Largest (width, height) uploaded; larger images are shrunk.",
      schema: { type: "array", items: { type: "integer" }, minItems: 2, maxItems: 2 },
      default: v2 ? [1920, 1080] : [512, 512],
    },
    compression_level: integer("JPEG quality of the uploaded images (1-100).", v2 ? 95 : 75),
    registration_tags: tagsField("Tags put on the uploaded images.", []),
    persist_predictions: v2 ? booleanField("Save the predictions as annotations.", true) : { description: "Save the predictions as annotations.", schema: { type: "boolean" }, default: true },
    disable_sink: DISABLE_SINK,
    fire_and_forget: FIRE_AND_FORGET,
    labeling_batch_prefix: textField("Prefix of the labeling batch names.", "workflows_data_collector"),
    labeling_batches_recreation_frequency: choiceField("How often a new labeling batch starts.", ["never", "daily", "weekly", "monthly"], "never", []),
    image_name: textField("Name of the uploaded image; a generated one when unset.", null),
    ...(v2 ? { metadata: metadataField("Key-value metadata stored on the uploaded images.") } : {}),
  };
}

/** The event fields Vision Events and Write Vision Event Bundle share. */
function visionEventFields(solutionRequired: boolean): Record<string, FieldSpec> {
  const optionalText = (description: string): FieldSpec => textField(description, null);
  const oneOf = (description: string, values: string[]): FieldSpec => ({ description, kinds: ["string"], schema: { enum: [...values, null] }, default: null });
  return {
    input_image: optionalImage("The original image, base of the event's annotations."),
    output_image: optionalImage("A visualised image shown first with the event."),
    predictions: optionalPredictions,
    event_type: {
      description: "The kind of event.",
      kinds: ["string"],
      schema: { enum: ["quality_check", "inventory_count", "safety_alert", "custom", "operator_feedback"] },
      required: true,
    },
    solution: solutionRequired ? textField("The use case the event belongs to.", undefined) : textField("The use case stored in the bundle.", null),
    external_id: optionalText("An identifier in another system."),
    qc_result: oneOf("Quality check result.", ["pass", "fail"]),
    location: optionalText("Where an inventory count was made."),
    item_count: { description: "Number of items counted.", kinds: ["integer"], schema: { type: ["integer", "null"] }, default: null },
    item_type: optionalText("What was counted."),
    alert_type: optionalText("Safety alert identifier."),
    severity: oneOf("Severity of a safety alert.", ["low", "medium", "high"]),
    alert_description: optionalText("Description of a safety alert."),
    custom_value: optionalText("Value of a custom event."),
    related_event_id: optionalText("The event an operator's feedback is about."),
    feedback: oneOf("Operator feedback.", ["correct", "incorrect", "inconclusive"]),
    custom_metadata: metadataField("Flat key-value metadata of the event."),
    fire_and_forget: FIRE_AND_FORGET,
    disable_sink: DISABLE_SINK,
    cooldown_seconds: numberField("Least number of seconds between two events of the step.", 1, ["integer", "float"], { type: "number", minimum: 0 }),
  };
}

const EVENT_OUTPUTS: OutputSpec[] = [
  { name: "error_status", kinds: ["boolean"] },
  { name: "throttling_status", kinds: ["boolean"] },
  { name: "event_id", kinds: ["string"] },
];

export const roboflowDatasetUploadV1Block = platformSinkBlock({
  type: "roboflow_core/roboflow_dataset_upload@v1",
  aliases: ["RoboflowDatasetUpload"],
  name: "Roboflow Dataset Upload",
  does: "Uploads images, and predictions as annotations, to a Roboflow dataset.",
  needs: `${ROBOFLOW_PLATFORM} (a dataset in a Roboflow project)`,
  fields: datasetUploadFields(1),
  outputs: STATUS_OUTPUTS,
});

export const roboflowDatasetUploadV2Block = platformSinkBlock({
  type: "roboflow_core/roboflow_dataset_upload@v2",
  name: "Roboflow Dataset Upload",
  does: "Uploads a sample of the images, and predictions as annotations, to a Roboflow dataset.",
  needs: `${ROBOFLOW_PLATFORM} (a dataset in a Roboflow project)`,
  fields: datasetUploadFields(2),
  outputs: STATUS_OUTPUTS,
});

export const roboflowCustomMetadataBlock = platformSinkBlock({
  type: "roboflow_core/roboflow_custom_metadata@v1",
  aliases: ["RoboflowCustomMetadata"],
  name: "Roboflow Custom Metadata",
  does: "Attaches a custom field to the inferences behind predictions in Roboflow Model Monitoring.",
  needs: `${ROBOFLOW_PLATFORM} (Model Monitoring)`,
  fields: {
    predictions: requiredPredictions,
    field_name: { description: "Name of the metadata field.", schema: { type: "string" }, required: true },
    field_value: textField("Value of the metadata field.", undefined),
    fire_and_forget: FIRE_AND_FORGET,
  },
  outputs: STATUS_OUTPUTS,
});

export const modelMonitoringInferenceAggregatorBlock = platformSinkBlock({
  type: "roboflow_core/model_monitoring_inference_aggregator@v1",
  name: "Model Monitoring Inference Aggregator",
  does: "Collects predictions and reports a summary of them to Roboflow Model Monitoring every few seconds.",
  needs: `${ROBOFLOW_PLATFORM} (Model Monitoring)`,
  fields: {
    predictions: requiredPredictions,
    model_id: { description: "The model the predictions came from.", kinds: ["roboflow_model_id"], required: true },
    frequency: { description: "Seconds between two reports.", kinds: ["string"], schema: { type: "integer" }, default: 5 },
    unique_aggregator_key: { description: "Key of this aggregator's state, unique per block in the workflow.", schema: { type: "string" }, required: true },
    fire_and_forget: FIRE_AND_FORGET,
  },
  outputs: STATUS_OUTPUTS,
});

export const roboflowVisionEventsBlock = platformSinkBlock({
  type: "roboflow_core/roboflow_vision_events@v1",
  name: "Roboflow Vision Events",
  does: "Sends an event (quality check, count, safety alert, ...) with its images to Roboflow's Vision Events API.",
  needs: `${ROBOFLOW_PLATFORM} (the Vision Events API, or its local Event Ingestion Service)`,
  fields: {
    ...visionEventFields(true),
    write_to_event_store: booleanField("Send to a local Event Ingestion Service instead of Roboflow's cloud.", false),
    event_store_url: textField("Base URL of the local Event Ingestion Service.", "http://localhost:8001"),
  },
  outputs: [...EVENT_OUTPUTS, { name: "message", kinds: ["string"] }],
});

export const visionEventBundleBlock = platformSinkBlock({
  type: "roboflow_core/vision_event_bundle@v1",
  name: "Write Vision Event Bundle",
  does: "Writes an event with its images as a bundle on disk, for Roboflow's event ingestion to pick up.",
  needs: `${ROBOFLOW_PLATFORM} (its event ingestion, which reads the bundles)`,
  fields: {
    target_directory: textField("Folder the bundles are written to.", undefined),
    ...visionEventFields(false),
  },
  outputs: [...EVENT_OUTPUTS, { name: "bundle_path", kinds: ["string"] }, { name: "message", kinds: ["string"] }],
});

export const assetLibraryAttributesBlock = platformSinkBlock({
  type: "roboflow_core/asset_library_attributes@v1",
  name: "Roboflow Asset Library Attributes",
  does: "Sets attributes and tags on an image of the Roboflow Asset Library.",
  needs: `${ROBOFLOW_PLATFORM} (the Asset Library)`,
  fields: {
    source_id: textField("The Asset Library image to update.", undefined),
    metadata: { description: "Attributes to set: key to value, or a selector of a dictionary.", kinds: ["dictionary"], schema: { type: "object" }, default: {} },
    tags: tagsField("Tags to add to the image.", null),
    disable_sink: DISABLE_SINK,
  },
  outputs: STATUS_OUTPUTS,
});

export const onvifSinkBlock = platformSinkBlock({
  type: "roboflow_core/onvif_sink@v1",
  name: "PTZ Tracking (ONVIF)",
  does: "Turns an ONVIF pan-tilt-zoom camera to follow a detected object, or to a preset.",
  needs: "an ONVIF camera reachable from the server over its local network (a long-running video pipeline beside the camera)",
  fields: {
    predictions: { description: "The detections to follow.", kinds: ["object_detection_prediction", "instance_segmentation_prediction"], required: true },
    camera_ip: textField("The camera's address.", undefined),
    camera_port: { description: "The camera's ONVIF port.", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, required: true },
    camera_username: textField("User for the camera's ONVIF service.", undefined),
    camera_password: textField("Password for the camera's ONVIF service.", undefined, ["secret"]),
    movement_type: choiceField("Follow an object, or go to a preset.", ["Follow", "Go To Preset"], "Follow", []),
    simulate_variable_speed: booleanField("Approximate variable speed with full-speed moves and stops.", false),
    zoom_if_able: booleanField("Zoom in on the followed object.", false),
    follow_tracker: booleanField("Keep following one tracker id.", true),
    dead_zone: integer("Pixels about the centre where the camera does not move.", 50, ["integer"]),
    default_position_preset: textField("Preset of the home position.", ""),
    move_to_position_after_idle_seconds: integer("Seconds idle before going home; 0 never.", 0, ["integer"]),
    camera_update_rate_limit: integer("Least milliseconds between two commands.", 250, ["integer"]),
    flip_x_movement: booleanField("Reverse pan.", false),
    flip_y_movement: booleanField("Reverse tilt.", true),
    minimum_camera_speed: numberField("Slowest speed sent (0-1).", 0.05, ["float_zero_to_one"], { type: "number", minimum: 0, maximum: 1 }),
    pid_kp: numberField("PID proportional gain.", 0.25),
    pid_ki: numberField("PID integral gain.", 0),
    pid_kd: numberField("PID derivative gain.", 1),
  },
  outputs: [
    { name: "predictions", kinds: ["object_detection_prediction"] },
    { name: "seeking", kinds: ["boolean"] },
  ],
});

/** For core-blocks.ts. */
export const platformSinkBlocks: readonly Block[] = [
  roboflowDatasetUploadV1Block,
  roboflowDatasetUploadV2Block,
  roboflowCustomMetadataBlock,
  modelMonitoringInferenceAggregatorBlock,
  roboflowVisionEventsBlock,
  visionEventBundleBlock,
  assetLibraryAttributesBlock,
  onvifSinkBlock,
];
