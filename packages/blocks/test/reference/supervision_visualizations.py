"""
Reference outputs for visualizations-supervision.test.ts: runs supervision's annotators (and the
three Roboflow keeps in inference/core/workflows/core_steps/visualizations/common/annotators/)
on the shared PNG photos with the detections that test builds, and prints, per case, how many
pixels changed and the sha256 of the output's RGB bytes.

  /usr/bin/python3 supervision_visualizations.py SHARED_IMAGES SUPERVISION_SRC INFERENCE_GIT_DIR [DUMP_DIR]

SHARED_IMAGES: ../shared/images. SUPERVISION_SRC: a directory holding the `supervision` package
(`git -C <roboflow/supervision> archive HEAD supervision | tar -x -C DIR`). INFERENCE_GIT_DIR: a
clone (or bare mirror) of roboflow/inference; the three annotator files are read from its HEAD.
Needs only numpy and cv2 (python3-opencv): supervision's other imports are stubbed. DUMP_DIR, if
given, receives each output as raw RGB bytes (CASE.rgb) for pixel-by-pixel comparison.
"""
import hashlib, importlib.abc, importlib.machinery, json, math, os, subprocess, sys, tempfile, types

import cv2
import numpy as np

STUBBED = ("scipy", "matplotlib", "defusedxml", "yaml", "tqdm", "requests")


class _Stub(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return lambda *a, **k: None


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = _Stub(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


images_dir, supervision_src, inference_git = sys.argv[1:4]
dump_dir = sys.argv[4] if len(sys.argv) > 4 else None
sys.meta_path.insert(0, _StubFinder())
sys.path.insert(0, supervision_src)
import supervision as sv  # noqa: E402


def roboflow_annotator(name, cls):
    path = f"inference/core/workflows/core_steps/visualizations/common/annotators/{name}.py"
    source = subprocess.run(["git", "-C", inference_git, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True).stdout
    module = types.ModuleType(name)
    exec(compile(source, path, "exec"), module.__dict__)
    return getattr(module, cls)


BackgroundColorAnnotator = roboflow_annotator("background_color", "BackgroundColorAnnotator")
ModelComparisonAnnotator = roboflow_annotator("model_comparison", "ModelComparisonAnnotator")
HaloAnnotatorV1 = roboflow_annotator("halo", "HaloAnnotator")


def photo(name):
    return cv2.imread(os.path.join(images_dir, name), cv2.IMREAD_COLOR)


def ellipse_mask(width, height, cx, cy, a, b):
    """The pixels whose centre-free offsets satisfy ((x - cx) / a)^2 + ((y - cy) / b)^2 <= 1 (the test builds the same)."""
    ys, xs = np.mgrid[0:height, 0:width]
    return ((xs - cx) / a) ** 2 + ((ys - cy) / b) ** 2 <= 1


def detections(boxes, class_ids, masks=None):
    return sv.Detections(xyxy=np.array(boxes, dtype=float), class_id=np.array(class_ids), mask=masks)


# coffee.png (600 x 400): the cup, the saucer's right part, a box half outside the image.
COFFEE_BOXES = [[173.4, 25.8, 430.9, 233.2], [390.2, 180.7, 560.5, 300.1], [-20.0, 330.0, 90.6, 420.0]]
COFFEE_CLASSES = [0, 1, 2]
# chelsea.png (451 x 300): the cat's head and a small box on its body.
CHELSEA_BOXES = [[120.0, 20.0, 330.0, 190.0], [200.5, 200.5, 260.5, 260.5]]


def chelsea_masks():
    return np.stack([ellipse_mask(451, 300, 225, 105, 100, 80), ellipse_mask(451, 300, 230, 230, 28, 25)])


def run_cases():
    palette = sv.ColorPalette.DEFAULT
    lookup = sv.ColorLookup.CLASS
    coffee = detections(COFFEE_BOXES, COFFEE_CLASSES)
    chelsea_boxes = detections(CHELSEA_BOXES, [0, 3])
    chelsea_masked = detections(CHELSEA_BOXES, [0, 3], chelsea_masks())
    yield "background_color_boxes", "coffee.png", lambda s: BackgroundColorAnnotator(color=sv.Color.BLACK, opacity=0.5).annotate(s, coffee)
    yield "background_color_masks", "chelsea.png", lambda s: BackgroundColorAnnotator(color=sv.Color.from_hex("#3366cc"), opacity=0.7).annotate(s, chelsea_masked)
    yield "model_comparison_boxes", "coffee.png", lambda s: ModelComparisonAnnotator(
        color_a=sv.Color.GREEN, color_b=sv.Color.RED, background_color=sv.Color.BLACK, opacity=0.7
    ).annotate(s, detections(COFFEE_BOXES[:2], [0, 1]), detections(COFFEE_BOXES[1:], [1, 2]))
    yield "model_comparison_masks_vs_boxes", "chelsea.png", lambda s: ModelComparisonAnnotator(opacity=0.4).annotate(s, chelsea_masked, chelsea_boxes)
    yield "triangle_default", "coffee.png", lambda s: sv.TriangleAnnotator(color=palette, color_lookup=lookup).annotate(s, coffee)
    yield "triangle_outlined_center", "coffee.png", lambda s: sv.TriangleAnnotator(
        color=palette, color_lookup=lookup, base=31, height=24, position=sv.Position.CENTER, outline_thickness=3
    ).annotate(s, coffee)
    yield "ellipse_default", "coffee.png", lambda s: sv.EllipseAnnotator(color=palette, color_lookup=lookup).annotate(s, coffee)
    yield "ellipse_full_thick", "chelsea.png", lambda s: sv.EllipseAnnotator(
        color=palette, color_lookup=lookup, thickness=5, start_angle=0, end_angle=360
    ).annotate(s, chelsea_boxes)
    yield "ellipse_thin_arc", "coffee.png", lambda s: sv.EllipseAnnotator(
        color=palette, color_lookup=sv.ColorLookup.INDEX, thickness=1, start_angle=200, end_angle=-30
    ).annotate(s, coffee)
    yield "halo_v1_masks", "chelsea.png", lambda s: HaloAnnotatorV1(color=palette, color_lookup=lookup, opacity=0.8).annotate(s, chelsea_masked)
    yield "halo_v1_boxes", "coffee.png", lambda s: HaloAnnotatorV1(color=palette, color_lookup=lookup, opacity=0.8).annotate(s, coffee)
    yield "halo_v2_masks_k15", "chelsea.png", lambda s: sv.HaloAnnotator(color=palette, color_lookup=lookup, opacity=0.6, kernel_size=15).annotate(s, chelsea_masked)
    # Not the third box: its slice [-20:90] is empty and cv2.resize refuses an empty crop.
    yield "crop_default", "coffee.png", lambda s: sv.CropAnnotator(border_color=palette, border_color_lookup=lookup).annotate(
        s, detections(COFFEE_BOXES[:2], [0, 1])
    )
    yield "crop_center_1_5", "chelsea.png", lambda s: sv.CropAnnotator(
        border_color=palette, border_color_lookup=lookup, position=sv.Position.BOTTOM_RIGHT, scale_factor=1.5, border_thickness=3
    ).annotate(s, detections([[300.2, 40.7, 347.9, 101.3]], [4]))


def grid(images, width, height):
    """Roboflow's Grid Visualization layout (grid_visualization@v1): ceil(sqrt(n)) cells a side, each image
    shrunk or enlarged by cv2.resize(INTER_AREA) to fit its cell with its aspect ratio, centred, on black."""
    side = math.ceil(math.sqrt(len(images)))
    canvas = np.zeros((height, width, 3), dtype=np.uint8)
    cell_w, cell_h = width // side, height // side
    for index, image in enumerate(images):
        row, column = divmod(index, side)
        scale = min(cell_w / image.shape[1], cell_h / image.shape[0])
        thumb = cv2.resize(image, (int(image.shape[1] * scale), int(image.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        top = max(row * cell_h + (cell_h - thumb.shape[0]) // 2, 0)
        left = max(column * cell_w + (cell_w - thumb.shape[1]) // 2, 0)
        canvas[top : top + thumb.shape[0], left : left + thumb.shape[1]] = thumb[: height - top, : width - left]
    return canvas


def grid_cases():
    """Grids start from a blank canvas: `before` is the first image (only `sha256` is compared for them)."""
    coffee, chelsea = photo("coffee.png"), photo("chelsea.png")
    yield "grid_enlarged_default", "coffee.png", lambda s: grid([coffee, chelsea, coffee], 2560, 1440)
    yield "grid_shrunk", "coffee.png", lambda s: grid([coffee, chelsea, coffee, chelsea], 500, 300)
    yield "grid_shrunk_odd", "coffee.png", lambda s: grid([chelsea, coffee], 333, 201)
    # Exactly half size: OpenCV's whole-number-factor path.
    yield "grid_halved", "coffee.png", lambda s: grid([coffee, coffee, coffee, coffee], 600, 400)


def roboflow_module(path):
    source = subprocess.run(["git", "-C", inference_git, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True).stdout
    module = types.ModuleType(path)
    sys.modules[path] = module  # its dataclasses look their module up
    exec(compile(source, path, "exec"), module.__dict__)
    return module


text_layout = roboflow_module("inference/core/workflows/core_steps/visualizations/text_display/utils.py")


def text_display(scene, text, text_bgr, background_bgr, opacity=1.0, scale=1.0, thickness=2, padding=10, align="left",
                 mode="relative", x=0, y=0, anchor="top_left", offset_x=10, offset_y=10):
    """Roboflow's Text Display (text_display@v1) run: its layout and background code, then cv2.putText per line."""
    font = cv2.FONT_HERSHEY_SIMPLEX
    h, w = scene.shape[:2]
    layout = text_layout.compute_layout(formatted_text=text, font=font, font_scale=scale, font_thickness=thickness, padding=padding,
                                        position_mode=mode, position_x=x, position_y=y, anchor=anchor, offset_x=offset_x,
                                        offset_y=offset_y, img_w=w, img_h=h)
    text_layout.draw_background(img=scene, x1=max(0, layout.box_x), y1=max(0, layout.box_y), x2=min(w, layout.box_x + layout.box_w),
                                y2=min(h, layout.box_y + layout.box_h), bg_color_bgr=background_bgr, background_opacity=opacity, border_radius=0)
    text_layout.draw_text_lines(scene, layout=layout, padding=padding, text_align=align, font=font, font_scale=scale,
                                font_thickness=thickness, color_bgr=text_bgr)
    return scene


def text_cases():
    """Text drawn in its background's colour (so only the layout shows: the box's place and size), or blank lines."""
    yield "text_display_bottom_right", "coffee.png", lambda s: text_display(s, "Detections: 3\nSecond line, longer", (0, 0, 0), (0, 0, 0),
                                                                          align="right", anchor="bottom_right")
    yield "text_display_center_scaled", "coffee.png", lambda s: text_display(s, "Ag {x}\n\nmiddle", (204, 102, 51), (204, 102, 51), scale=1.5,
                                                                           thickness=3, padding=6, align="center", anchor="center",
                                                                           offset_x=-20, offset_y=15)
    yield "text_display_absolute_clamped", "chelsea.png", lambda s: text_display(s, "Ag \u00e9?", (255, 255, 255), (255, 255, 255),
                                                                               mode="absolute", x=430, y=290, scale=0.7, thickness=1)
    yield "text_display_blank_blended", "chelsea.png", lambda s: text_display(s, "\n\n", (255, 255, 255), (40, 40, 200), opacity=0.4,
                                                                            anchor="top_center", padding=13)


def icon_rgba():
    """A 40 x 30 icon: red grows with x, green with y, blue 128; transparent for x < 5, then opacity min(255, 9x + 3y)."""
    ys, xs = np.mgrid[0:30, 0:40]
    alpha = np.where(xs < 5, 0, np.minimum(255, 9 * xs + 3 * ys))
    return np.stack([(xs * 6) % 256, (ys * 8) % 256, np.full_like(xs, 128), alpha], axis=2).astype(np.uint8)


def icon_cases(workdir):
    path = os.path.join(workdir, "icon.png")
    r, g, b, a = np.moveaxis(icon_rgba(), 2, 0)
    cv2.imwrite(path, np.stack([b, g, r, a], axis=2))
    coffee = detections(COFFEE_BOXES, COFFEE_CLASSES)
    yield "icon_dynamic_center", "coffee.png", lambda s: sv.IconAnnotator(icon_resolution_wh=(64, 48), icon_position=sv.Position.CENTER).annotate(
        s, coffee, icon_path=path
    )

    def static(s):
        # Roboflow's static mode: x_position -10 (from the right edge), y_position 20, a 50 x 50 box.
        h, w = s.shape[:2]
        x, y = w - 10 - 50, 20
        cx, cy = x + 25, y + 25
        stand_in = sv.Detections(xyxy=np.array([[cx - 1, cy - 1, cx + 1, cy + 1]], dtype=np.float64), class_id=np.array([0]))
        return sv.IconAnnotator(icon_resolution_wh=(50, 50), icon_position=sv.Position.CENTER).annotate(s, stand_in, icon_path=path)

    yield "icon_static_from_right", "chelsea.png", static


results = {}
workdir = tempfile.mkdtemp()
for case, name, annotate in [*run_cases(), *grid_cases(), *text_cases(), *icon_cases(workdir)]:
    scene = photo(name)
    before = scene.copy()
    out = annotate(scene.copy())
    rgb = np.ascontiguousarray(out[:, :, ::-1])
    results[case] = {
        "photo": name,
        "changed": int(np.any(out != before, axis=2).sum()) if out.shape == before.shape else None,
        "sha256": hashlib.sha256(rgb.tobytes()).hexdigest(),
    }
    if dump_dir:
        rgb.tofile(os.path.join(dump_dir, f"{case}.rgb"))
print(json.dumps({"supervision": sv.__version__ if hasattr(sv, "__version__") else "?", "cv2": cv2.__version__, "cases": results}, indent=1))
