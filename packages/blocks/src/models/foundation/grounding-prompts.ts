/**
 * Object-detection prompts in the box formats of particular models (Roboflow benchmarked each
 * with its model), in cvflow's words, each asking for what a vlm_as_detector@v2 parser reads:
 * - `qwen`: a JSON list of {"box_2d": [x_min, y_min, x_max, y_max], "label"}, integers 0-1000
 *   (Qwen's native grounding; model_type "qwen");
 * - `muse`: a JSON array of {"label", "x_min", "y_min", "x_max", "y_max"}, integers 0-1000
 *   (Meta's Muse; model_type "muse");
 * - `spacexai`: a JSON list of {"label", "box_2d": [x_min, y_min, x_max, y_max]} in percent of the
 *   image, 0-100 (xAI's Grok; model_type "spacexai").
 * The whole instruction is the user's text: these models are prompted without a system message.
 */
export type GroundingFormat = "qwen" | "muse" | "spacexai";

export function groundingPrompt(format: GroundingFormat, classes: readonly string[]): string {
  const labels = classes.join(", ");
  switch (format) {
    case "qwen":
      return (
        "Find every object in this image. Answer with a JSON list holding one entry per object: its label under \"label\" and its box under \"box_2d\". " +
        '"box_2d" is [x_min, y_min, x_max, y_max], the top-left and bottom-right corners as integers from 0 to 1000, x measured along the image\'s width and y along its height. ' +
        `Write only the JSON list, nothing else. Use only these labels: ${labels}`
      );
    case "muse":
      return (
        `You locate objects precisely. Find every object in this image that matches one of these labels: ${labels}. Leave none out, and make sure each one really matches. ` +
        'Give each object as {"label": "<name>", "x_min": <int>, "y_min": <int>, "x_max": <int>, "y_max": <int>}, with coordinates from 0 to 1000 relative to the image\'s size, ' +
        "and answer with a JSON array of them. Leave out any label you cannot find."
      );
    case "spacexai":
      return (
        'Find every object in this image. Answer with a JSON list holding one entry per object: its label under "label" and its box under "box_2d". ' +
        '"box_2d" is [x_min, y_min, x_max, y_max] in percent of the image\'s width (x) and height (y): numbers from 0 to 100. ' +
        `Write only the JSON list, nothing else. Use only these labels: ${labels}`
      );
  }
}
