/**
 * GeoTag Detection: each detection's box centre projected to latitude and longitude, for a camera
 * looking straight down from `altitude` meters over flat ground at a known position and heading
 * (a pinhole camera: the ground footprint's width is 2·altitude·tan(fov/2), its height in the
 * image's aspect ratio). Offsets in meters become degrees with 111 320 m per degree of latitude and
 * that times cos(latitude) per degree of longitude, as Roboflow's block computes them; records and
 * a GeoJSON FeatureCollection of points come out, rounded as Roboflow rounds them.
 */
import { defineBlock, type Detections, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { BOX_KINDS } from "../analytics/analytics-fields.js";
import { roundHalfEven } from "../common/python-numbers.js";

const METERS_PER_DEGREE_OF_LATITUDE = 111320;

interface GeotagParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  latitude: number;
  longitude: number;
  altitude: number;
  horizontal_fov: number;
  heading: number;
}

export interface GeoDetection {
  class: string;
  confidence: number;
  lat: number;
  lon: number;
  pixel_x: number;
  pixel_y: number;
  width: number;
  height: number;
}

export interface Camera {
  latitude: number;
  longitude: number;
  /** Meters above the ground. */
  altitude: number;
  /** Horizontal field of view, degrees. */
  horizontalFov: number;
  /** Where the image's top points, degrees clockwise from north. */
  heading: number;
}

/** The ground position (latitude, longitude) under pixel (px, py) of a width x height image. */
export function pixelToGps(px: number, py: number, width: number, height: number, camera: Camera): [number, number] {
  // At or below the ground there is no footprint: everything is where the camera is.
  if (camera.altitude <= 0) return [camera.latitude, camera.longitude];
  const groundWidth = 2 * camera.altitude * Math.tan((camera.horizontalFov * Math.PI) / 180 / 2);
  const groundHeight = groundWidth * (height / width);
  const right = ((px - width / 2) / width) * groundWidth;
  const up = (-(py - height / 2) / height) * groundHeight;
  const psi = (camera.heading * Math.PI) / 180;
  const east = right * Math.cos(psi) + up * Math.sin(psi);
  const north = -right * Math.sin(psi) + up * Math.cos(psi);
  const metersPerDegreeOfLongitude = METERS_PER_DEGREE_OF_LATITUDE * Math.cos((camera.latitude * Math.PI) / 180);
  return [camera.latitude + north / METERS_PER_DEGREE_OF_LATITUDE, camera.longitude + east / metersPerDegreeOfLongitude];
}

const number = (description: string, defaultValue?: number): FieldSpec => ({
  description,
  kinds: ["float"],
  schema: { type: "number" },
  ...(defaultValue === undefined ? { required: true } : { default: defaultValue }),
});

export const geotagDetectionBlock = defineBlock<GeotagParams>({
  manifest: {
    type: "roboflow_core/geotag_detection@v1",
    name: "GeoTag Detection",
    description: "Project detections from pixel coordinates to real-world GPS positions.",
    family: "transformations",
    fields: {
      image: { description: "The image the detections were made on (its size is used).", kinds: ["image"], required: true, deferLoad: true },
      predictions: { description: "Detections whose box centres are projected to the ground.", kinds: BOX_KINDS, required: true },
      latitude: number("Camera latitude, decimal degrees (north positive)."),
      longitude: number("Camera longitude, decimal degrees (east positive)."),
      altitude: number("Camera altitude above the ground, meters."),
      horizontal_fov: number("Horizontal field of view of the camera, degrees (73.7: most DJI consumer drones).", 73.7),
      heading: number("Where the image's top points, degrees clockwise from true north (0: north up).", 0),
    },
    outputs: [
      { name: "geo_detections", kinds: ["list_of_values"], description: "One record per detection: class, confidence, lat, lon, pixel_x, pixel_y, width, height (WGS-84 degrees, pixels)." },
      { name: "geojson", kinds: ["dictionary"], description: "A GeoJSON FeatureCollection with one Point per detection." },
    ],
  },
  run({ image, predictions, latitude, longitude, altitude, horizontal_fov, heading }) {
    const camera: Camera = { latitude, longitude, altitude, horizontalFov: horizontal_fov, heading };
    const records: GeoDetection[] = [];
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = predictions.box(i);
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      const [lat, lon] = pixelToGps(cx, cy, image.width, image.height, camera);
      records.push({
        class: predictions.className[i]!,
        confidence: roundHalfEven(predictions.confidence[i]!, 4),
        lat: roundHalfEven(lat, 7),
        lon: roundHalfEven(lon, 7),
        pixel_x: roundHalfEven(cx, 1),
        pixel_y: roundHalfEven(cy, 1),
        width: roundHalfEven(x2 - x1, 1),
        height: roundHalfEven(y2 - y1, 1),
      });
    }
    const features = records.map((r) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [r.lon, r.lat] },
      properties: { class: r.class, confidence: r.confidence },
    }));
    return { geo_detections: records, geojson: { type: "FeatureCollection", features } };
  },
});
