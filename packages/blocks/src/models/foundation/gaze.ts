/** Gaze Detection (v1): where faces look (L2CS-Net). */
import { booleanField, MODEL_IMAGES, unavailableModelBlock } from "../unavailable-model.js";

export const gazeBlock = unavailableModelBlock({
  type: "roboflow_core/gaze@v1",
  name: "Gaze Detection",
  does: "Find faces and the direction each looks in (yaw and pitch).",
  model: "a gaze model (L2CS-Net)",
  fields: {
    images: MODEL_IMAGES,
    do_run_face_detection: booleanField("Detect faces first; false when the images are face crops already.", true),
  },
  outputs: [
    { name: "face_predictions", kinds: ["keypoint_detection_prediction"], description: "Facial landmark predictions." },
    { name: "yaw_degrees", kinds: ["float"], description: "Yaw in degrees (-180 to 180, negative is left)." },
    { name: "pitch_degrees", kinds: ["float"], description: "Pitch in degrees (-90 to 90, negative is down)." },
  ],
});
